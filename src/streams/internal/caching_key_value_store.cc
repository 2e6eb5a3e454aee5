#include "streams/internal/caching_key_value_store.h"

#include <algorithm>
#include <utility>

#include "streams/internal/thread_cache.h"

namespace runnel::streams::internal {
namespace {

// A failure of the wrapped store during a flush, carried out of the cache to the store
// call that caused the flush. Anything else the listener throws (a processor's failure
// downstream) passes through as it is.
struct FlushFailure {
  Status status;
};

// The cache's entries of a range merged with the wrapped store's, as Kafka Streams'
// MergedSortedCacheKeyValueBytesStoreIterator: on equal keys the cache wins, and a key
// deleted in the cache is skipped. The cached part is copied when the iterator is made,
// so that writes while it is open do not move it.
class MergedIterator final : public KeyValueBytesIterator {
 public:
  struct Cached {
    std::string key;
    std::optional<std::string> value;
  };

  MergedIterator(std::vector<Cached> cached, KeyValueBytesIteratorPtr inner, bool reverse)
      : cached_(std::move(cached)), inner_(std::move(inner)), reverse_(reverse) {
    settle();
  }

  bool valid() const override { return current_ != Source::kNone; }
  std::string_view key() const override { return current_ == Source::kCache ? cached_[pos_].key : inner_->key(); }
  std::string_view value() const override {
    return current_ == Source::kCache ? std::string_view(*cached_[pos_].value) : inner_->value();
  }
  void next() override {
    if (current_ == Source::kCache) {
      ++pos_;
    } else if (current_ == Source::kInner) {
      inner_->next();
    }
    settle();
  }
  Status status() const override { return inner_->status(); }
  void close() override {
    inner_->close();
    cached_.clear();
    current_ = Source::kNone;
  }

 private:
  enum class Source { kNone, kCache, kInner };

  // Points at the next entry to show, consuming the wrapped store's entries the cache
  // shadows and the cache's deletes.
  void settle() {
    for (;;) {
      bool has_cached = pos_ < cached_.size();
      bool has_inner = inner_->valid();
      if (!has_cached && !has_inner) {
        current_ = Source::kNone;
        return;
      }
      int order = !has_cached ? 1 : !has_inner ? -1 : cached_[pos_].key.compare(inner_->key());
      if (reverse_) order = -order;
      if (order > 0) {
        current_ = Source::kInner;
        return;
      }
      if (order == 0) inner_->next();
      if (cached_[pos_].value) {
        current_ = Source::kCache;
        return;
      }
      ++pos_;
    }
  }

