#pragma once

// Helpers for storage tests: a temporary directory and a builder of valid v2 record batches
// (uncompressed, no keys or headers), independent of the protocol module.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "storage/batch_header.h"

namespace runnel::storage::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "runnel-storage-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// One batch of `values`, the i-th record stamped timestamps[i] (or base_timestamp + i).
inline Bytes makeBatch(const std::vector<std::string>& values, int64_t base_timestamp,
                       std::vector<int64_t> timestamps = {}) {
  using namespace batch_layout;
  if (timestamps.empty()) {
    for (size_t i = 0; i < values.size(); ++i) timestamps.push_back(base_timestamp + int64_t(i));
  }
  int64_t max_timestamp = base_timestamp;
  for (int64_t t : timestamps) max_timestamp = std::max(max_timestamp, t);
  Bytes out;
  ByteWriter w(out);
  w.be64(0);             // base offset: the log assigns it
  size_t length = w.placeholder(4);
  w.be32(0);             // partition leader epoch
  w.u8(2);               // magic
  w.be32(0);             // CRC, filled below
  w.be16(0);             // attributes
  w.be32(uint32_t(values.size() - 1));
  w.be64(uint64_t(base_timestamp));
  w.be64(uint64_t(max_timestamp));
  w.be64(uint64_t(-1));  // producer id
  w.be16(uint16_t(-1));  // producer epoch
  w.be32(uint32_t(-1));  // base sequence
  w.be32(uint32_t(values.size()));
  for (size_t i = 0; i < values.size(); ++i) {
    Bytes record;
    ByteWriter r(record);
    r.u8(0);
    r.varint(timestamps[i] - base_timestamp);
    r.varint(int64_t(i));
    r.varint(-1);  // null key
    r.varint(int64_t(values[i].size()));
    r.raw(values[i]);
    r.uvarint(0);  // no headers
    w.varint(int64_t(record.size()));
    w.raw(record);
  }
  storeBe32(out.data() + length, uint32_t(out.size() - kLogOverhead));
  updateBatchCrc(out.data(), out.size());
  return out;
}

// A batch of `count` records whose values are "v<i>" padded to `value_size` bytes.
inline Bytes makeBatchOf(int count, size_t value_size, int64_t timestamp) {
  std::vector<std::string> values;
  for (int i = 0; i < count; ++i) {
    std::string v = "v" + std::to_string(i);
    v.resize(std::max(value_size, v.size()), '.');
    values.push_back(v);
  }
  return makeBatch(values, timestamp, std::vector<int64_t>(size_t(count), timestamp));
}

// Base offsets, last offsets and sizes of the batches in `data`.
struct BatchView {
  int64_t base_offset;
  int64_t last_offset;
  size_t size;
};
inline std::vector<BatchView> splitBatches(ByteSpan data) {
  std::vector<BatchView> out;
  size_t at = 0;
  while (at + batch_layout::kHeaderSize <= data.size()) {
    auto h = parseBatchHeader(data.subspan(at));
    if (!h.isOk() || at + h->totalSize() > data.size()) break;
    out.push_back({h->base_offset, h->lastOffset(), h->totalSize()});
    at += h->totalSize();
  }
  return out;
}

}  // namespace runnel::storage::testing
