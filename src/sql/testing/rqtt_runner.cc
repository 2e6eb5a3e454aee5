// ksqlDB's REST query-validation tests on the engine: what RestTestExecutor checks
// through a server's /ksql and /query endpoints, checked here on the statements' results.
#include <fmt/format.h>

#include "sql/ast.h"
#include "sql/engine.h"
#include "sql/engine/metastore.h"
#include "sql/parser.h"
#include "sql/row_format.h"
#include "sql/testing/driver_environment.h"
#include "sql/testing/qtt_runner.h"

namespace runnel::sql::testing {
namespace {

// The test cluster's partition count for a topic no statement sizes.
constexpr int32_t kDefaultPartitions = 4;

CaseResult fail(std::string detail) { return {Verdict::kFail, std::move(detail)}; }

JsonTree stringTree(std::string text) {
  JsonTree tree;
  tree.kind = JsonTree::Kind::kString;
  tree.text = std::move(text);
  return tree;
}

JsonTree objectOf(const std::string& name, JsonTree member) {
  JsonTree tree;
  tree.kind = JsonTree::Kind::kObject;
  tree.members.emplace_back(name, std::move(member));
  return tree;
}

// A query's response as the /query endpoint streams it: header, rows, final message.
struct QueryResponse {
  std::string schema;
  struct Row {
    JsonTree columns;
    bool tombstone = false;
  };
  std::vector<Row> rows;
  std::string final_message;
};

std::string schemaText(const std::vector<std::string>& names, const std::vector<SqlTypePtr>& types,
                       const std::vector<bool>& keys) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += fmt::format("`{}` {}{}", names[i], types[i]->toString(), i < keys.size() && keys[i] ? " KEY" : "");
  }
  return out;
}

Result<JsonTree> rowJson(const GenericRow& row, const std::vector<SqlTypePtr>& types) {
  std::string json = "[";
  for (size_t i = 0; i < row.values.size() && i < types.size(); ++i) {
    if (i > 0) json += ",";
    appendRestJson(row.values[i], *types[i], json);
  }
  json += "]";
  return parseJsonTree(json);
}

// Topics the statements size (KAFKA_TOPIC with PARTITIONS), then every other topic the
// case names, with the test cluster's default size.
void createTopics(const TestCase& test, DriverEnvironment& environment) {
  for (const auto& text : test.statements) {
    auto statement = parseStatement(text);
    if (!statement.isOk()) continue;
    const Properties* properties = nullptr;
    if (const auto* create = std::get_if<CreateSource>(&statement->body)) properties = &create->properties;
    if (const auto* create = std::get_if<CreateAsSelect>(&statement->body)) properties = &create->properties;
    if (properties == nullptr) continue;
    auto topic = properties->find("KAFKA_TOPIC");
    auto partitions = properties->find("PARTITIONS");
    if (topic == properties->end() || partitions == properties->end() || !topic->second.is<std::string>()) continue;
    if (!partitions->second.is<int32_t>() && !partitions->second.is<int64_t>()) continue;
    int64_t count = partitions->second.is<int32_t>() ? partitions->second.as<int32_t>() : partitions->second.asBigint();
    (void)environment.createTopic({topic->second.as<std::string>(), static_cast<int32_t>(count), 1}, {});
  }
  auto create = [&](const std::string& name) {
    if (!environment.describeTopic(name)) (void)environment.createTopic({name, kDefaultPartitions, 1}, {});
  };
  for (const auto& topic : test.topics) create(topic);
  for (const auto* records : {&test.inputs, &test.outputs}) {
    for (const auto& record : *records) create(record.topic);
  }
  for (const auto& text : test.statements) {
    auto statement = parseStatement(text);
    if (!statement.isOk()) continue;
    if (const auto* create_source = std::get_if<CreateSource>(&statement->body)) {
      auto topic = create_source->properties.find("KAFKA_TOPIC");
      if (topic != create_source->properties.end() && topic->second.is<std::string>()) {
        create(topic->second.as<std::string>());
      }
    }
  }
}

