#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "client/types.h"
#include "common/status.h"
#include "streams/state_store.h"

namespace runnel::streams::internal {

// The changelog records of one poll, copied out of the client's buffers into one arena
// so that a store can apply them as a batch (the client's views last only while its
// callback runs).
class ChangelogBatch {
 public:
  void clear() {
    arena_.clear();
    entries_.clear();
  }
  // `target`: what the record is for (a store of a partition), as the caller numbers them.
  void add(const client::MessageView& message, size_t target = 0) {
    Entry& entry = entries_.emplace_back();
    entry.target = target;
    entry.key_at = arena_.size();
    arena_.append(message.key.value_or(""));
    entry.value_at = arena_.size();
    entry.tombstone = !message.value;
    arena_.append(message.value.value_or(""));
  }
  size_t size() const { return entries_.size(); }

  // Calls apply(target, records) for each run of consecutive records of one target, in
  // order; stops at the first error.
  template <class Apply>
  Status forEachRun(Apply&& apply) {
    std::string_view bytes(arena_);
    for (size_t i = 0; i < entries_.size();) {
      records_.clear();
      size_t target = entries_[i].target;
      for (; i < entries_.size() && entries_[i].target == target; ++i) {
        size_t end = i + 1 < entries_.size() ? entries_[i + 1].key_at : bytes.size();
        ChangelogRecord& record = records_.emplace_back();
        record.key = bytes.substr(entries_[i].key_at, entries_[i].value_at - entries_[i].key_at);
        if (!entries_[i].tombstone) record.value = bytes.substr(entries_[i].value_at, end - entries_[i].value_at);
      }
      RUNNEL_RETURN_IF_ERROR(apply(target, std::span<const ChangelogRecord>(records_)));
    }
    return Status::ok();
  }

 private:
  struct Entry {
    size_t target;
    size_t key_at;
    size_t value_at;
    bool tombstone;
  };
  std::string arena_;
  std::vector<Entry> entries_;
  std::vector<ChangelogRecord> records_;
};

}  // namespace runnel::streams::internal
