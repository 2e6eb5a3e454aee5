#include "broker/producer_ids.h"

#include <string>

#include "common/atomic_file.h"
#include "common/properties.h"
#include "storage/file_util.h"

namespace runnel::broker {
namespace {

constexpr char kFileName[] = "producer-id-block";
constexpr char kVersion[] = "0";

}  // namespace

Result<std::unique_ptr<ProducerIdAllocator>> ProducerIdAllocator::open(const std::filesystem::path& log_dir) {
  std::filesystem::path path = log_dir / kFileName;
  int64_t reserved_end = 0;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    // "<version>\n<end of the last reserved block>\n", like Kafka's checkpoint files.
    RUNNEL_ASSIGN_OR_RETURN(std::string text, storage::readSmallFile(path));
    size_t newline = text.find('\n');
    std::optional<int64_t> end;
    if (newline != std::string::npos && text.substr(0, newline) == kVersion && text.back() == '\n') {
      end = parseInt64(std::string_view(text).substr(newline + 1, text.size() - newline - 2));
    }
    // Guessing would risk handing out an id twice; the operator has to look.
    if (!end || *end < 0) return Status::corruption(path.string() + " is unreadable");
    reserved_end = *end;
  }
  return std::unique_ptr<ProducerIdAllocator>(new ProducerIdAllocator(std::move(path), reserved_end));
}

Result<int64_t> ProducerIdAllocator::next() {
  std::lock_guard lock(mutex_);
  if (next_ >= block_end_) {
    int64_t end = next_ + kBlockSize;
    RUNNEL_RETURN_IF_ERROR(writeFileAtomically(path_, std::string(kVersion) + "\n" + std::to_string(end) + "\n"));
    block_end_ = end;
  }
  return next_++;
}

}  // namespace runnel::broker
