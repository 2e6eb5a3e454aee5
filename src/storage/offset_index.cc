#include "storage/offset_index.h"

#include <algorithm>

namespace runnel::storage {

OffsetPosition OffsetIndex::lookup(int64_t offset) const {
  return file_.withEntries([&](const std::vector<OffsetPosition>& entries) -> OffsetPosition {
    auto it = std::upper_bound(entries.begin(), entries.end(), offset,
                               [](int64_t o, const OffsetPosition& e) { return o < e.offset; });
    if (it == entries.begin()) return {file_.baseOffset(), 0};
    return *std::prev(it);
  });
}

}  // namespace runnel::storage
