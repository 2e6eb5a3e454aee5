#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/json_tree.h"

namespace runnel::sql::testing {

using json::JsonTree;
using json::parseJsonTree;
using json::sameJson;

// A record of a test's inputs or outputs: key and value as JSON (their meaning depends
// on the topic's formats), headers as [{"KEY": k, "VALUE": base64}].
struct TestRecord {
  std::string topic;
  JsonTree key;
  JsonTree value;
  std::optional<int64_t> timestamp;
  JsonTree headers;  // null: not given
  bool windowed = false;
};

// One case of ksqlDB's query-validation tests (after expanding its `format` / `config`
// lists), or of the ksql-test-runner format.
struct TestCase {
  std::string file;
  std::string name;
  std::vector<std::string> statements;
  std::map<std::string, std::string> properties;
  std::vector<std::string> topics;  // created up front
  std::vector<TestRecord> inputs;
  std::vector<TestRecord> outputs;
  std::optional<std::string> expected_error;  // the message the statements must fail with
  JsonTree post;
  bool enabled = true;
  // REST query-validation tests (qtt-rest/): the expected response of each statement
  // ({"admin": {...}} or {"query": [header, rows..., finalMessage]}), and whether the
  // inputs are produced only once the (push) query has started.
  JsonTree responses;
  bool inputs_after_query_header = false;
};

// The cases of one QTT file, each format/config variant its own case named
// "<name> - <variant>".
Result<std::vector<TestCase>> loadQttFile(const std::filesystem::path& path);

// A test-runner case: statements file, input and output files (`{"inputs": [...]}`,
// `{"outputs": [...]}`); an empty `input` path means no input records.
Result<TestCase> loadTestRunnerCase(const std::filesystem::path& statements, const std::filesystem::path& input,
                                    const std::filesystem::path& output);

}  // namespace runnel::sql::testing
