#pragma once

#include <atomic>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "client/types.h"
#include "common/properties.h"
#include "common/result.h"

namespace runnel::cli {

// Kafka's tools take client settings from a properties file first, then from repeated
// key=value flags, which win. Either may be absent.
Result<client::ClientConfig> loadClientConfig(const std::optional<std::string>& file,
                                              const std::vector<std::string>& assignments);

// Parses repeated "key=value" flags (--property, --config); the value may contain '='.
Result<Properties> parseAssignments(const std::vector<std::string>& assignments);

// Kafka's boolean tool properties: "true" in any case, surrounding spaces ignored.
bool isTrue(const std::string& value);

// Set once SIGINT or SIGTERM arrives; installStopSignals() arranges it. The handlers
// do not restart interrupted reads, so a blocked read of stdin returns.
const std::atomic<bool>& stopRequested();
void installStopSignals();

// How Kafka's tools report a command-line mistake: the message, then the usage, exit 1.
int usageError(std::ostream& err, const std::string& message, const std::string& usage);

}  // namespace runnel::cli

namespace runnel::cli {

// The result of parsing a tool's command line: the options, or the exit code to end
// with at once (0 after --help, 1 after a usage error already printed).
template <typename Options>
struct ParsedArgs {
  std::optional<Options> options;
  int exit_code = 0;
};

}  // namespace runnel::cli
