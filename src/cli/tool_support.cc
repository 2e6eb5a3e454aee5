#include "cli/tool_support.h"

#include <signal.h>

#include <algorithm>
#include <cctype>

namespace runnel::cli {
namespace {

std::atomic<bool> g_stop{false};

void onStopSignal(int) { g_stop.store(true); }

}  // namespace

Result<Properties> parseAssignments(const std::vector<std::string>& assignments) {
  Properties props;
  for (const auto& assignment : assignments) {
    size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::invalidArgument("Invalid command line properties: " + assignment);
    }
    // No trimming: a separator property may be a single space or a tab.
    props.set(assignment.substr(0, eq), assignment.substr(eq + 1));
  }
  return props;
}

Result<client::ClientConfig> loadClientConfig(const std::optional<std::string>& file,
                                              const std::vector<std::string>& assignments) {
  client::ClientConfig config;
  if (file) {
    auto loaded = Properties::load(*file);
    if (!loaded) return loaded.status();
    for (const auto& [k, v] : loaded->all()) config[k] = v;
  }
  RUNNEL_ASSIGN_OR_RETURN(Properties extra, parseAssignments(assignments));
  for (const auto& [k, v] : extra.all()) config[k] = v;
  return config;
}

bool isTrue(const std::string& value) {
  std::string v = value;
  v.erase(0, v.find_first_not_of(" \t"));
  v.erase(v.find_last_not_of(" \t") + 1);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v == "true";
}

const std::atomic<bool>& stopRequested() { return g_stop; }

void installStopSignals() {
  struct sigaction action {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocked read returns EINTR
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int usageError(std::ostream& err, const std::string& message, const std::string& usage) {
  err << message << "\n" << usage;
  return 1;
}

}  // namespace runnel::cli