class RestCaseRunner {
 public:
  explicit RestCaseRunner(const TestCase& test) : test_(test), environment_(false), engine_(environment_, {}) {
    session_.properties = test.properties;
  }

  CaseResult run() {
    size_t first_query = test_.statements.size();
    for (size_t i = 0; i < test_.statements.size(); ++i) {
      if (test_.statements[i].rfind("SELECT ", 0) == 0) {
        first_query = i;
        break;
      }
    }
    createTopics(test_, environment_);
    std::string script;
    for (size_t i = 0; i < first_query; ++i) script += test_.statements[i] + "\n";
    auto admin = engine_.executeScript(script, session_);
    if (!admin.isOk()) return failure(admin.status());
    for (const auto& result : *admin) {
      actual_.push_back(objectOf("admin", objectOf("@type", stringTree(entityType(result)))));
    }
    if (!test_.inputs_after_query_header) {
      Status produced = produceInputs(test_, environment_, engine_.metaStore());
      if (!produced.isOk()) return failure(produced);
    }
    for (size_t i = first_query; i < test_.statements.size(); ++i) {
      auto response = query(test_.statements[i]);
      if (!response.isOk()) return failure(response.status());
      actual_.push_back(std::move(*response));
    }
    if (test_.expected_error) {
      return fail(fmt::format("Expected the statements to fail with \"{}\" but they succeeded", *test_.expected_error));
    }
    if (auto difference = compareResponses()) return fail(*difference);
    if (auto difference = compareOutputs(test_, environment_, engine_.metaStore())) return fail(*difference);
    return {Verdict::kPass, {}};
  }

 private:
  static const char* entityType(const StatementResult& result) {
    switch (result.kind) {
      case StatementResult::Kind::kStatus: return "currentStatus";
      case StatementResult::Kind::kStreams: return "streams";
      case StatementResult::Kind::kTables: return "tables";
      case StatementResult::Kind::kQueries: return "queries";
      case StatementResult::Kind::kTopics: return "kafka_topics";
      case StatementResult::Kind::kProperties: return "properties";
      case StatementResult::Kind::kVariables: return "variables";
      case StatementResult::Kind::kTypes: return "type_list";
      case StatementResult::Kind::kFunctions: return "function_names";
      case StatementResult::Kind::kDescription: return "sourceDescription";
      case StatementResult::Kind::kFunctionDescription: return "describe_function";
      case StatementResult::Kind::kQueryDescription: return "queryDescription";
    }
    return "";
  }

  CaseResult failure(const Status& error) const {
    if (test_.expected_error) {
      if (error.message().find(*test_.expected_error) != std::string::npos) return {Verdict::kPass, {}};
      return fail(fmt::format("Expected an error containing \"{}\" but the statements failed with \"{}\"",
                              *test_.expected_error, error.message()));
    }
    return fail("The statements failed: " + error.message());
  }

  Result<JsonTree> query(const std::string& text) {
    RUNNEL_ASSIGN_OR_RETURN(auto statement, engine_.prepare(text, session_));
    const auto* select = std::get_if<SelectStatement>(&statement.body);
    if (select == nullptr) return Status::invalidArgument("not a query: " + text);
    QueryResponse response;
    if (select->query.emit_changes) {
      RUNNEL_RETURN_IF_ERROR(push(statement, select->query.limit, response));
    } else {
      RUNNEL_ASSIGN_OR_RETURN(auto result, engine_.executePullQuery(statement, session_));
      response.schema = schemaText(result.column_names, result.column_types, result.key_columns);
      for (const auto& row : result.rows) {
        RUNNEL_ASSIGN_OR_RETURN(auto columns, rowJson(row, result.column_types));
        response.rows.push_back({std::move(columns), false});
      }
      response.final_message = result.final_message;
    }
    JsonTree list;
    list.kind = JsonTree::Kind::kArray;
    list.items.push_back(objectOf("header", objectOf("schema", stringTree(response.schema))));
    for (auto& row : response.rows) {
      JsonTree fields = objectOf("columns", std::move(row.columns));
      if (row.tombstone) {
        JsonTree flag;
        flag.kind = JsonTree::Kind::kBool;
        flag.boolean = true;
        fields.members.emplace_back("tombstone", std::move(flag));
      }
      list.items.push_back(objectOf("row", std::move(fields)));
    }
    if (!response.final_message.empty()) {
      list.items.push_back(objectOf("finalMessage", stringTree(response.final_message)));
    }
    return objectOf("query", std::move(list));
  }

