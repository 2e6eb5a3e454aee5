// Producer state snapshot files (<offset>.snapshot). Format in docs/storage-format.md.

#include <algorithm>
#include <set>

#include "common/bytes.h"
#include "common/crc32c.h"
#include "storage/file_util.h"
#include "storage/producer_state.h"

namespace runnel::storage {
namespace {

constexpr char kSnapshotSuffix[] = ".snapshot";
constexpr uint16_t kSnapshotVersion = 1;
constexpr size_t kSnapshotHeader = 6;  // version:int16 crc:uint32

Result<std::set<int64_t>> listSnapshots(const std::filesystem::path& dir) {
  std::set<int64_t> offsets;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (auto offset = parseSegmentFileName(entry.path().filename().string(), kSnapshotSuffix)) offsets.insert(*offset);
  }
  if (ec) return Status::ioError("list " + dir.string() + ": " + ec.message());
  return offsets;
}

std::filesystem::path snapshotPath(const std::filesystem::path& dir, int64_t offset) {
  return dir / segmentFileName(offset, kSnapshotSuffix);
}

}  // namespace

Status ProducerStateManager::writeSnapshot(const std::filesystem::path& dir, int64_t offset) const {
  Bytes out;
  ByteWriter w(out);
  w.be16(kSnapshotVersion);
  w.be32(0);  // CRC-32C of everything after it, filled below
  w.be32(uint32_t(producers_.size()));
  for (const auto& [producer_id, entry] : producers_) {
    w.be64(uint64_t(producer_id));
    w.be16(uint16_t(entry.epoch));
    w.be64(uint64_t(entry.last_timestamp));
    w.u8(uint8_t(entry.batches.size()));
    for (const BatchMetadata& b : entry.batches) {
      w.be32(uint32_t(b.first_seq));
      w.be32(uint32_t(b.last_seq));
      w.be64(uint64_t(b.first_offset));
      w.be64(uint64_t(b.last_offset));
      w.be64(uint64_t(b.timestamp));
    }
  }
  storeBe32(out.data() + 2, crc32c(out.data() + kSnapshotHeader, out.size() - kSnapshotHeader));
  return writeFileAtomically(snapshotPath(dir, offset), asStringView(out));
}

Status ProducerStateManager::readSnapshot(const std::filesystem::path& path) {
  RUNNEL_ASSIGN_OR_RETURN(std::string text, readSmallFile(path));
  ByteSpan data = asBytes(text);
  ByteReader r(data);
  uint16_t version = r.be16();
  uint32_t crc = r.be32();
  if (!r.ok() || version != kSnapshotVersion) return Status::corruption("unknown snapshot version");
  if (crc != crc32c(data.data() + kSnapshotHeader, data.size() - kSnapshotHeader)) {
    return Status::corruption("bad CRC");
  }
  std::unordered_map<int64_t, ProducerEntry> producers;
  uint32_t count = r.be32();
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    int64_t producer_id = int64_t(r.be64());
    ProducerEntry entry;
    entry.epoch = int16_t(r.be16());
    entry.last_timestamp = int64_t(r.be64());
    uint8_t batches = r.u8();
    for (uint8_t j = 0; j < batches && r.ok(); ++j) {
      BatchMetadata b;
      b.first_seq = int32_t(r.be32());
      b.last_seq = int32_t(r.be32());
      b.first_offset = int64_t(r.be64());
      b.last_offset = int64_t(r.be64());
      b.timestamp = int64_t(r.be64());
      entry.batches.push_back(b);
    }
    producers.emplace(producer_id, std::move(entry));
  }
  if (!r.ok() || !r.atEnd()) return Status::corruption("truncated or overlong snapshot");
  producers_ = std::move(producers);
  return Status::ok();
}

Result<std::optional<int64_t>> ProducerStateManager::loadLatestSnapshot(const std::filesystem::path& dir,
                                                                        int64_t max_offset, RecoveryReport* report) {
  producers_.clear();
  RUNNEL_ASSIGN_OR_RETURN(std::set<int64_t> offsets, listSnapshots(dir));
  for (auto it = offsets.rbegin(); it != offsets.rend(); ++it) {
    std::filesystem::path path = snapshotPath(dir, *it);
    std::string problem;
    if (*it > max_offset) {
      problem = "is past the log end " + std::to_string(max_offset);
    } else if (Status s = readSnapshot(path); !s.isOk()) {
      if (s.code() == Status::Code::kIoError) return s;
      problem = "is unreadable (" + s.message() + ")";
    } else {
      return std::optional<int64_t>(*it);
    }
    RUNNEL_RETURN_IF_ERROR(removeFile(path));
    if (report) report->messages.push_back("removed " + path.filename().string() + ", which " + problem);
  }
  return std::optional<int64_t>();
}

Status ProducerStateManager::removeOldSnapshots(const std::filesystem::path& dir, size_t keep) {
  RUNNEL_ASSIGN_OR_RETURN(std::set<int64_t> offsets, listSnapshots(dir));
  size_t excess = offsets.size() > keep ? offsets.size() - keep : 0;
  for (auto it = offsets.begin(); excess > 0; ++it, --excess) {
    RUNNEL_RETURN_IF_ERROR(removeFile(snapshotPath(dir, *it)));
  }
  return Status::ok();
}

}  // namespace runnel::storage
