#pragma once

#include <spdlog/spdlog.h>

namespace runnel::streams::internal {

// The library's logger, "runnel.streams", writing to stderr: an application's stdout
// stays its own (spdlog's default logger writes to stdout).
spdlog::logger& log();

}  // namespace runnel::streams::internal
