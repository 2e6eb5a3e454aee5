#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>

namespace runnel::cli {

// Parses a tool's command line. Returns nothing when the tool should go on, or the exit
// code to end with: 0 after --help, 1 after a usage error (CLI11 has its own codes;
// Kafka's tools exit 1 on any usage error), the message already printed.
inline std::optional<int> parseOrExitCode(CLI::App& app, int argc, char** argv, std::ostream& out,
                                          std::ostream& err) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0 : 1;
  }
  return std::nullopt;
}

}  // namespace runnel::cli
