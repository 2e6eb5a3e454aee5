#include "sql/testing/qtt_runner.h"

#include <fmt/format.h>

#include <algorithm>

#include "sql/engine.h"
#include "sql/engine/metastore.h"
#include "sql/format/base64.h"
#include "sql/parser.h"
#include "sql/row_format.h"
#include "sql/testing/driver_environment.h"

namespace runnel::sql::testing {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

}  // namespace

bool needsSchemaRegistry(const TestCase& test) {
  for (const auto& statement : test.statements) {
    std::string text = upper(statement);
    for (const char* format : {"AVRO", "PROTOBUF", "JSON_SR"}) {
      if (text.find(format) != std::string::npos) return true;
    }
  }
  return false;
}

namespace {

// The source a topic's records are read or written as: the first one defined on it.
const DataSource* sourceOfTopic(const MetaStore& metastore, const std::string& topic) {
  const DataSource* found = nullptr;
  for (const auto& [name, source] : metastore.sources()) {
    if (source.topic != topic) continue;
    if (found == nullptr || (!found->created_by_query.empty() && source.created_by_query.empty())) found = &source;
  }
  return found;
}

// One side (key or value) of a topic's records: its format and columns.
struct Side {
  FormatInfo format;
  std::vector<Column> columns;
  bool is_key = false;
  bool wrap = true;
};

std::optional<Side> sideOf(const DataSource* source, bool is_key) {
  if (source == nullptr) return std::nullopt;
  if (is_key) return Side{source->key_format, source->schema.key, true, true};
  return Side{source->value_format, source->schema.valueColumnsInRecord(), false, source->wrap_single_value};
}

Result<std::optional<std::string>> encode(const JsonTree& json, const std::optional<Side>& side) {
  if (json.isNull()) return std::optional<std::string>();
  std::string format = side ? side->format.name : "JSON";
  if (format == "NONE") return std::optional<std::string>();
  if (format == "KAFKA" && side->columns.size() == 1) {
    RUNNEL_ASSIGN_OR_RETURN(auto value, valueFromJson(json.toJson(), *side->columns[0].type));
    RUNNEL_ASSIGN_OR_RETURN(auto writer, makeRowFormat(side->format, side->columns, side->is_key, side->wrap));
    std::string bytes;
    if (!writer->write({value}, bytes)) return std::optional<std::string>();
    return std::optional<std::string>(std::move(bytes));
  }
  if (json.kind == JsonTree::Kind::kString && format != "JSON") return std::optional<std::string>(json.text);
  return std::optional<std::string>(json.toJson());
}

JsonTree stringTree(std::string text) {
  JsonTree tree;
  tree.kind = JsonTree::Kind::kString;
  tree.text = std::move(text);
  return tree;
}

JsonTree decode(const std::optional<std::string>& bytes, const std::optional<Side>& side) {
  if (!bytes) return {};
  std::string format = side ? side->format.name : "";
  if (format == "KAFKA" && side->columns.size() == 1) {
    auto reader = makeRowFormat(side->format, side->columns, side->is_key, side->wrap);
    std::vector<Value> values;
    if (reader.isOk() && (*reader)->read(*bytes, values).isOk() && values.size() == 1) {
      std::string json;
      appendRestJson(values[0], *side->columns[0].type, json);
      if (auto tree = parseJsonTree(json); tree.isOk()) return *tree;
    }
    return stringTree(*bytes);
  }
  if (format == "JSON") {
    if (auto tree = parseJsonTree(*bytes); tree.isOk()) return *tree;
  }
  return stringTree(*bytes);
}

bool sameAsExpected(const JsonTree& expected, const JsonTree& actual) {
  if (sameJson(expected, actual)) return true;
  // DELIMITED and KAFKA strings are compared as text whatever JSON type the case used.
  return actual.kind == JsonTree::Kind::kString && expected.kind != JsonTree::Kind::kString &&
         !expected.isNull() && expected.toJson() == actual.text;
}

Result<streams::Headers> headersOf(const JsonTree& json) {
  streams::Headers headers;
  for (const auto& item : json.items) {
    streams::Header header;
    if (const JsonTree* key = item.find("KEY")) header.key = key->text;
    const JsonTree* value = item.find("VALUE");
    if (value != nullptr && !value->isNull()) {
      std::string bytes;
      RUNNEL_RETURN_IF_ERROR(decodeBase64(value->text, bytes));
      header.value = std::move(bytes);
    }
    headers.push_back(std::move(header));
  }
  return headers;
}

JsonTree headersJson(const streams::Headers& headers) {
  JsonTree out;
  out.kind = JsonTree::Kind::kArray;
  for (const auto& header : headers) {
    JsonTree item;
    item.kind = JsonTree::Kind::kObject;
    item.members.emplace_back("KEY", stringTree(header.key));
    std::string text;
    if (header.value) appendBase64(*header.value, text);
    item.members.emplace_back("VALUE", header.value ? stringTree(std::move(text)) : JsonTree());
    out.items.push_back(std::move(item));
  }
  return out;
}

std::string describeRecord(const JsonTree& key, const JsonTree& value, std::optional<int64_t> timestamp) {
  std::string out = fmt::format("key={}, value={}", key.toJson(), value.toJson());
  if (timestamp) out += fmt::format(", timestamp={}", *timestamp);
  return out;
}

}  // namespace

