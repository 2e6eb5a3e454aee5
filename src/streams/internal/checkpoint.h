#pragma once

#include <cstdint>
#include <filesystem>
#include <map>

#include "client/types.h"
#include "common/result.h"
#include "common/status.h"

namespace runnel::streams::internal {

// Changelog partition -> the offset up to which a task's persistent stores hold it (the
// next offset to restore from).
using CheckpointOffsets = std::map<client::TopicPartition, int64_t>;

// Kafka's checkpoint file (<task dir>/.checkpoint): a version line (0), a count line, then
// "topic partition offset" lines. A missing file is an empty checkpoint; a damaged one is
// ignored with a warning (the stores are then restored from the start of their
// changelogs).
CheckpointOffsets readCheckpointFile(const std::filesystem::path& path);
// Replaces the file atomically, creating its directory; nothing when `offsets` is empty.
[[nodiscard]] Status writeCheckpointFile(const std::filesystem::path& path, const CheckpointOffsets& offsets);

}  // namespace runnel::streams::internal
