#include "sql/testing/qtt_case.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "sql/parser.h"

namespace runnel::sql::testing {
namespace {

Result<std::string> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::notFound(fmt::format("cannot read {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string scalarText(const JsonTree& tree) {
  return tree.kind == JsonTree::Kind::kString ? tree.text : tree.toJson();
}

Result<TestRecord> recordOf(const JsonTree& tree) {
  TestRecord record;
  const JsonTree* topic = tree.find("topic");
  if (topic == nullptr) return Status::invalidArgument("a record has no topic");
  record.topic = topic->text;
  if (const JsonTree* key = tree.find("key")) record.key = *key;
  if (const JsonTree* value = tree.find("value")) record.value = *value;
  if (const JsonTree* timestamp = tree.find("timestamp"); timestamp && !timestamp->isNull()) {
    record.timestamp = static_cast<int64_t>(timestamp->number);
  }
  if (const JsonTree* headers = tree.find("headers")) record.headers = *headers;
  if (const JsonTree* window = tree.find("window"); window && !window->isNull()) record.windowed = true;
  return record;
}

Result<std::vector<TestRecord>> recordsOf(const JsonTree* list) {
  std::vector<TestRecord> out;
  if (list == nullptr) return out;
  for (const auto& item : list->items) {
    RUNNEL_ASSIGN_OR_RETURN(auto record, recordOf(item));
    out.push_back(std::move(record));
  }
  return out;
}

Result<TestCase> caseOf(const JsonTree& test, const std::string& file, const std::string& name) {
  TestCase out;
  out.file = file;
  out.name = name;
  if (const JsonTree* statements = test.find("statements")) {
    for (const auto& statement : statements->items) out.statements.push_back(statement.text);
  }
  if (const JsonTree* properties = test.find("properties")) {
    for (const auto& [key, value] : properties->members) out.properties[key] = scalarText(value);
  }
  if (const JsonTree* topics = test.find("topics")) {
    for (const auto& topic : topics->items) {
      if (const JsonTree* topic_name = topic.find("name")) out.topics.push_back(topic_name->text);
    }
  }
  RUNNEL_ASSIGN_OR_RETURN(out.inputs, recordsOf(test.find("inputs")));
  RUNNEL_ASSIGN_OR_RETURN(out.outputs, recordsOf(test.find("outputs")));
  for (const char* member : {"expectedException", "expectedError"}) {
    if (const JsonTree* expected = test.find(member)) {
      const JsonTree* message = expected->find("message");
      out.expected_error = message ? message->text : "";
    }
  }
  if (const JsonTree* responses = test.find("responses")) out.responses = *responses;
  if (const JsonTree* conditions = test.find("inputConditions")) {
    const JsonTree* wait = conditions->find("waitForQueryHeader");
    out.inputs_after_query_header = wait != nullptr && wait->boolean;
  }
  if (const JsonTree* post = test.find("post")) out.post = *post;
  if (const JsonTree* enabled = test.find("enabled")) out.enabled = enabled->boolean;
  return out;
}

}  // namespace

Result<std::vector<TestCase>> loadQttFile(const std::filesystem::path& path) {
  RUNNEL_ASSIGN_OR_RETURN(auto text, readFile(path));
  RUNNEL_ASSIGN_OR_RETURN(auto root, parseJsonTree(text, true));
  std::vector<TestCase> cases;
  const JsonTree* tests = root.find("tests");
  if (tests == nullptr) return Status::invalidArgument(path.string() + " has no tests");
  std::string file = path.stem().string();
  for (const auto& test : tests->items) {
    std::string name = test.find("name") ? test.find("name")->text : "?";
    // A `format` or `config` list makes one case per entry, substituted into the test.
    std::vector<std::pair<std::string, std::string>> variants;
    if (const JsonTree* formats = test.find("format")) {
      for (const auto& format : formats->items) variants.emplace_back("{FORMAT}", format.text);
    }
    if (const JsonTree* configs = test.find("config")) {
      for (const auto& config : configs->items) variants.emplace_back("\"{CONFIG}\"", config.toJson());
    }
    if (variants.empty()) {
      RUNNEL_ASSIGN_OR_RETURN(auto single, caseOf(test, file, name));
      cases.push_back(std::move(single));
      continue;
    }
    std::string json = test.toJson();
    for (const auto& [placeholder, value] : variants) {
      RUNNEL_ASSIGN_OR_RETURN(auto variant_tree, parseJsonTree(replaceAll(json, placeholder, value)));
      RUNNEL_ASSIGN_OR_RETURN(auto variant, caseOf(variant_tree, file, name + " - " + value));
      cases.push_back(std::move(variant));
    }
  }
  return cases;
}

Result<TestCase> loadTestRunnerCase(const std::filesystem::path& statements, const std::filesystem::path& input,
                                    const std::filesystem::path& output) {
  TestCase out;
  out.file = statements.parent_path().filename().string();
  out.name = out.file;
  RUNNEL_ASSIGN_OR_RETURN(auto script, readFile(statements));
  RUNNEL_ASSIGN_OR_RETURN(auto split, splitStatements(script));
  for (auto& statement : split) out.statements.push_back(std::move(statement.text));
  if (!input.empty()) {
    RUNNEL_ASSIGN_OR_RETURN(auto input_text, readFile(input));
    RUNNEL_ASSIGN_OR_RETURN(auto input_tree, parseJsonTree(input_text));
    RUNNEL_ASSIGN_OR_RETURN(out.inputs, recordsOf(input_tree.find("inputs")));
  }
  RUNNEL_ASSIGN_OR_RETURN(auto output_text, readFile(output));
  RUNNEL_ASSIGN_OR_RETURN(auto output_tree, parseJsonTree(output_text));
  const JsonTree* outputs = output_tree.find("outputs");
  if (outputs == nullptr) return Status::invalidArgument(output.string() + " has no \"outputs\" list");
  RUNNEL_ASSIGN_OR_RETURN(out.outputs, recordsOf(outputs));
  return out;
}

}  // namespace runnel::sql::testing
