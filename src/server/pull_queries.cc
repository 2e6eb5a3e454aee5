#include "server/pull_queries.h"

#include "server/rest_entities.h"
#include "sql/ast.h"

namespace runnel::server {

net::Response runPullQuery(sql::Engine& engine, const sql::Statement& statement, sql::Session& session,
                           PushFraming framing) {
  auto result = engine.executePullQuery(statement, session);
  if (!result.isOk()) return net::Response::json(400, statementError(result.status().message(), statement.text, {}));
  std::string body = frameHeader({result->id, result->column_names, result->column_types, result->key_columns},
                                 framing);
  for (const auto& row : result->rows) body += frameRow(row, result->column_types, framing);
  // The rows of a JSON framing end with a separator that only a final message follows.
  if (framing != PushFraming::kDelimited && result->final_message.empty()) body.resize(body.size() - 2);
  body += frameEnd(result->final_message, framing);
  const char* content_type =
      framing == PushFraming::kDelimited ? "application/vnd.ksqlapi.delimited.v1" : "application/json";
  net::Response response = net::Response::json(200, std::move(body));
  response.content_type = content_type;
  return response;
}

}  // namespace runnel::server
