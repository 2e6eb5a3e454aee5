#include "streams/internal/record_queue.h"

namespace runnel::streams::internal {

void RecordQueue::add(const client::MessageView& message) {
  Entry entry{};
  entry.offset = message.offset;
  entry.timestamp = message.timestamp;
  entry.headers = -1;
  if (message.key) {
    entry.has_key = true;
    entry.key_pos = static_cast<uint32_t>(arena_.size());
    entry.key_len = static_cast<uint32_t>(message.key->size());
    arena_.append(*message.key);
  }
  if (message.value) {
    entry.has_value = true;
    entry.value_pos = static_cast<uint32_t>(arena_.size());
    entry.value_len = static_cast<uint32_t>(message.value->size());
    arena_.append(*message.value);
  }
  if (message.headers != nullptr && !message.headers->empty()) {
    entry.headers = static_cast<int32_t>(headers_.size());
    headers_.push_back(*message.headers);
  }
  entries_.push_back(entry);
}

RawRecord RecordQueue::head() const {
  const Entry& entry = entries_[head_];
  RawRecord raw;
  raw.topic = topic_;
  raw.partition = partition_;
  raw.offset = entry.offset;
  raw.timestamp = entry.timestamp;
  std::string_view arena(arena_);
  if (entry.has_key) raw.key = arena.substr(entry.key_pos, entry.key_len);
  if (entry.has_value) raw.value = arena.substr(entry.value_pos, entry.value_len);
  if (entry.headers >= 0) raw.headers = &headers_[static_cast<size_t>(entry.headers)];
  return raw;
}

void RecordQueue::pop() {
  consumed_offset_ = entries_[head_].offset;
  ++head_;
  head_decoded_ = false;
  if (head_ == entries_.size()) {
    entries_.clear();
    arena_.clear();
    headers_.clear();
    head_ = 0;
  }
}

}  // namespace runnel::streams::internal
