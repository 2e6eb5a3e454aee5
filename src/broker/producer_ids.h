#pragma once

// Hands out producer ids for InitProducerId, never the same one twice, across restarts too.
// As Kafka's ProducerIdManager does, ids are reserved in blocks: the end of the current
// block is persisted (atomically, fsynced) before any id of it is handed out, so a restart
// continues after the block and at most a block's unused ids are skipped.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>

#include "common/result.h"

namespace runnel::broker {

class ProducerIdAllocator {
 public:
  static constexpr int64_t kBlockSize = 1000;  // Kafka's PID block size

  // Reads the reservation file in `log_dir` (producer-id-block), creating none yet.
  static Result<std::unique_ptr<ProducerIdAllocator>> open(const std::filesystem::path& log_dir);

  // The next unused id. Thread-safe; fails only when the next block cannot be persisted.
  Result<int64_t> next();

 private:
  explicit ProducerIdAllocator(std::filesystem::path path, int64_t next)
      : path_(std::move(path)), next_(next), block_end_(next) {}

  const std::filesystem::path path_;
  std::mutex mutex_;
  int64_t next_;
  int64_t block_end_;  // exclusive; persisted
};

}  // namespace runnel::broker
