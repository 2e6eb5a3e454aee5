#pragma once

#include <filesystem>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace runnel::streams {

// Where a logged store sends each change: the task writes it to the store's changelog
// topic, "<application.id>-<store>-changelog", in the task's partition.
class ChangeLogger {
 public:
  virtual ~ChangeLogger() = default;
  // `value` nullopt: the key was deleted (a tombstone in the changelog).
  virtual void logChange(std::string_view key, std::optional<std::string_view> value) = 0;
};

// One change read back from a changelog while restoring a store.
struct ChangelogRecord {
  std::string_view key;
  std::optional<std::string_view> value;  // nullopt deletes
};

namespace internal {
class ThreadCache;
}

// What a store learns about the task that owns it when the task initializes it.
struct StateStoreContext {
  std::string application_id;
  std::string task_id;                // "0_1": sub-topology 0, partition 1
  std::filesystem::path task_dir;     // <state.dir>/<application.id>/<task id>
  ChangeLogger* change_logger = nullptr;  // null: the store is not logged
  internal::ThreadCache* cache = nullptr;  // set: the store caches its writes there
  // The timestamp of the record (or punctuation) being processed. A cached store keeps
  // it with each write and sets it back while it flushes that write.
  int64_t* record_timestamp = nullptr;
};

// A store owned by one task (never shared between threads), as Kafka Streams'
// StateStore. Typed interfaces (KeyValueStore<K,V>, ...) derive from it.
class StateStore {
 public:
  virtual ~StateStore() = default;

  virtual const std::string& name() const = 0;
  // Opens the store: a persistent one under <task_dir>/rocksdb/<name>.
  [[nodiscard]] virtual Status init(const StateStoreContext& context) = 0;
  // Makes every write so far durable (persistent stores); called before each commit.
  [[nodiscard]] virtual Status flush() = 0;
  // Flushes and releases the store; it may be opened again with init().
  [[nodiscard]] virtual Status close() = 0;
  virtual bool persistent() const = 0;
  virtual bool isOpen() const = 0;
  // Writes records read back from the store's changelog, without logging them again.
  [[nodiscard]] virtual Status restoreBatch(std::span<const ChangelogRecord> records) {
    (void)records;
    return Status::unsupported("state store " + name() + " cannot be restored from a changelog");
  }
};

// Makes a fresh store per task, as Kafka Streams' StoreBuilder.
class StoreBuilderBase {
 public:
  virtual ~StoreBuilderBase() = default;
  virtual const std::string& name() const = 0;
  virtual std::unique_ptr<StateStore> build() const = 0;
  // Whether the store has a changelog topic, and that topic's configs.
  virtual bool loggingEnabled() const { return false; }
  // Whether the store's writes wait in the thread's record cache.
  virtual bool cachingEnabled() const { return false; }
  virtual const std::map<std::string, std::string>& logConfig() const {
    static const std::map<std::string, std::string> kNone;
    return kNone;
  }
};

}  // namespace runnel::streams
