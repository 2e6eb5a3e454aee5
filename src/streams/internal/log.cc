#include "streams/internal/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace runnel::streams::internal {

spdlog::logger& log() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    if (auto existing = spdlog::get("runnel.streams")) return existing;
    return spdlog::stderr_color_mt("runnel.streams");
  }();
  return *logger;
}

}  // namespace runnel::streams::internal
