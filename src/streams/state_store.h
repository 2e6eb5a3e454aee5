#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"

namespace runnel::streams {

// What a store learns about the task that owns it when the task initializes it.
struct StateStoreContext {
  std::string application_id;
  std::string task_id;                // "0_1": sub-topology 0, partition 1
  std::filesystem::path task_dir;     // <state.dir>/<application.id>/<task id>
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
};

// Makes a fresh store per task, as Kafka Streams' StoreBuilder.
class StoreBuilderBase {
 public:
  virtual ~StoreBuilderBase() = default;
  virtual const std::string& name() const = 0;
  virtual std::unique_ptr<StateStore> build() const = 0;
};

}  // namespace runnel::streams
