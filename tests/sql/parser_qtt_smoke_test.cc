// Parses every statement of ksqlDB's query-translation tests (the QTT json files that
// /work/shared/qtt holds next to the checkout) and asserts how many parse: a regression
// guard for the dialect as the real test suite writes it.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/json_reader.h"
#include "common/json_tree.h"
#include "sql/parser.h"

namespace runnel::sql {
namespace {

struct Tally {
  int statements = 0;
  int parsed = 0;
  std::vector<std::string> failures;
};

// Parses one test's statements in order, resolving the types its CREATE TYPEs define.
void parseTest(const json::Array& statements, Tally& tally) {
  std::map<std::string, SqlTypePtr> types;
  TypeLookup lookup = [&](const std::string& name) {
    auto it = types.find(name);
    return it == types.end() ? nullptr : it->second;
  };
  for (json::Value item : statements) {
    auto text = item.getString();
    if (!text.isOk()) continue;
    auto pieces = splitStatements(*text);
    if (!pieces.isOk()) {
      ++tally.statements;
      tally.failures.push_back(std::string(*text) + "\n  -> " + pieces.status().message());
      continue;
    }
    for (const StatementText& piece : *pieces) {
      ++tally.statements;
      auto statement = parseStatement(piece, lookup);
      if (!statement.isOk()) {
        tally.failures.push_back(piece.text + "\n  -> " + statement.status().message());
        continue;
      }
      ++tally.parsed;
      if (auto* create = std::get_if<CreateType>(&statement->body)) types[create->name] = create->type;
    }
  }
}

// The schemas a test expects of its sources afterwards ("post": {"sources": [{"schema":
// "ID INT KEY, V STRING"}]}) are column lists as CREATE STREAM takes them.
void parseSchemas(const json::Object& test, Tally& tally) {
  auto post = test.find("post");
  if (!post || !post->getObject().isOk()) return;
  auto sources = post->getObject()->find("sources");
  if (!sources || !sources->getArray().isOk()) return;
  json::Array sources_items = *sources->getArray();
  for (json::Value source : sources_items) {
    auto fields = source.getObject();
    auto schema = fields.isOk() ? fields->find("schema") : std::nullopt;
    if (!schema || !schema->getString().isOk()) continue;
    ++tally.statements;
    std::string text = "CREATE STREAM S (" + std::string(*schema->getString()) + ") WITH (KAFKA_TOPIC='t');";
    auto statement = parseStatement(text);
    if (statement.isOk()) {
      ++tally.parsed;
    } else {
      tally.failures.push_back(text + "\n  -> " + statement.status().message());
    }
  }
}

TEST(SqlParserQttSmokeTest, ParsesTheStatementsOfKsqlDbsQueryTranslationTests) {
  const char* source_dir = std::getenv("RUNNEL_SOURCE_DIR");
  std::filesystem::path dir = std::filesystem::path(source_dir ? source_dir : ".") / ".." / "shared" / "qtt";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no QTT files at " << dir;

  Tally accepted;  // tests ksqlDB runs: all their statements parse in ksqlDB
  Tally rejected;  // tests expecting an exception: some statements ksqlDB rejects
  Tally schemas;
  json::Parser json_parser;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = json::withoutComments(buffer.str());
    auto root = json_parser.parse(text);
    ASSERT_TRUE(root.isOk()) << entry.path() << ": " << root.status().message();
    auto object = root->getObject();
    if (!object.isOk()) continue;
    auto tests = object->find("tests");
    if (!tests || !tests->getArray().isOk()) continue;
    json::Array tests_items = *tests->getArray();
    for (json::Value test : tests_items) {
      auto fields = test.getObject();
      if (!fields.isOk()) continue;
      auto statements = fields->find("statements");
      if (!statements || !statements->getArray().isOk()) continue;
      parseTest(*statements->getArray(), fields->find("expectedException") ? rejected : accepted);
      parseSchemas(*fields, schemas);
    }
  }

  double ratio = accepted.statements ? double(accepted.parsed) / accepted.statements : 1.0;
  std::printf("QTT statements parsed: %d of %d in passing tests (%.4f); %d of %d in failing tests\n",
              accepted.parsed, accepted.statements, ratio, rejected.parsed, rejected.statements);
  std::printf("QTT source schemas parsed: %d of %d\n", schemas.parsed, schemas.statements);
  for (size_t i = 0; i < accepted.failures.size() && i < 20; ++i) std::printf("  %s\n", accepted.failures[i].c_str());
  for (size_t i = 0; i < schemas.failures.size() && i < 20; ++i) std::printf("  %s\n", schemas.failures[i].c_str());
  // Measured: every statement of the passing tests parses (2474 of 2474 in ksqlDB 0.29's
  // files), and 18 statements of the failing tests fail: those of 18 of the 21 tests that
  // ksqlDB rejects while parsing. The other three are checks left to the engine: a bad
  // WINDOW_SIZE, and KEY in a table or PRIMARY KEY in a stream (TableElement keeps which).
  EXPECT_GE(ratio, 1.0);
  EXPECT_GE(rejected.statements - rejected.parsed, 18);
  EXPECT_EQ(schemas.parsed, schemas.statements);
}

}  // namespace
}  // namespace runnel::sql
