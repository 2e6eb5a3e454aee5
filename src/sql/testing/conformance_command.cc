#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "sql/testing/commands.h"
#include "sql/testing/qtt_runner.h"

namespace runnel::sql {
namespace {

struct Tally {
  int pass = 0;
  int fail = 0;
  int skip = 0;
  void add(testing::Verdict verdict) {
    (verdict == testing::Verdict::kPass ? pass : verdict == testing::Verdict::kFail ? fail : skip)++;
  }
};

}  // namespace

int conformanceMain(int argc, char** argv) {
  CLI::App app{"Runs ksqlDB's query-validation tests (QTT files) through the engine on topology test drivers; with "
               "--rest, its REST query-validation tests (pull, push and insert queries)."};
  app.name("runnel conformance");
  std::string directory = "../shared/qtt";
  std::vector<std::string> files;
  int min_pass = -1;
  bool verbose = false;
  bool rest = false;
  app.add_option("--qtt-dir", directory, "the folder of QTT .json files")->capture_default_str();
  app.add_option("--files", files, "the files to run, by name without .json (default: all)")->delimiter(',');
  app.add_option("--min-pass", min_pass, "exit non-zero when fewer cases pass");
  app.add_flag("-v,--verbose", verbose, "print each failing case and why");
  app.add_flag("--rest", rest, "the files are REST query-validation tests (../shared/qtt-rest)");
  CLI11_PARSE(app, argc, argv);

  if (!std::filesystem::is_directory(directory)) {
    std::cerr << "runnel conformance: no QTT folder at " << directory << " (use --qtt-dir)\n";
    return 2;
  }
  std::vector<std::filesystem::path> paths;
  if (files.empty()) {
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
      if (entry.path().extension() == ".json") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
  } else {
    for (const auto& name : files) paths.push_back(std::filesystem::path(directory) / (name + ".json"));
  }
  Tally total;
  for (const auto& path : paths) {
    auto cases = testing::loadQttFile(path);
    if (!cases.isOk()) {
      std::cout << fmt::format("{:<40} cannot load: {}\n", path.stem().string(), cases.status().message());
      continue;
    }
    Tally tally;
    for (const auto& test : *cases) {
      testing::CaseResult result = rest ? testing::runRestTestCase(test) : testing::runTestCase(test);
      tally.add(result.verdict);
      total.add(result.verdict);
      if (verbose && result.verdict == testing::Verdict::kFail) {
        std::cout << fmt::format("  FAIL {} / {}: {}\n", test.file, test.name, result.detail);
      }
    }
    std::cout << fmt::format("{:<40} pass {:>4}  fail {:>4}  skip {:>4}\n", path.stem().string(), tally.pass,
                             tally.fail, tally.skip);
  }
  int run = total.pass + total.fail;
  std::cout << fmt::format("{:<40} pass {:>4}  fail {:>4}  skip {:>4}  ({:.1f}% of the cases run)\n", "TOTAL",
                           total.pass, total.fail, total.skip, run == 0 ? 0.0 : 100.0 * total.pass / run);
  if (min_pass >= 0 && total.pass < min_pass) {
    std::cerr << fmt::format("runnel conformance: {} cases passed, fewer than the recorded {}\n", total.pass, min_pass);
    return 1;
  }
  return 0;
}

}  // namespace runnel::sql
