#pragma once

// Interactive queries: read-only access to an application's local stores from any thread,
// and the metadata that tells which instance holds a key, as Kafka Streams offers them
// through KafkaStreams::store(), queryMetadataForKey() and streamsMetadataForStore().

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/types.h"
#include "common/result.h"
#include "streams/key_value_store.h"

namespace runnel::streams {

// An instance's application.server, "host:port".
struct HostInfo {
  std::string host;
  int32_t port = -1;

  static Result<HostInfo> parse(const std::string& host_port);
  std::string toString() const { return host + ":" + std::to_string(port); }
  auto operator<=>(const HostInfo&) const = default;
};

// One instance of the application and what it runs.
struct StreamsMetadata {
  HostInfo host_info;
  std::set<std::string> state_store_names;
  std::set<client::TopicPartition> topic_partitions;
};

// Where the active copy of a key lives.
struct KeyQueryMetadata {
  HostInfo active_host;
  int32_t partition = -1;
};

// The stores of one name across the active tasks of this instance. Each read takes the
// task's query lock, so it sees the store between two records, never in the middle of one.
// Keys a task of another instance owns are simply absent here.
template <class K, class V>
class ReadOnlyKeyValueStore {
 public:
  using ForEachStore = std::function<void(const std::function<void(StateStore&)>&)>;
  explicit ReadOnlyKeyValueStore(ForEachStore for_each) : for_each_(std::move(for_each)) {}

  Result<std::optional<V>> get(const K& key) const {
    std::optional<V> found;
    Status error;
    visit([&](KeyValueStore<K, V>& store) {
      if (found || !error.isOk()) return;
      auto value = store.get(key);
      if (!value.isOk()) error = value.status();
      else found = std::move(*value);
    }, error);
    if (!error.isOk()) return error;
    return found;
  }
  // Entries with from <= key <= to, task by task (each task's in key order).
  Result<std::vector<KeyValue<K, V>>> range(const K& from, const K& to) const {
    return collect([&](KeyValueStore<K, V>& store) { return store.range(from, to); });
  }
  Result<std::vector<KeyValue<K, V>>> all() const {
    return collect([](KeyValueStore<K, V>& store) { return store.all(); });
  }
  // Entries whose serialized key starts with the bytes of `prefix`, task by task.
  template <class P>
  Result<std::vector<KeyValue<K, V>>> prefixScan(const P& prefix, const SerdePtr<P>& prefix_serde) const {
    return collect([&](KeyValueStore<K, V>& store) { return store.prefixScan(prefix, prefix_serde); });
  }
  Result<uint64_t> approximateNumEntries() const {
    uint64_t total = 0;
    Status error;
    visit([&](KeyValueStore<K, V>& store) {
      auto n = store.approximateNumEntries();
      if (n.isOk()) total += *n;
      else if (error.isOk()) error = n.status();
    }, error);
    if (!error.isOk()) return error;
    return total;
  }

 private:
  template <class F>
  void visit(F f, Status& error) const {
    for_each_([&](StateStore& base) {
      auto* store = dynamic_cast<KeyValueStore<K, V>*>(&base);
      if (store == nullptr) {
        if (error.isOk()) error = Status::invalidArgument("state store " + base.name() + " is not of the requested type");
        return;
      }
      f(*store);
    });
  }
  template <class Open>
  Result<std::vector<KeyValue<K, V>>> collect(Open open) const {
    std::vector<KeyValue<K, V>> out;
    Status error;
    visit([&](KeyValueStore<K, V>& store) {
      auto it = open(store);
      for (; it.valid(); it.next()) out.push_back({it.key(), it.value()});
      if (error.isOk() && !it.status().isOk()) error = it.status();
    }, error);
    if (!error.isOk()) return error;
    return out;
  }

  ForEachStore for_each_;
};

}  // namespace runnel::streams
