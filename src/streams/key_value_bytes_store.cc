#include "streams/key_value_bytes_store.h"

#include <utility>
#include <vector>

namespace runnel::streams {
namespace {

class EmptyIterator final : public KeyValueBytesIterator {
 public:
  explicit EmptyIterator(Status status) : status_(std::move(status)) {}

  bool valid() const override { return false; }
  std::string_view key() const override { return {}; }
  std::string_view value() const override { return {}; }
  void next() override {}
  Status status() const override { return status_; }
  void close() override {}

 private:
  Status status_;
};

// The smallest key greater than every key that starts with `prefix`: the prefix with its
// last byte below 0xff incremented and the rest dropped; none when every byte is 0xff.
std::optional<std::string> prefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto last = static_cast<unsigned char>(end.back());
    if (last != 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return std::nullopt;
}

// The smallest key greater than `key`, which makes an inclusive upper bound exclusive.
std::string successor(std::string_view key) {
  std::string next(key);
  next.push_back('\0');
  return next;
}

}  // namespace

KeyValueBytesIteratorPtr makeEmptyIterator(Status status) {
  return std::make_unique<EmptyIterator>(std::move(status));
}

Status storeNotOpen(const std::string& name) {
  return Status::invalidArgument("state store " + name + " is not open");
}

Status KeyValueBytesStore::restoreBatch(std::span<const ChangelogRecord> records) {
  std::vector<BytesEntry> entries;
  entries.reserve(records.size());
  for (const auto& record : records) entries.push_back({record.key, record.value});
  return putAll(entries);
}

KeyValueBytesIteratorPtr KeyValueBytesStore::range(std::string_view from, std::string_view to) {
  if (from > to) return makeEmptyIterator();
  return scan({std::string(from), successor(to), false});
}

KeyValueBytesIteratorPtr KeyValueBytesStore::reverseRange(std::string_view from, std::string_view to) {
  if (from > to) return makeEmptyIterator();
  return scan({std::string(from), successor(to), true});
}

KeyValueBytesIteratorPtr KeyValueBytesStore::all() { return scan({}); }

KeyValueBytesIteratorPtr KeyValueBytesStore::reverseAll() { return scan({std::nullopt, std::nullopt, true}); }

KeyValueBytesIteratorPtr KeyValueBytesStore::prefixScan(std::string_view prefix) {
  return scan({std::string(prefix), prefixEnd(prefix), false});
}

}  // namespace runnel::streams
