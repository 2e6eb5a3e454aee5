#include "streams/internal/checkpoint.h"

#include <fstream>
#include <string>

#include "common/atomic_file.h"
#include "streams/internal/log.h"

namespace runnel::streams::internal {

CheckpointOffsets readCheckpointFile(const std::filesystem::path& path) {
  CheckpointOffsets offsets;
  std::ifstream in(path);
  if (!in) return offsets;
  int version = -1;
  size_t count = 0;
  in >> version >> count;
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  while (in >> topic >> partition >> offset) offsets[{topic, partition}] = offset;
  if (version != 0 || offsets.size() != count) {
    log().warn("ignoring damaged checkpoint file {}", path.string());
    offsets.clear();
  }
  return offsets;
}

Status writeCheckpointFile(const std::filesystem::path& path, const CheckpointOffsets& offsets) {
  if (offsets.empty()) return Status::ok();
  std::string text = "0\n" + std::to_string(offsets.size()) + "\n";
  for (const auto& [partition, offset] : offsets) {
    text += partition.topic + " " + std::to_string(partition.partition) + " " + std::to_string(offset) + "\n";
  }
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  return writeFileAtomically(path.string(), text);
}

}  // namespace runnel::streams::internal
