#include "sql/engine.h"

#include <fmt/format.h>

#include <cstdio>

#include "sql/engine/engine_impl.h"
#include "sql/parser.h"

namespace runnel::sql {
namespace {

constexpr std::string_view kStreamsPrefix = "ksql.streams.";

template <class T>
const char* statementName() {
  if constexpr (std::is_same_v<T, Print>) return "PRINT";
  if constexpr (std::is_same_v<T, RunScript>) return "RUN SCRIPT";
  if constexpr (std::is_same_v<T, SelectStatement>) return "SELECT";
  return "This statement";
}

// Statements the server logs to its command topic, to replay them on a restart.
bool changesCatalog(const StatementBody& body) {
  return std::holds_alternative<CreateSource>(body) || std::holds_alternative<CreateAsSelect>(body) ||
         std::holds_alternative<InsertInto>(body) || std::holds_alternative<CreateType>(body) ||
         std::holds_alternative<DropType>(body) || std::holds_alternative<DropSource>(body) ||
         std::holds_alternative<Terminate>(body) || std::holds_alternative<AlterSource>(body) ||
         std::holds_alternative<PauseResume>(body);
}

// Positions in messages ("line 1:40: ..." from the parser, "Line: 1, Col: 13: ..." from
// the analysis) are within the statement; in a script they are moved to where the
// statement starts, so that they point into the script.
Status relocateError(const Status& error, const SourceLocation& start) {
  const std::string& message = error.message();
  int line = 0;
  int column = 0;
  int used = 0;
  auto moved = [&](int l, int c) { return std::pair{l + start.line - 1, l == 1 ? c + start.column - 1 : c}; };
  if (std::sscanf(message.c_str(), "line %d:%d:%n", &line, &column, &used) == 2 && used > 0) {
    auto [l, c] = moved(line, column);
    // The detail may repeat the position ("Syntax error at or near 'X' at line 1:5").
    std::string detail = message.substr(used);
    std::string repeated = fmt::format(" at line {}:{}", line, column);
    if (auto at = detail.find(repeated); at != std::string::npos) {
      detail.replace(at, repeated.size(), fmt::format(" at line {}:{}", l, c));
    }
    return Status::invalidArgument(fmt::format("line {}:{}:{}", l, c, detail));
  }
  if (std::sscanf(message.c_str(), "Line: %d, Col: %d:%n", &line, &column, &used) == 2 && used > 0) {
    auto [l, c] = moved(line, column);
    return Status::invalidArgument(fmt::format("Line: {}, Col: {}:{}", l, c, message.substr(used)));
  }
  return error;
}

}  // namespace

std::string Engine::Impl::property(const Session& session, const std::string& name, const std::string& fallback) const {
  if (auto it = session.properties.find(name); it != session.properties.end()) return it->second;
  if (auto it = config_.find(name); it != config_.end()) return it->second;
  return fallback;
}

std::map<std::string, std::string> Engine::Impl::streamsConfig(const Session& session) const {
  std::map<std::string, std::string> out;
  auto add = [&](const std::map<std::string, std::string>& properties) {
    for (const auto& [name, value] : properties) {
      if (name.rfind(kStreamsPrefix, 0) == 0) {
        out[name.substr(kStreamsPrefix.size())] = value;
      } else if (name.rfind("ksql.", 0) != 0) {
        out[name] = value;  // a bare streams property, as ksqlDB accepts in SET
      }
    }
  };
  add(config_);
  add(session.properties);
  return out;
}

Result<StatementResult> Engine::Impl::execute(const Statement& statement, Session& session) {
  auto result = dispatch(statement, session);
  if (result.isOk()) {
    result->changes_catalog = changesCatalog(statement.body);
    if (result->statement_text.empty()) result->statement_text = statement.text;
  }
  return result;
}

Result<StatementResult> Engine::Impl::dispatch(const Statement& statement, Session& session) {
  return std::visit(
      [&](const auto& body) -> Result<StatementResult> {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, CreateSource>) {
          return createSource(body, statement, session);
        } else if constexpr (std::is_same_v<T, CreateAsSelect>) {
          return createAsSelect(body, statement, session);
        } else if constexpr (std::is_same_v<T, InsertInto>) {
          return insertInto(body, statement, session);
        } else if constexpr (std::is_same_v<T, InsertValues>) {
          return insertValues(body, session);
        } else if constexpr (std::is_same_v<T, CreateType>) {
          return createType(body);
        } else if constexpr (std::is_same_v<T, DropType>) {
          return dropType(body);
        } else if constexpr (std::is_same_v<T, DropSource>) {
          return dropSource(body);
        } else if constexpr (std::is_same_v<T, Terminate>) {
          return terminate(body);
        } else if constexpr (std::is_same_v<T, PauseResume>) {
          return pauseResume(body);
        } else if constexpr (std::is_same_v<T, AlterSource>) {
          return alterSource(body, statement, session);
        } else if constexpr (std::is_same_v<T, Explain>) {
          return explain(body, statement, session);
        } else if constexpr (std::is_same_v<T, DescribeFunction>) {
          return describeFunction(body, statement);
        } else if constexpr (std::is_same_v<T, Show>) {
          return show(body, statement, session);
        } else if constexpr (std::is_same_v<T, Describe>) {
          return describe(body, statement);
        } else if constexpr (std::is_same_v<T, SetProperty>) {
          session.properties[body.name] = body.value;
          return StatementResult{statement.text, fmt::format("Successfully changed local property '{}' to '{}'.",
                                                             body.name, body.value), {}};
        } else if constexpr (std::is_same_v<T, UnsetProperty>) {
          session.properties.erase(body.name);
          return StatementResult{statement.text, fmt::format("Successfully unset local property '{}'.", body.name), {}};
        } else if constexpr (std::is_same_v<T, DefineVariable>) {
          session.variables[body.name] = body.value;
          return StatementResult{statement.text, "", {}};
        } else if constexpr (std::is_same_v<T, UndefineVariable>) {
          session.variables.erase(body.name);
          return StatementResult{statement.text, "", {}};
        } else {
          return Status::unsupported(fmt::format("{} is not supported yet.", statementName<T>()));
        }
      },
      statement.body);
}

