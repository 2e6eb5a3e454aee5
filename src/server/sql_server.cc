#include "server/sql_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "common/json_reader.h"
#include "common/json_writer.h"
#include "net/http_server.h"
#include "server/command_log.h"
#include "server/command_status.h"
#include "server/inserts_stream.h"
#include "server/kafka_environment.h"
#include "server/print_topics.h"
#include "server/pull_queries.h"
#include "server/push_queries.h"
#include "server/rest_entities.h"
#include "sql/ast.h"
#include "sql/engine.h"
#include "sql/parser.h"

namespace runnel::server {
namespace {

constexpr const char* kVersion = "0.29.0";

// The body of POST /ksql: {"ksql": "...", "streamsProperties": {...}, "sessionVariables": {...}}.
struct KsqlRequest {
  std::string ksql;
  sql::Session session;
};

Result<std::map<std::string, std::string>> stringMap(const json::Object& object, const char* member) {
  std::map<std::string, std::string> out;
  auto value = object.find(member);
  if (!value || value->isNull()) return out;
  RUNNEL_ASSIGN_OR_RETURN(auto members, value->getObject());
  for (auto [name, item] : members) {
    if (item.type() == json::Type::kString) {
      out[std::string(name)] = std::string(*item.getString());
    } else if (item.type() == json::Type::kBool) {
      out[std::string(name)] = *item.getBool() ? "true" : "false";
    } else if (item.type() == json::Type::kInt64) {
      out[std::string(name)] = std::to_string(*item.getInt64());
    } else {
      return Status::invalidArgument(fmt::format("{}.{} must be a string, number or boolean", member, name));
    }
  }
  return out;
}

// /ksql and /query name their members "ksql" and "streamsProperties"; /query-stream
// "sql" and "properties".
Result<KsqlRequest> parseKsqlRequest(const std::string& body, const char* statement_member = "ksql",
                                     const char* properties_member = "streamsProperties") {
  json::Parser parser;
  RUNNEL_ASSIGN_OR_RETURN(auto root, parser.parse(body));
  RUNNEL_ASSIGN_OR_RETURN(auto object, root.getObject());
  KsqlRequest request;
  auto ksql = object.find(statement_member);
  if (!ksql) return Status::invalidArgument(fmt::format("the request has no \"{}\" field", statement_member));
  RUNNEL_ASSIGN_OR_RETURN(auto text, ksql->getString());
  request.ksql = std::string(text);
  RUNNEL_ASSIGN_OR_RETURN(request.session.properties, stringMap(object, properties_member));
  RUNNEL_ASSIGN_OR_RETURN(request.session.variables, stringMap(object, "sessionVariables"));
  return request;
}

Result<std::string> closeQueryId(const std::string& body) {
  json::Parser parser;
  RUNNEL_ASSIGN_OR_RETURN(auto root, parser.parse(body));
  RUNNEL_ASSIGN_OR_RETURN(auto object, root.getObject());
  auto id = object.find("queryId");
  if (!id) return Status::invalidArgument("the request has no \"queryId\" field");
  RUNNEL_ASSIGN_OR_RETURN(auto text, id->getString());
  return std::string(text);
}

bool isQuery(const std::string& statement) {
  auto start = statement.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return false;
  std::string word = statement.substr(start, 6);
  for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word == "SELECT" || word.rfind("PRINT", 0) == 0;
}

}  // namespace

class SqlServer::Impl {
 public:
  explicit Impl(SqlServerOptions options) : options_(std::move(options)) {}