std::optional<std::string> compareOutputs(const TestCase& test, DriverEnvironment& environment,
                                          const MetaStore& metastore) {
  std::map<std::string, size_t> next;  // per topic, the index of the next actual record
  for (size_t i = 0; i < test.outputs.size(); ++i) {
    const TestRecord& expected = test.outputs[i];
    const auto& actual_records = environment.records(expected.topic);
    size_t& at = next[expected.topic];
    if (at >= actual_records.size()) {
      return fmt::format("Expected output record {} on topic {} ({}) but there were only {} records", i,
                         expected.topic, describeRecord(expected.key, expected.value, expected.timestamp),
                         actual_records.size());
    }
    const OutgoingRecord& actual = actual_records[at++];
    const DataSource* sink = sourceOfTopic(metastore, expected.topic);
    JsonTree key = decode(actual.key, sideOf(sink, true));
    JsonTree value = decode(actual.value, sideOf(sink, false));
    bool same = sameAsExpected(expected.key, key) && sameAsExpected(expected.value, value) &&
                (!expected.timestamp || *expected.timestamp == actual.timestamp) &&
                (expected.headers.isNull() || sameJson(expected.headers, headersJson(actual.headers)));
    if (!same) {
      return fmt::format("Expected <{}> but was <{}> (record {} on topic {})",
                         describeRecord(expected.key, expected.value, expected.timestamp),
                         describeRecord(key, value, expected.timestamp ? std::optional(actual.timestamp) : std::nullopt),
                         i, expected.topic);
    }
  }
  for (const auto& [topic, count] : next) {
    size_t actual = environment.records(topic).size();
    if (actual > count) {
      return fmt::format("Topic {}: expected {} records but got {}", topic, count, actual);
    }
  }
  return std::nullopt;
}