  // On the test drivers a push query sees the records already in its topic as it starts,
  // and later ones as they are produced.
  Status push(const Statement& statement, std::optional<int64_t> limit, QueryResponse& response) {
    std::vector<std::pair<GenericRow, bool>> rows;
    RUNNEL_ASSIGN_OR_RETURN(auto push, engine_.startPushQuery(statement, session_,
                                                              [&rows](const GenericRow& row, bool tombstone) {
                                                                rows.emplace_back(row, tombstone);
                                                              }));
    if (test_.inputs_after_query_header) RUNNEL_RETURN_IF_ERROR(produceInputs(test_, environment_, engine_.metaStore()));
    RUNNEL_RETURN_IF_ERROR(engine_.stopPushQuery(push.id));
    response.schema = schemaText(push.column_names, push.column_types, {});
    size_t count = limit ? std::min(rows.size(), static_cast<size_t>(*limit)) : rows.size();
    for (size_t i = 0; i < count; ++i) {
      RUNNEL_ASSIGN_OR_RETURN(auto columns, rowJson(rows[i].first, push.column_types));
      response.rows.push_back({std::move(columns), rows[i].second});
    }
    if (limit && count == static_cast<size_t>(*limit)) response.final_message = "Limit Reached";
    return Status::ok();
  }

  // Each expected response's members must be in the actual one, with the same values
  // ("name|starts_with": a prefix).
  static std::optional<std::string> match(const JsonTree& expected, const JsonTree& actual, const std::string& path) {
    if (expected.kind == JsonTree::Kind::kObject) {
      if (actual.kind != JsonTree::Kind::kObject) return fmt::format("{}: expected an object", path);
      for (const auto& [name, member] : expected.members) {
        std::string key = name.substr(0, name.find('|'));
        const JsonTree* found = actual.find(key);
        if (key == "queryId") continue;  // ids are generated
        if (found == nullptr) return fmt::format("{}: no member {}", path, key);
        if (auto difference = match(member, *found, path + "->" + key)) return difference;
      }
      return std::nullopt;
    }
    if (expected.kind == JsonTree::Kind::kArray && actual.kind == JsonTree::Kind::kArray &&
        expected.items.size() != actual.items.size() && path.ends_with("query")) {
      return fmt::format("{}: expected {} but got {}", path, expected.toJson(), actual.toJson());
    }
    if (sameJson(expected, actual)) return std::nullopt;
    if (expected.kind == JsonTree::Kind::kArray && actual.kind == JsonTree::Kind::kArray &&
        expected.items.size() == actual.items.size()) {
      for (size_t i = 0; i < expected.items.size(); ++i) {
        if (auto difference = match(expected.items[i], actual.items[i], fmt::format("{}[{}]", path, i))) {
          return difference;
        }
      }
      return std::nullopt;
    }
    return fmt::format("{}: expected {} but got {}", path, expected.toJson(), actual.toJson());
  }

  std::optional<std::string> compareResponses() const {
    const auto& expected = test_.responses.items;
    if (actual_.size() < expected.size()) {
      return fmt::format("expected {} responses but got {}", expected.size(), actual_.size());
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      if (auto difference = match(expected[i], actual_[i], fmt::format("responses[{}]", i))) return difference;
    }
    return std::nullopt;
  }

  const TestCase& test_;
  DriverEnvironment environment_;
  Engine engine_;
  Session session_;
  std::vector<JsonTree> actual_;
};

}  // namespace

CaseResult runRestTestCase(const TestCase& test) {
  if (!test.enabled) return {Verdict::kSkip, "disabled"};
  if (needsSchemaRegistry(test)) return {Verdict::kSkip, "needs a schema registry format"};
  return RestCaseRunner(test).run();
}

}  // namespace runnel::sql::testing
