#pragma once

// Walks the record batches of a segment file from a byte position, reading through a
// window so that a run of small batches costs one pread, not one per header. Used by reads
// (headers only) and by recovery (whole batches, CRC checked).

#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/status.h"
#include "storage/batch_header.h"

namespace runnel::storage {

class BatchScanner {
 public:
  enum class Step {
    kBatch,    // header() and position() describe the next batch
    kEnd,      // exactly at the limit
    kInvalid,  // torn or invalid batch at position(); error() says why
    kIoError,  // ioStatus() says why
  };

  // Scans [position, limit) of `fd`; `window` is the read-ahead size.
  BatchScanner(int fd, uint64_t position, uint64_t limit, size_t window = 16 * 1024);

  // Advances to the next batch. With verify_crc the whole batch is read and its CRC-32C
  // checked, and batch() holds its bytes until the next call.
  Step next(bool verify_crc);

  const BatchHeader& header() const { return header_; }
  uint64_t position() const { return position_; }
  uint64_t nextPosition() const { return next_position_; }
  ByteSpan batch() const { return batch_; }
  const std::string& error() const { return error_; }
  const Status& ioStatus() const { return io_status_; }

 private:
  // Points at [at, at + size) through the buffer, reading as needed; nullptr on I/O error.
  const uint8_t* window(uint64_t at, size_t size);
  Step invalid(std::string why);

  const int fd_;
  const uint64_t limit_;
  const size_t window_size_;
  uint64_t position_;
  uint64_t next_position_;
  Bytes buffer_;
  uint64_t buffer_start_ = 0;
  size_t buffer_length_ = 0;
  BatchHeader header_;
  ByteSpan batch_;
  std::string error_;
  Status io_status_;
};

}  // namespace runnel::storage
