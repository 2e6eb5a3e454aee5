#include "cli/sql_shell.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "common/json_tree.h"
#include "common/json_writer.h"
#include "net/http_client.h"
#include "sql/parser.h"

namespace runnel::cli {
namespace {

std::string upperWords(std::string_view text, size_t words) {
  std::string out;
  size_t i = 0;
  for (size_t w = 0; w < words; ++w) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size()) break;
    if (!out.empty()) out += ' ';
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != ';') {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i++])));
    }
  }
  return out;
}

}  // namespace

SqlShell::SqlShell(std::string server, std::ostream& out, OutputFormat format)
    : server_(std::move(server)), out_(out), printer_(out, format), http_(std::make_unique<net::HttpClient>()) {
  while (!server_.empty() && server_.back() == '/') server_.pop_back();
}
SqlShell::~SqlShell() = default;

Result<std::string> SqlShell::serverInfo() {
  RUNNEL_ASSIGN_OR_RETURN(auto response, http_->get(server_ + "/info"));
  if (response.status != 200) return Status::ioError(fmt::format("{} answered {}", server_, response.status));
  auto info = json::parseJsonTree(response.body);
  const json::JsonTree* server_info = info.isOk() ? info->find("KsqlServerInfo") : nullptr;
  const json::JsonTree* version = server_info ? server_info->find("version") : nullptr;
  return fmt::format("Server {} at {}", version ? version->text : "?", server_);
}

std::string SqlShell::requestBody(const std::string& statement, const char* statement_member,
                                  const char* properties_member) const {
  std::string body;
  json::Writer writer(body);
  writer.startObject();
  writer.writeKey(statement_member);
  writer.writeString(statement);
  writer.writeKey(properties_member);
  writer.startObject();
  for (const auto& [name, value] : properties_) {
    writer.writeKey(name);
    writer.writeString(value);
  }
  writer.endObject();
  writer.writeKey("sessionVariables");
  writer.startObject();
  for (const auto& [name, value] : variables_) {
    writer.writeKey(name);
    writer.writeString(value);
  }
  writer.endObject();
  writer.endObject();
  return body;
}

Status SqlShell::runScript(std::string_view text) {
  RUNNEL_ASSIGN_OR_RETURN(auto statements, sql::splitStatements(text));
  for (const auto& statement : statements) RUNNEL_RETURN_IF_ERROR(run(statement.text));
  return Status::ok();
}

Status SqlShell::run(const std::string& statement) {
  std::string head = upperWords(statement, 1);
  if (head == "OUTPUT") {
    std::string format = upperWords(statement, 2);
    printer_.setFormat(format.ends_with("JSON") ? OutputFormat::kJson : OutputFormat::kTabular);
    return Status::ok();
  }
  if (head == "SELECT") return runQuery(statement);
  if (head == "PRINT") return runPrint(statement);
  // Session statements stay here, as the ksql CLI keeps them; the parser needs no
  // catalog for them. Anything else goes to the server as written.
  auto parsed = sql::parseStatement(statement);
  if (!parsed.isOk()) return runOnServer(statement);
  if (const auto* set = std::get_if<sql::SetProperty>(&parsed->body)) {
    properties_[set->name] = set->value;
    out_ << fmt::format("Successfully changed local property '{}' to '{}'.\n", set->name, set->value);
  } else if (const auto* unset = std::get_if<sql::UnsetProperty>(&parsed->body)) {
    properties_.erase(unset->name);
    out_ << fmt::format("Successfully unset local property '{}'.\n", unset->name);
  } else if (const auto* define = std::get_if<sql::DefineVariable>(&parsed->body)) {
    variables_[define->name] = define->value;
  } else if (const auto* undefine = std::get_if<sql::UndefineVariable>(&parsed->body)) {
    variables_.erase(undefine->name);
  } else if (const auto* script = std::get_if<sql::RunScript>(&parsed->body)) {
    std::ifstream in(script->path);
    if (!in) return Status::notFound("cannot read script " + script->path);
    std::ostringstream text;
    text << in.rdbuf();
    return runScript(text.str());
  } else {
    return runOnServer(statement);
  }
  return Status::ok();
}

Status SqlShell::runOnServer(const std::string& statement) {
  auto response = http_->post(server_ + "/ksql", requestBody(statement, "ksql", "streamsProperties"));
  if (!response.isOk()) return Status::ioError(fmt::format("cannot reach {}: {}", server_, response.status().message()));
  if (response->status != 200) {
    printer_.printError(response->body);
    return Status::invalidArgument("statement failed");
  }
  return printer_.printEntities(response->body);
}

Status SqlShell::runQuery(const std::string& statement) {
  // Delimited framing: a metadata line, then one JSON array per row.
  bool first = true;
  int64_t rows = 0;
  std::string buffer;
  std::string error_body;
  int status = 200;
  net::Headers headers{{"Content-Type", "application/json"}, {"Accept", "application/vnd.ksqlapi.delimited.v1"}};
  auto response = http_->stream(
      "POST", server_ + "/query-stream", requestBody(statement, "sql", "properties"), headers,
      [&](std::string_view data) {
        buffer.append(data);
        for (auto newline = buffer.find('\n'); newline != std::string::npos; newline = buffer.find('\n')) {
          std::string line = buffer.substr(0, newline);
          buffer.erase(0, newline + 1);
          if (line.empty()) continue;
          if (first) {
            first = false;
            auto metadata = json::parseJsonTree(line);
            if (!metadata.isOk() || metadata->find("columnNames") == nullptr) {
              error_body = line;
              return false;
            }
            std::vector<std::string> columns;
            for (const auto& name : metadata->find("columnNames")->items) columns.push_back(name.text);
            printer_.startRows(columns);
            continue;
          }
          printer_.printRow(line);
          ++rows;
        }
        return true;
      },
      std::chrono::hours(24));
  if (!response.isOk()) return Status::ioError(fmt::format("cannot reach {}: {}", server_, response.status().message()));
  status = response->status;
  if (status != 200 || !error_body.empty()) {
    printer_.printError(error_body.empty() ? buffer : error_body);
    return Status::invalidArgument("query failed");
  }
  printer_.endRows(fmt::format("Query terminated ({} rows)", rows));
  return Status::ok();
}

Status SqlShell::runPrint(const std::string& statement) {
  std::string buffer;
  net::Headers headers{{"Content-Type", "application/json"}};
  auto response = http_->stream(
      "POST", server_ + "/query", requestBody(statement, "ksql", "streamsProperties"), headers,
      [&](std::string_view data) {
        buffer.append(data);
        for (auto newline = buffer.find('\n'); newline != std::string::npos; newline = buffer.find('\n')) {
          // Empty lines are the server's keep-alives while the topic is quiet.
          if (newline > 0) out_ << std::string_view(buffer).substr(0, newline) << "\n" << std::flush;
          buffer.erase(0, newline + 1);
        }
        return true;
      },
      std::chrono::hours(24));
  if (!response.isOk()) return Status::ioError(fmt::format("cannot reach {}: {}", server_, response.status().message()));
  if (response->status != 200) {
    printer_.printError(buffer);
    return Status::invalidArgument("statement failed");
  }
  if (!buffer.empty()) out_ << buffer << "\n";
  return Status::ok();
}

}  // namespace runnel::cli
