#include "storage/batch_scanner.h"

#include <algorithm>

#include "storage/file_util.h"

namespace runnel::storage {

BatchScanner::BatchScanner(int fd, uint64_t position, uint64_t limit, size_t window)
    : fd_(fd), limit_(limit), window_size_(window), position_(position), next_position_(position) {}

const uint8_t* BatchScanner::window(uint64_t at, size_t size) {
  if (at >= buffer_start_ && at + size <= buffer_start_ + buffer_length_) {
    return buffer_.data() + (at - buffer_start_);
  }
  size_t want = size_t(std::min<uint64_t>(std::max(window_size_, size), limit_ - at));
  if (buffer_.size() < want) buffer_.resize(want);
  auto read = preadAll(fd_, buffer_.data(), want, at);
  if (!read.isOk()) {
    io_status_ = read.status();
    return nullptr;
  }
  buffer_start_ = at;
  buffer_length_ = *read;
  if (buffer_length_ < size) {
    io_status_ = Status::ioError("segment file is shorter than expected");
    return nullptr;
  }
  return buffer_.data();
}

BatchScanner::Step BatchScanner::invalid(std::string why) {
  error_ = std::move(why);
  return Step::kInvalid;
}

BatchScanner::Step BatchScanner::next(bool verify_crc) {
  position_ = next_position_;
  batch_ = {};
  if (position_ >= limit_) return Step::kEnd;
  uint64_t remaining = limit_ - position_;
  if (remaining < batch_layout::kHeaderSize) {
    return invalid("torn batch header (" + std::to_string(remaining) + " bytes)");
  }
  const uint8_t* p = window(position_, batch_layout::kHeaderSize);
  if (p == nullptr) return Step::kIoError;
  auto parsed = parseBatchHeader({p, batch_layout::kHeaderSize});
  if (!parsed.isOk()) return invalid(parsed.status().message());
  header_ = *parsed;
  size_t total = header_.totalSize();
  if (total > remaining) {
    return invalid("torn batch: " + std::to_string(total) + " bytes declared, " +
                   std::to_string(remaining) + " present");
  }
  if (verify_crc) {
    p = window(position_, total);
    if (p == nullptr) return Step::kIoError;
    batch_ = {p, total};
    if (!batchCrcMatches(batch_)) return invalid("CRC mismatch");
  }
  next_position_ = position_ + total;
  return Step::kBatch;
}

}  // namespace runnel::storage
