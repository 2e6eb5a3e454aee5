#include <CLI/CLI.hpp>

#include <iostream>

#include "sql/testing/commands.h"
#include "sql/testing/qtt_runner.h"

namespace runnel::sql {

int testRunnerMain(int argc, char** argv) {
  CLI::App app{"Runs SQL statements against test input and compares the output (ksql-test-runner), with no broker."};
  app.name("runnel test-runner");
  std::string statements;
  std::string input;
  std::string output;
  app.add_option("-s,--sql-file", statements, "the SQL statements to test")->required()->check(CLI::ExistingFile);
  app.add_option("-i,--input-file", input, "the input records: {\"inputs\": [...]} (optional when the statements "
                                          "insert their own with INSERT ... VALUES)")
      ->check(CLI::ExistingFile);
  app.add_option("-o,--output-file", output, "the expected records: {\"outputs\": [...]}")
      ->required()
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);

  auto test = testing::loadTestRunnerCase(statements, input, output);
  if (!test.isOk()) {
    std::cerr << ">>>>> Test failed: " << test.status().message() << "\n";
    return 1;
  }
  testing::CaseResult result = testing::runTestCase(*test);
  if (result.verdict == testing::Verdict::kPass) {
    std::cout << "\t >>> Test passed!\n";
    return 0;
  }
  std::cerr << "\t>>>>> Test failed: " << result.detail << "\n";
  return 1;
}

}  // namespace runnel::sql
