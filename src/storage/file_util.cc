#include "storage/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "common/properties.h"

namespace runnel::storage {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

Result<UniqueFd> openFile(const std::filesystem::path& path, int flags, int mode) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return Status::fromErrno("open " + path.string(), errno);
  return UniqueFd(fd);
}

Result<uint64_t> fileSize(int fd) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return Status::fromErrno("fstat", errno);
  return uint64_t(st.st_size);
}

Status writeAll(int fd, const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::fromErrno("write", errno);
    }
    p += n;
    size -= size_t(n);
  }
  return Status::ok();
}

Status pwriteAll(int fd, const void* data, size_t size, uint64_t offset) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    ssize_t n = ::pwrite(fd, p, size, off_t(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::fromErrno("pwrite", errno);
    }
    p += n;
    size -= size_t(n);
    offset += uint64_t(n);
  }
  return Status::ok();
}

Result<size_t> preadAll(int fd, void* data, size_t size, uint64_t offset) {
  auto* p = static_cast<uint8_t*>(data);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, p + done, size - done, off_t(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::fromErrno("pread", errno);
    }
    if (n == 0) break;
    done += size_t(n);
  }
  return done;
}

Status truncateFile(int fd, uint64_t size) {
  if (::ftruncate(fd, off_t(size)) != 0) return Status::fromErrno("ftruncate", errno);
  return Status::ok();
}

Status syncFd(int fd) {
  if (::fsync(fd) != 0) return Status::fromErrno("fsync", errno);
  return Status::ok();
}

Status syncDirectory(const std::filesystem::path& dir) {
  RUNNEL_ASSIGN_OR_RETURN(UniqueFd fd, openFile(dir, O_RDONLY | O_DIRECTORY));
  return syncFd(fd.get());
}

Status writeFileAtomically(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    RUNNEL_ASSIGN_OR_RETURN(UniqueFd fd, openFile(tmp, O_WRONLY | O_CREAT | O_TRUNC));
    RUNNEL_RETURN_IF_ERROR(writeAll(fd.get(), content.data(), content.size()));
    RUNNEL_RETURN_IF_ERROR(syncFd(fd.get()));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::fromErrno("rename " + tmp.string(), errno);
  }
  return syncDirectory(path.parent_path());
}

Result<std::string> readSmallFile(const std::filesystem::path& path) {
  RUNNEL_ASSIGN_OR_RETURN(UniqueFd fd, openFile(path, O_RDONLY));
  RUNNEL_ASSIGN_OR_RETURN(uint64_t size, fileSize(fd.get()));
  std::string out(size, '\0');
  RUNNEL_ASSIGN_OR_RETURN(size_t n, preadAll(fd.get(), out.data(), size, 0));
  out.resize(n);
  return out;
}

Status removeFile(const std::filesystem::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::fromErrno("unlink " + path.string(), errno);
  }
  return Status::ok();
}

std::string segmentFileName(int64_t base_offset, std::string_view suffix) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%020lld", static_cast<long long>(base_offset));
  std::string name = digits;
  name += suffix;
  return name;
}

std::optional<int64_t> parseSegmentFileName(std::string_view name, std::string_view suffix) {
  constexpr size_t kDigits = 20;
  if (name.size() != kDigits + suffix.size() || name.substr(kDigits) != suffix) return std::nullopt;
  std::string_view digits = name.substr(0, kDigits);
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return parseInt64(digits);
}

}  // namespace runnel::storage
