// Runs the query-translation tests of ksqlDB that exercise expressions (operators,
// comparisons, CAST, CASE, IN, LIKE, constructors, dereference) through the engine on
// topology test drivers, and guards how many of them pass: a regression floor for the
// expression semantics end to end, printing what still fails.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "sql/testing/qtt_runner.h"

namespace runnel::sql {
namespace {

TEST(SqlExpressionQttTest, PassesKsqlDbsExpressionTests) {
  const char* source_dir = std::getenv("RUNNEL_SOURCE_DIR");
  std::filesystem::path dir = std::filesystem::path(source_dir ? source_dir : ".") / ".." / "shared" / "qtt";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no QTT files at " << dir;
  int total = 0, passed = 0, skipped = 0;
  for (const char* file :
       {"binary-arithmetic", "operators", "comparison-expression", "binary-comparison", "between", "in", "like",
        "case-expression", "cast", "null", "literals", "floating-point", "decimal", "create-struct", "create_array",
        "create_map", "simple-struct", "more-complex-struct", "arrayindex", "magic-timestamp-conversion"}) {
    auto cases = testing::loadQttFile(dir / (std::string(file) + ".json"));
    ASSERT_TRUE(cases.isOk()) << file << ": " << cases.status().message();
    for (const testing::TestCase& test : *cases) {
      if (!test.enabled) continue;
      testing::CaseResult result = testing::runTestCase(test);
      if (result.verdict == testing::Verdict::kSkip) {
        ++skipped;
        continue;
      }
      ++total;
      if (result.verdict == testing::Verdict::kPass) {
        ++passed;
      } else {
        std::printf("FAIL %s / %s: %s\n", file, test.name.c_str(), result.detail.substr(0, 400).c_str());
      }
    }
  }
  std::printf("expression QTT cases: %d of %d pass, %d skipped\n", passed, total, skipped);
  // Measured: 120 of 155 (31 need a schema registry). The rest fail outside the expression
  // compiler: expected-error cases the runner cannot set up (their topic is not created),
  // test UDFs and functions not written yet, NULL record values, Java's 4.9E-324.
  EXPECT_GE(passed, 120);
}

}  // namespace
}  // namespace runnel::sql
