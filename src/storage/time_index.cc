#include "storage/time_index.h"

#include <algorithm>

namespace runnel::storage {

void TimeIndex::maybeAppend(int64_t timestamp, int64_t offset) {
  file_.withEntries([&](std::vector<TimeEntry>& entries) {
    if (entries.empty() || timestamp > entries.back().timestamp) entries.push_back({timestamp, offset});
  });
}

int64_t TimeIndex::lookup(int64_t timestamp) const {
  return file_.withEntries([&](const std::vector<TimeEntry>& entries) {
    auto it = std::lower_bound(entries.begin(), entries.end(), timestamp,
                               [](const TimeEntry& e, int64_t t) { return e.timestamp < t; });
    if (it == entries.begin()) return file_.baseOffset();
    return std::prev(it)->offset;
  });
}

}  // namespace runnel::storage