  Status start() {
    KafkaEnvironment::Options environment_options;
    environment_options.bootstrap_servers = options_.bootstrap_servers;
    environment_options.service_id = options_.service_id;
    environment_options.state_dir = options_.state_dir;
    RUNNEL_ASSIGN_OR_RETURN(environment_, KafkaEnvironment::create(environment_options));
    engine_ = std::make_unique<sql::Engine>(*environment_, options_.config);
    RUNNEL_ASSIGN_OR_RETURN(command_log_, CommandLog::open(options_.bootstrap_servers, options_.service_id));
    RUNNEL_RETURN_IF_ERROR(replay());

    net::HttpServerOptions http_options;
    http_options.host = options_.listener_host;
    http_options.port = options_.listener_port;
    http_options.io_threads = 2;
    http_ = std::make_unique<net::HttpServer>(http_options);
    RUNNEL_RETURN_IF_ERROR(http_->get("/info", [this](net::Request&) { return info(); }));
    RUNNEL_RETURN_IF_ERROR(http_->get("/healthcheck", [](net::Request&) { return healthcheck(); }));
    push_queries_ = std::make_unique<PushQueries>(*engine_, engine_mutex_);
    print_topics_ = std::make_unique<PrintTopics>(client::ClientConfig{{"bootstrap.servers", options_.bootstrap_servers}});
    RUNNEL_RETURN_IF_ERROR(http_->post("/ksql", [this](net::Request& request) { return ksql(request); }));
    RUNNEL_RETURN_IF_ERROR(http_->post("/query", [this](net::Request& request) {
      return query(request, "ksql", "streamsProperties", PushFraming::kQuery);
    }));
    RUNNEL_RETURN_IF_ERROR(http_->post("/query-stream", [this](net::Request& request) {
      auto accept = request.header("Accept");
      bool delimited = accept && accept->find("application/vnd.ksqlapi.delimited.v1") != std::string_view::npos;
      return query(request, "sql", "properties", delimited ? PushFraming::kDelimited : PushFraming::kJsonArray);
    }));
    RUNNEL_RETURN_IF_ERROR(http_->post("/close-query", [this](net::Request& request) {
      auto id = closeQueryId(request.body);
      if (!id.isOk()) return net::Response::json(400, genericError(kBadRequest, id.status().message()));
      if (!push_queries_->close(*id)) {
        return net::Response::json(400, genericError(kBadRequest, "No query with id " + *id));
      }
      return net::Response::json(200, "{}");
    }));
    RUNNEL_RETURN_IF_ERROR(http_->post("/inserts-stream", [this](net::Request& request) {
      return insertsStream(*engine_, engine_mutex_, request);
    }));
    RUNNEL_RETURN_IF_ERROR(http_->get("/status", [this](net::Request&) {
      return net::Response::json(200, command_statuses_.allJson());
    }));
    RUNNEL_RETURN_IF_ERROR(http_->get("/status/:type/:entity/:action", [this](net::Request& request) {
      auto status = command_statuses_.statusJson(fmt::format("{}/{}/{}", *request.pathParam("type"),
                                                             *request.pathParam("entity"),
                                                             *request.pathParam("action")));
      if (!status) return net::Response::json(404, genericError(40400, "Command not found"));
      return net::Response::json(200, *status);
    }));
    http_->setFallback([](net::Request& request) {
      return net::Response::json(404, genericError(40400, "Unknown endpoint: " + request.path));
    });
    RUNNEL_RETURN_IF_ERROR(http_->start());
    follower_ = std::thread([this] { followCommands(); });
    return Status::ok();
  }

  void stop() {
    stopping_ = true;
    if (follower_.joinable()) follower_.join();
    if (http_) http_->stop();
    push_queries_.reset();
    print_topics_.reset();
    if (environment_) environment_->closeAll();
  }

  std::string address() const { return http_->address(); }

 private:
  Status replay() {
    RUNNEL_ASSIGN_OR_RETURN(auto commands, command_log_->readAll());
    for (const auto& command : commands) {
      sql::Session session;
      session.properties = command.properties;
      auto result = engine_->execute(command.statement, session);
      // A statement that fails now (its topic was deleted, say) is skipped, as ksqlDB
      // skips commands it cannot execute on restart.
      if (!result.isOk()) spdlog::warn("skipping command '{}': {}", command.statement, result.status().message());
      if (result.isOk()) recordStatus(*result, session);
      ++sequence_;
    }
    if (!commands.empty()) spdlog::info("replayed {} commands from {}", commands.size(), command_log_->topic());
    return Status::ok();
  }