Engine::Engine(SqlEnvironment& environment, std::map<std::string, std::string> config)
    : impl_(std::make_unique<Impl>(environment, std::move(config))) {}
Engine::~Engine() = default;

const MetaStore& Engine::metaStore() const { return impl_->metastore_; }

Result<Statement> Engine::Impl::parse(std::string_view statement, const Session& session) const {
  std::string text(statement);
  if (text.find("${") != std::string::npos) {
    RUNNEL_ASSIGN_OR_RETURN(text, substituteVariables(text, session.variables));
  }
  auto parsed = parseStatement(text, [this](const std::string& name) { return metastore_.type(name); });
  // ksqlDB's parse failures end with the statement they were found in.
  if (!parsed.isOk()) return Status::invalidArgument(fmt::format("{}\nStatement: {}", parsed.status().message(), text));
  return parsed;
}

Result<StatementResult> Engine::execute(std::string_view statement, Session& session) {
  RUNNEL_ASSIGN_OR_RETURN(auto parsed, impl_->parse(statement, session));
  return impl_->execute(parsed, session);
}

Result<Engine::PushQuery> Engine::startPushQuery(std::string_view statement, Session& session,
                                                 RowCallback on_row) {
  RUNNEL_ASSIGN_OR_RETURN(auto parsed, impl_->parse(statement, session));
  return startPushQuery(parsed, session, std::move(on_row));
}

Result<Engine::PushQuery> Engine::startPushQuery(const Statement& statement, Session& session,
                                                 RowCallback on_row) {
  const auto* select = std::get_if<SelectStatement>(&statement.body);
  if (select == nullptr || !select->query.emit_changes) {
    return Status::invalidArgument("Push queries are SELECT statements with EMIT CHANGES.");
  }
  return impl_->startPushQuery(select->query, session, std::move(on_row));
}

Result<Engine::PullQueryResult> Engine::executePullQuery(const Statement& statement, Session& session) {
  const auto* select = std::get_if<SelectStatement>(&statement.body);
  if (select == nullptr || select->query.emit_changes) {
    return Status::invalidArgument("Pull queries are SELECT statements without EMIT CHANGES.");
  }
  return impl_->pullQuery(select->query, session);
}

Result<Statement> Engine::prepare(std::string_view statement, const Session& session) const {
  return impl_->parse(statement, session);
}

Result<std::string> Engine::insertsStreamTarget(std::string_view target) const {
  return impl_->insertsStreamTarget(target);
}

Status Engine::insertJsonRow(const std::string& stream, std::string_view row_json) {
  return impl_->insertJsonRow(stream, row_json);
}

Status Engine::stopPushQuery(const std::string& id) { return impl_->environment_.stopQuery(id); }

Result<std::vector<StatementResult>> Engine::executeScript(std::string_view script, Session& session) {
  RUNNEL_ASSIGN_OR_RETURN(auto statements, splitStatements(script));
  std::vector<StatementResult> results;
  for (const auto& statement : statements) {
    auto result = execute(statement.text, session);
    if (!result.isOk()) return relocateError(result.status(), statement.location);
    results.push_back(std::move(*result));
  }
  return results;
}

}  // namespace runnel::sql
