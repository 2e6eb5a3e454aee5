#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"
#include "streams/record.h"
#include "streams/state_store.h"

namespace runnel::streams {

// A position in a run of a store's entries, in byte order of the keys (or its reverse).
// RocksDB's iterator shape rather than Kafka's hasNext()/next(): key() and value() are
// views into the store, so walking a range copies nothing. Use:
//   for (auto it = store.range(a, b); it->valid(); it->next()) use(it->key(), it->value());
//   RUNNEL_RETURN_IF_ERROR(it->status());
class KeyValueBytesIterator {
 public:
  virtual ~KeyValueBytesIterator() = default;

  // Whether the iterator is at an entry: false at the end, after an error and after close().
  virtual bool valid() const = 0;
  // The current entry (requires valid()). The views stay valid until next() or close(),
  // and, for the in-memory store, until the next write to the store.
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  // Moves to the next entry in the direction of iteration; nothing once !valid().
  virtual void next() = 0;
  // Why iteration ended early; OK when it reached the end of its range.
  virtual Status status() const = 0;
  // Releases what the iterator pins (RocksDB: its snapshot). The destructor closes too.
  // An iterator still open when its store closes is closed by the store and then reports
  // an error, as Kafka Streams closes a store's open iterators.
  virtual void close() = 0;
};

using KeyValueBytesIteratorPtr = std::unique_ptr<KeyValueBytesIterator>;

// An iterator with no entries that reports `status` (OK: an empty range).
KeyValueBytesIteratorPtr makeEmptyIterator(Status status = Status::ok());

// The keys an iteration visits: lower <= key < upper (absent: unbounded), in `reverse`
// order when set.
struct KeyRange {
  std::optional<std::string> lower;
  std::optional<std::string> upper;
  bool reverse = false;
};

// One entry of putAll(): nullopt deletes the key, as a null value does in Kafka.
using BytesEntry = KeyValue<std::string_view, std::optional<std::string_view>>;

// A store of byte keys and values in byte-lexicographic key order, as Kafka Streams'
// KeyValueStore<Bytes, byte[]>: the layer below the typed KeyValueStore<K,V>, and the one
// that caching and change-logging wrap. Every method fails with a Status while the store
// is not open.
class KeyValueBytesStore : public StateStore {
 public:
  // Reads the value of `key` into `value`, reusing its storage; returns whether the key
  // was there (`value` is unchanged when not).
  [[nodiscard]] virtual Result<bool> get(std::string_view key, std::string& value) = 0;
  [[nodiscard]] virtual Status put(std::string_view key, std::string_view value) = 0;
  // Puts `value` only where `key` is absent; returns the value that was there.
  [[nodiscard]] virtual Result<std::optional<std::string>> putIfAbsent(std::string_view key, std::string_view value) = 0;
  // Kafka's delete(), a keyword in C++. Returns the value that was there.
  [[nodiscard]] virtual Result<std::optional<std::string>> remove(std::string_view key) = 0;
  // Applies every entry in order; the persistent store applies them atomically.
  [[nodiscard]] virtual Status putAll(std::span<const BytesEntry> entries) = 0;
  [[nodiscard]] virtual Result<uint64_t> approximateNumEntries() = 0;
  // Applies the records through putAll().
  [[nodiscard]] Status restoreBatch(std::span<const ChangelogRecord> records) override;

  // Entries with from <= key <= to; empty when from > to, as Kafka.
  KeyValueBytesIteratorPtr range(std::string_view from, std::string_view to);
  KeyValueBytesIteratorPtr reverseRange(std::string_view from, std::string_view to);
  KeyValueBytesIteratorPtr all();
  KeyValueBytesIteratorPtr reverseAll();
  // Entries whose key starts with `prefix`, in key order.
  KeyValueBytesIteratorPtr prefixScan(std::string_view prefix);

  // The backends implement every iteration as one scan of a key range.
  virtual KeyValueBytesIteratorPtr scan(KeyRange range) = 0;
};

// "state store <name> is not open": what every method returns on a closed store.
Status storeNotOpen(const std::string& name);

}  // namespace runnel::streams
