#pragma once

// The few POSIX file operations the log needs, returning Status instead of errno. All disk
// access of the storage module goes through here or through a UniqueFd it opened.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace runnel::storage {

// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// Opens (O_CLOEXEC added) or fails with an IO error naming the path.
Result<UniqueFd> openFile(const std::filesystem::path& path, int flags, int mode = 0644);
Result<uint64_t> fileSize(int fd);
// Writes all of `data`, retrying short writes and EINTR.
Status writeAll(int fd, const void* data, size_t size);
Status pwriteAll(int fd, const void* data, size_t size, uint64_t offset);
// Reads up to `size` bytes at `offset`; the count is short only at end of file.
Result<size_t> preadAll(int fd, void* data, size_t size, uint64_t offset);
Status truncateFile(int fd, uint64_t size);
Status syncFd(int fd);
Status syncDirectory(const std::filesystem::path& dir);
// Replaces `path` with `content` so that a crash leaves either the old or the new file:
// write to path.tmp, fsync, rename, fsync the directory.
Status writeFileAtomically(const std::filesystem::path& path, std::string_view content);
Result<std::string> readSmallFile(const std::filesystem::path& path);
Status removeFile(const std::filesystem::path& path);

// "00000000000000000042.log": the base offset in 20 digits, as Kafka names segments.
std::string segmentFileName(int64_t base_offset, std::string_view suffix);
// The base offset of a file named by segmentFileName with this suffix, or nullopt.
std::optional<int64_t> parseSegmentFileName(std::string_view name, std::string_view suffix);

}  // namespace runnel::storage