  std::vector<Cached> cached_;
  size_t pos_ = 0;
  KeyValueBytesIteratorPtr inner_;
  bool reverse_;
  Source current_ = Source::kNone;
};

}  // namespace

CachingKeyValueBytesStore::CachingKeyValueBytesStore(std::unique_ptr<KeyValueBytesStore> inner)
    : inner_(std::move(inner)) {}

CachingKeyValueBytesStore::~CachingKeyValueBytesStore() = default;

Status CachingKeyValueBytesStore::init(const StateStoreContext& context) {
  if (context.cache == nullptr) return Status::internal("state store " + name() + " was opened without a cache");
  RUNNEL_RETURN_IF_ERROR(inner_->init(context));
  logger_ = context.change_logger;
  record_timestamp_ = context.record_timestamp;
  cache_ = context.cache->open([this](std::span<const DirtyEntry> entries) { writeThrough(entries); });
  return Status::ok();
}

Status CachingKeyValueBytesStore::flush() {
  if (cache_ == nullptr) return storeNotOpen(name());
  try {
    cache_->flush();
  } catch (const FlushFailure& failure) {
    return failure.status;
  }
  return inner_->flush();
}

Status CachingKeyValueBytesStore::close() {
  cache_.reset();
  return inner_->close();
}

Status CachingKeyValueBytesStore::restoreBatch(std::span<const ChangelogRecord> records) {
  return inner_->restoreBatch(records);
}

Result<bool> CachingKeyValueBytesStore::get(std::string_view key, std::string& value) {
  if (cache_ == nullptr) return storeNotOpen(name());
  if (const NamedCache::Entry* entry = cache_->find(key)) {
    if (!entry->has_value) return false;
    value.assign(entry->value);
    return true;
  }
  return inner_->get(key, value);
}

Status CachingKeyValueBytesStore::write(std::string_view key, std::optional<std::string_view> value) {
  if (cache_ == nullptr) return storeNotOpen(name());
  try {
    cache_->put(key, value, record_timestamp_ != nullptr ? *record_timestamp_ : 0);
  } catch (const FlushFailure& failure) {
    return failure.status;
  }
  return Status::ok();
}

Status CachingKeyValueBytesStore::put(std::string_view key, std::string_view value) { return write(key, value); }

Result<std::optional<std::string>> CachingKeyValueBytesStore::putIfAbsent(std::string_view key,
                                                                         std::string_view value) {
  std::string previous;
  RUNNEL_ASSIGN_OR_RETURN(bool found, get(key, previous));
  if (found) return std::optional<std::string>(std::move(previous));
  RUNNEL_RETURN_IF_ERROR(write(key, value));
  return std::optional<std::string>();
}

Result<std::optional<std::string>> CachingKeyValueBytesStore::remove(std::string_view key) {
  std::string previous;
  RUNNEL_ASSIGN_OR_RETURN(bool found, get(key, previous));
  RUNNEL_RETURN_IF_ERROR(write(key, std::nullopt));
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(std::move(previous));
}

Status CachingKeyValueBytesStore::putAll(std::span<const BytesEntry> entries) {
  for (const BytesEntry& entry : entries) RUNNEL_RETURN_IF_ERROR(write(entry.key, entry.value));
  return Status::ok();
}

KeyValueBytesIteratorPtr CachingKeyValueBytesStore::scan(KeyRange range) {
  if (cache_ == nullptr) return makeEmptyIterator(storeNotOpen(name()));
  std::vector<MergedIterator::Cached> cached;
  cache_->forEachInRange(range.lower, range.upper, [&cached](const std::string& key, const NamedCache::Entry& entry) {
    cached.push_back({key, entry.has_value ? std::optional<std::string>(entry.value) : std::nullopt});
  });
  if (range.reverse) std::reverse(cached.begin(), cached.end());
  bool reverse = range.reverse;
  return std::make_unique<MergedIterator>(std::move(cached), inner_->scan(std::move(range)), reverse);
}

void CachingKeyValueBytesStore::writeThrough(std::span<const DirtyEntry> entries) {
  batch_.clear();
  batch_timestamps_.clear();
  old_values_.resize(std::max(old_values_.size(), entries.size()));
  size_t olds = 0;
  for (const DirtyEntry& entry : entries) {
    if (listener_) {
      // The value the children saw last: what the wrapped store holds until this flush.
      std::string& old = old_values_[olds].emplace();
      Result<bool> found = inner_->get(entry.key, old);
      if (!found.isOk()) throw FlushFailure{found.status()};
      if (!*found) old_values_[olds].reset();
      if (!entry.value && !old_values_[olds]) continue;  // deleted a key the store never had
      ++olds;
    }
    batch_.push_back({entry.key, entry.value});
    batch_timestamps_.push_back(entry.timestamp);
  }
  Status written = inner_->putAll(batch_);
  if (!written.isOk()) throw FlushFailure{std::move(written)};
  // The changelog and the children see each write with the timestamp of its record, as
  // Kafka switches the record context while it flushes.
  int64_t scratch = 0;
  int64_t& timestamp = record_timestamp_ != nullptr ? *record_timestamp_ : scratch;
  struct Restore {
    int64_t& timestamp;
    int64_t processing;
    ~Restore() { timestamp = processing; }
  } restore{timestamp, timestamp};
  for (size_t i = 0; i < batch_.size(); ++i) {
    timestamp = batch_timestamps_[i];
    if (logger_ != nullptr) logger_->logChange(batch_[i].key, batch_[i].value);
    if (listener_) listener_(batch_[i].key, batch_[i].value, old_values_[i], batch_timestamps_[i]);
  }
}

}  // namespace runnel::streams::internal