  // Runs what other servers with this service id append to the command topic, so that
  // each server has the same catalog and runs its share of every persistent query (its
  // streams instances join the query's group).
  void followCommands() {
    while (!stopping_) {
      auto commands = command_log_->readNew(std::chrono::milliseconds(200));
      if (!commands.isOk()) {
        spdlog::warn("reading {}: {}", command_log_->topic(), commands.status().message());
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      for (const auto& command : *commands) {
        if (command.origin == origin_) continue;
        std::lock_guard lock(engine_mutex_);
        ++sequence_;
        sql::Session session;
        session.properties = command.properties;
        auto result = engine_->execute(command.statement, session);
        if (!result.isOk()) spdlog::warn("skipping command '{}': {}", command.statement, result.status().message());
        if (result.isOk()) recordStatus(*result, session);
      }
    }
  }

  // The engine's lock is held.
  void recordStatus(const sql::StatementResult& result, const sql::Session& session) {
    auto statement = engine_->prepare(result.statement_text, session);
    if (!statement.isOk()) return;
    if (auto id = commandId(*statement)) command_statuses_.record(*id, result.message, result.query_id);
  }

  net::Response info() const {
    std::string body;
    json::Writer writer(body);
    writer.startObject();
    writer.writeKey("KsqlServerInfo");
    writer.startObject();
    writer.writeKey("version");
    writer.writeString(kVersion);
    writer.writeKey("kafkaClusterId");
    writer.writeString("");
    writer.writeKey("ksqlServiceId");
    writer.writeString(options_.service_id);
    writer.writeKey("serverStatus");
    writer.writeString("RUNNING");
    writer.endObject();
    writer.endObject();
    return net::Response::json(200, body);
  }

  static net::Response healthcheck() {
    return net::Response::json(200,
                               R"({"isHealthy":true,"details":{"metastore":{"isHealthy":true},)"
                               R"("kafka":{"isHealthy":true},"commandRunner":{"isHealthy":true}}})");
  }

  net::Response query(net::Request& request, const char* statement_member, const char* properties_member,
                      PushFraming framing) {
    auto parsed = parseKsqlRequest(request.body, statement_member, properties_member);
    if (!parsed.isOk()) return net::Response::json(400, genericError(kBadRequest, parsed.status().message()));
    std::optional<sql::Print> print;
    {
      std::lock_guard lock(engine_mutex_);
      auto statement = engine_->prepare(parsed->ksql, parsed->session);
      if (!statement.isOk()) {
        return net::Response::json(400, statementError(statement.status().message(), parsed->ksql, {}));
      }
      if (const auto* body = std::get_if<sql::Print>(&statement->body)) print = *body;
      const auto* select = std::get_if<sql::SelectStatement>(&statement->body);
      if (select != nullptr && !select->query.emit_changes) {
        return runPullQuery(*engine_, *statement, parsed->session, framing);
      }
    }
    if (print) return print_topics_->start(*print, parsed->ksql);
    return push_queries_->start(parsed->ksql, std::move(parsed->session), framing);
  }

  net::Response ksql(net::Request& request) {
    auto parsed = parseKsqlRequest(request.body);
    if (!parsed.isOk()) return net::Response::json(400, genericError(kBadRequest, parsed.status().message()));
    auto statements = sql::splitStatements(parsed->ksql);
    if (!statements.isOk()) {
      return net::Response::json(400, statementError(statements.status().message(), parsed->ksql, {}));
    }
    std::vector<std::string> entities;
    std::lock_guard lock(engine_mutex_);
    for (const auto& statement : *statements) {
      if (isQuery(statement.text)) {
        return net::Response::json(
            400, statementError("The following statement types should be issued to the websocket endpoint '/query':\n"
                                "\t* PRINT\n\t* SELECT",
                                statement.text, entities));
      }
      auto result = engine_->execute(statement.text, parsed->session);
      if (!result.isOk()) {
        return net::Response::json(400, statementError(result.status().message(), statement.text, entities));
      }
      if (result->changes_catalog) {
        Status logged = command_log_->append({statement.text, parsed->session.properties, origin_});
        if (!logged.isOk()) {
          return net::Response::json(500, genericError(kServerError, "cannot write the command topic: " +
                                                                         logged.message()));
        }
        ++sequence_;
        recordStatus(*result, parsed->session);
      }
      std::string entity;
      appendEntity(*result, sequence_, entity);
      entities.push_back(std::move(entity));
    }
    std::string body = "[";
    for (size_t i = 0; i < entities.size(); ++i) body += (i > 0 ? "," : "") + entities[i];
    body += "]";
    return net::Response::json(200, body);
  }

  SqlServerOptions options_;
  std::unique_ptr<KafkaEnvironment> environment_;
  std::unique_ptr<sql::Engine> engine_;
  std::unique_ptr<CommandLog> command_log_;
  std::unique_ptr<net::HttpServer> http_;
  std::unique_ptr<PushQueries> push_queries_;
  std::unique_ptr<PrintTopics> print_topics_;
  std::mutex engine_mutex_;  // the engine runs one statement at a time
  CommandStatuses command_statuses_;
  int64_t sequence_ = 0;  // the commands run so far (commandSequenceNumber)
  // Tells this server's commands from those of other servers with the same service id.
  std::string origin_ = fmt::format("{:016x}", (uint64_t{std::random_device()()} << 32) | std::random_device()());
  std::atomic<bool> stopping_{false};
  std::thread follower_;
};

SqlServer::SqlServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqlServer::~SqlServer() { stop(); }

Result<std::unique_ptr<SqlServer>> SqlServer::start(SqlServerOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  RUNNEL_RETURN_IF_ERROR(impl->start());
  return std::unique_ptr<SqlServer>(new SqlServer(std::move(impl)));
}

std::string SqlServer::address() const { return impl_->address(); }
void SqlServer::stop() { impl_->stop(); }

Status applyListeners(const std::string& listeners, SqlServerOptions& options) {
  std::string first = listeners.substr(0, listeners.find(','));
  constexpr std::string_view kScheme = "http://";
  if (first.rfind(kScheme, 0) != 0) {
    return Status::invalidArgument(fmt::format("ksql.listeners: '{}' is not an http:// URL", first));
  }
  std::string host_port = first.substr(kScheme.size());
  while (!host_port.empty() && host_port.back() == '/') host_port.pop_back();
  auto colon = host_port.rfind(':');
  if (colon == std::string::npos) return Status::invalidArgument("ksql.listeners: no port in " + first);
  options.listener_host = host_port.substr(0, colon);
  if (options.listener_host == "localhost") options.listener_host = "127.0.0.1";
  try {
    int port = std::stoi(host_port.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    options.listener_port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    return Status::invalidArgument("ksql.listeners: bad port in " + first);
  }
  return Status::ok();
}

}  // namespace runnel::server
