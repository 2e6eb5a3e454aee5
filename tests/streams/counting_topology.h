#pragma once

// A Processor API application that counts records per key in the store "counts" (logged,
// in memory or on RocksDB) and writes each new count to "counts-out".

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "streams/or_throw.h"
#include "streams/serdes.h"
#include "streams/stores.h"
#include "streams/topology.h"

namespace runnel::streams {

using std::string;

// Counts records per key in the store "counts" and forwards the new count.
class Counter : public Processor<string, string, string, int64_t> {
 public:
  void init(ProcessorContext<string, int64_t>& context) override {
    context_ = &context;
    store_ = &context.getStateStore<KeyValueStore<string, int64_t>>("counts");
  }
  void process(const Record<string, string>& record) override {
    if (record.value() == "forget") {
      orThrow(store_->remove(record.key()));
      return;
    }
    int64_t count = orThrow(store_->get(record.key())).value_or(0) + 1;
    orThrow(store_->put(record.key(), count));
    context_->forward(Record<string, int64_t>(record.key(), count, record.timestamp()));
  }

 private:
  ProcessorContext<string, int64_t>* context_ = nullptr;
  KeyValueStore<string, int64_t>* store_ = nullptr;
};

inline Topology countingTopology(bool persistent, bool logged) {
  Topology topology;
  EXPECT_TRUE(topology.addSource("Source", {"numbers"}, Serdes::String(), Serdes::String()).isOk());
  EXPECT_TRUE(topology.addProcessor("Count", [] { return std::make_unique<Counter>(); }, {"Source"}).isOk());
  auto supplier = persistent ? Stores::persistentKeyValueStore("counts") : Stores::inMemoryKeyValueStore("counts");
  auto builder = Stores::keyValueStoreBuilder(supplier, Serdes::String(), Serdes::Long());
  if (!logged) builder->withLoggingDisabled();
  EXPECT_TRUE(topology.addStateStore(builder, {"Count"}).isOk());
  EXPECT_TRUE(topology.addSink("Sink", "counts-out", Serdes::String(), Serdes::Long(), {"Count"}).isOk());
  return topology;
}

}  // namespace runnel::streams