namespace {

Result<LogicalSchema> parseSchema(const std::string& text) {
  RUNNEL_ASSIGN_OR_RETURN(auto statement,
                          parseStatement("CREATE STREAM S (" + text + ") WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');"));
  LogicalSchema schema;
  for (const auto& element : std::get<CreateSource>(statement.body).elements) {
    bool key = element.constraint == ColumnConstraint::kKey || element.constraint == ColumnConstraint::kPrimaryKey;
    bool header = element.constraint == ColumnConstraint::kHeaders || element.constraint == ColumnConstraint::kHeader;
    (key ? schema.key : schema.value)
        .push_back({element.name, element.type,
                    key ? ColumnNamespace::kKey : header ? ColumnNamespace::kHeader : ColumnNamespace::kValue,
                    element.header_key});
  }
  return schema;
}

std::optional<std::string> checkPost(const TestCase& test, const MetaStore& metastore) {
  const JsonTree* sources = test.post.find("sources");
  if (sources == nullptr) return std::nullopt;
  for (const auto& expected : sources->items) {
    const JsonTree* name = expected.find("name");
    if (name == nullptr) continue;
    const DataSource* source = metastore.source(name->text);
    if (source == nullptr) return fmt::format("Expected source {} to exist", name->text);
    if (const JsonTree* type = expected.find("type")) {
      if (upper(type->text) != (source->is_table ? "TABLE" : "STREAM")) {
        return fmt::format("Source {}: expected a {}", name->text, type->text);
      }
    }
    if (const JsonTree* schema = expected.find("schema"); schema && !schema->isNull()) {
      auto parsed = parseSchema(schema->text);
      if (!parsed.isOk()) return fmt::format("cannot parse the expected schema {}: {}", schema->text, parsed.status().message());
      if (!(*parsed == source->schema)) {
        return fmt::format("Source {}: expected schema {} but was {}", name->text, parsed->toString(),
                           source->schema.toString());
      }
    }
    for (const auto& [member, is_key] : {std::pair{"keyFormat", true}, std::pair{"valueFormat", false}}) {
      const JsonTree* format = expected.find(member);
      const JsonTree* format_name = format ? format->find("format") : nullptr;
      if (format_name == nullptr) continue;
      const std::string& actual = is_key ? source->key_format.name : source->value_format.name;
      if (upper(format_name->text) != actual) {
        return fmt::format("Source {}: expected {} {} but was {}", name->text, member, format_name->text, actual);
      }
    }
  }
  return std::nullopt;
}

CaseResult fail(std::string detail) { return {Verdict::kFail, std::move(detail)}; }

}  // namespace

Status produceInputs(const TestCase& test, DriverEnvironment& environment, const MetaStore& metastore) {
  for (const auto& input : test.inputs) {
    const DataSource* source = sourceOfTopic(metastore, input.topic);
    auto key = encode(input.key, sideOf(source, true));
    auto value = encode(input.value, sideOf(source, false));
    if (!key.isOk()) return Status::invalidArgument("cannot encode an input key: " + key.status().message());
    if (!value.isOk()) return Status::invalidArgument("cannot encode an input value: " + value.status().message());
    OutgoingRecord record{std::move(*key), std::move(*value), input.timestamp.value_or(0), {}};
    if (!input.headers.isNull()) {
      RUNNEL_ASSIGN_OR_RETURN(record.headers, headersOf(input.headers));
    }
    Status produced = environment.produce(input.topic, std::move(record));
    if (!produced.isOk()) return Status::internal("processing failed: " + produced.message());
  }
  return Status::ok();
}

CaseResult runTestCase(const TestCase& test) {
  if (!test.enabled) return {Verdict::kSkip, "disabled"};
  if (needsSchemaRegistry(test)) return {Verdict::kSkip, "needs a schema registry format"};
  DriverEnvironment environment;
  for (const auto& topic : test.topics) (void)environment.createTopic({topic, 1, 1}, {});
  for (const auto* records : {&test.inputs, &test.outputs}) {
    for (const auto& record : *records) (void)environment.createTopic({record.topic, 1, 1}, {});
  }
  Engine engine(environment, {});
  Session session;
  session.properties = test.properties;
  // One script, a statement per line, as ksqlDB's tools run them: positions in errors
  // are within the script.
  std::string script;
  for (const auto& statement : test.statements) script += statement + "\n";
  auto executed = engine.executeScript(script, session);
  if (!executed.isOk()) {
    const std::string& message = executed.status().message();
    if (test.expected_error) {
      if (message.find(*test.expected_error) != std::string::npos) return {Verdict::kPass, {}};
      return fail(fmt::format("Expected an error containing \"{}\" but the statements failed with \"{}\"",
                              *test.expected_error, message));
    }
    return fail("The statements failed: " + message);
  }
  Status produced = produceInputs(test, environment, engine.metaStore());
  if (!produced.isOk()) {
    if (test.expected_error && produced.message().find(*test.expected_error) != std::string::npos) {
      return {Verdict::kPass, {}};
    }
    return fail(produced.message());
  }
  if (test.expected_error) {
    return fail(fmt::format("Expected the statements to fail with \"{}\" but they succeeded", *test.expected_error));
  }
  if (auto difference = compareOutputs(test, environment, engine.metaStore())) return fail(*difference);
  if (auto difference = checkPost(test, engine.metaStore())) return fail(*difference);
  return {Verdict::kPass, {}};
}

}  // namespace runnel::sql::testing
