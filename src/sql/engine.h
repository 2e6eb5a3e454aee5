#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace runnel::sql {

class MetaStore;
class SqlEnvironment;

// What a caller keeps between statements: SET properties and DEFINE variables.
struct Session {
  std::map<std::string, std::string> properties;
  std::map<std::string, std::string> variables;
};

// The outcome of one statement, for the REST API, the CLI and the test runner.
struct StatementResult {
  std::string statement_text;
  std::string message;   // "Stream created", "Created query with ID CSAS_S1_0", ...
  std::string query_id;  // the persistent query started, if any
};

// Runs ksqlDB statements: keeps the catalog, compiles queries onto the streams library
// and runs them in `environment`. Statements run one at a time (callers serialize).
class Engine {
 public:
  // `config`: the server's ksql.* properties (ksql.service.id,
  // ksql.persistence.default.format.key, ksql.streams.* ...).
  Engine(SqlEnvironment& environment, std::map<std::string, std::string> config);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // One statement (its text, with or without the `;`).
  Result<StatementResult> execute(std::string_view statement, Session& session);
  // Each statement of a script in order, stopping at the first that fails; the error
  // names the statement.
  Result<std::vector<StatementResult>> executeScript(std::string_view script, Session& session);

  const MetaStore& metaStore() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace runnel::sql
