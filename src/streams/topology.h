#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "common/status.h"
#include "streams/kstream.h"
#include "streams/ktable.h"

namespace runnel::streams {

// A processing graph, built with the DSL (StreamsBuilder::build) or by hand with the
// Processor API, as Kafka Streams' Topology. Each add method checks its arguments and
// returns the mistake it finds (duplicate names, unknown parents, record types that do
// not match the parent's).
class Topology {
 public:
  Topology() : builder_(std::make_shared<internal::DslBuilder>()) {}
  explicit Topology(std::shared_ptr<internal::DslBuilder> builder) : builder_(std::move(builder)) {}

  template <class K, class V>
  [[nodiscard]] Status addSource(const std::string& name, std::vector<std::string> topics, SerdePtr<K> key_serde,
                                 SerdePtr<V> value_serde, TimestampExtractor<K, V> extractor = {}) {
    return builder_->topology.addNode(
        KStream<K, V>::sourceFactory(name, std::move(topics), false, key_serde, value_serde, std::move(extractor)));
  }

  // supplier() returns a std::unique_ptr to a Processor<KIn, VIn, KOut, VOut>, one per task.
  template <class Supplier, class P = typename std::invoke_result_t<Supplier&>::element_type>
  [[nodiscard]] Status addProcessor(const std::string& name, Supplier supplier, std::vector<std::string> parents) {
    internal::NodeFactory factory;
    factory.name = name;
    factory.parents = std::move(parents);
    factory.types = internal::nodeTypes<typename P::KeyIn, typename P::ValueIn, typename P::KeyOut,
                                        typename P::ValueOut>();
    factory.make = [name, supplier] { return std::make_unique<internal::ProcessorNode<P>>(name, supplier()); };
    return builder_->topology.addNode(std::move(factory));
  }

  template <class K, class V>
  [[nodiscard]] Status addSink(const std::string& name, const std::string& topic, SerdePtr<K> key_serde,
                               SerdePtr<V> value_serde, std::vector<std::string> parents) {
    internal::NodeFactory factory;
    factory.name = name;
    factory.kind = internal::NodeKind::kSink;
    factory.parents = std::move(parents);
    factory.topics = {topic};
    factory.types = internal::nodeTypes<K, V, void, void>();
    factory.make = [=] {
      return std::make_unique<internal::SinkNode<K, V>>(name, topic, false, nullptr, key_serde, value_serde);
    };
    return builder_->topology.addNode(std::move(factory));
  }

  // `store_builder` comes from Stores::keyValueStoreBuilder(...).
  [[nodiscard]] Status addStateStore(std::shared_ptr<const StoreBuilderBase> store_builder,
                                     const std::vector<std::string>& processor_names = {}) {
    return builder_->topology.addStateStore(std::move(store_builder), processor_names);
  }
  [[nodiscard]] Status connectProcessorAndStateStores(const std::string& processor_name,
                                                      const std::vector<std::string>& store_names) {
    return builder_->topology.connectProcessorAndStateStores(processor_name, store_names);
  }

  // Kafka Streams' TopologyDescription text: sub-topologies with their sources,
  // processors (and stores) and sinks.
  std::string describe() const { return builder_->topology.describe(); }

  // For the runtime and the test driver: the topology for one application id, which
  // keeps this topology's nodes alive.
  Result<internal::BuiltTopology> buildFor(const std::string& application_id) const {
    auto built = builder_->topology.build(application_id);
    if (built.isOk()) built->owner = builder_;
    return built;
  }
  const internal::TopologyBuilder& internals() const { return builder_->topology; }

 private:
  std::shared_ptr<internal::DslBuilder> builder_;
};

// Builds a Topology with the DSL, as Kafka Streams' StreamsBuilder.
class StreamsBuilder {
 public:
  StreamsBuilder() : builder_(std::make_shared<internal::DslBuilder>()) {}

  template <class K, class V>
  KStream<K, V> stream(std::vector<std::string> topics, Consumed<K, V> consumed = {}) {
    std::string name = builder_->name(consumed.name, "KSTREAM-SOURCE-");
    builder_->add(KStream<K, V>::sourceFactory(name, std::move(topics), false, consumed.key_serde,
                                               consumed.value_serde, consumed.timestamp_extractor));
    return KStream<K, V>(builder_, name, consumed.key_serde, consumed.value_serde);
  }
  template <class K, class V>
  KStream<K, V> stream(const std::string& topic, Consumed<K, V> consumed = {}) {
    return stream<K, V>(std::vector<std::string>{topic}, std::move(consumed));
  }

  // A table of the latest value per key of `topic` (a null value deletes the key), kept
  // in a store: the Materialized's, else "<topic>-STATE-STORE-<index>" (Kafka
  // materializes an unnamed source table only when needed; here it always is).
  template <class K, class V>
  KTable<K, V> table(const std::string& topic, Consumed<K, V> consumed = {}, Materialized<K, V> materialized = {}) {
    std::string store = internal::storeNameOf(*builder_, materialized, topic + "-");
    std::string source = builder_->name(consumed.name, "KSTREAM-SOURCE-");
    std::string name = consumed.name.empty() ? builder_->topology.newName("KTABLE-SOURCE-")
                                             : consumed.name + "-table-source";
    internal::DefaultSerdes serdes;
    SerdePtr<K> keys = materialized.keySerde() ? materialized.keySerde() : consumed.key_serde;
    SerdePtr<V> values = materialized.valueSerde() ? materialized.valueSerde() : consumed.value_serde;
    SerdePtr<K> store_keys = serdes.orDefault(keys, true);
    SerdePtr<V> store_values = serdes.orDefault(values, false);
    // Read as optional values so that tombstones stay null.
    TimestampExtractor<K, std::optional<V>> extractor;
    if (consumed.timestamp_extractor) {
      extractor = [inner = consumed.timestamp_extractor](const ConsumerRecordInfo& info, const K& key,
                                                         const std::optional<V>& value, int64_t partition_time) {
        return inner(info, key, value ? *value : V{}, partition_time);
      };
    }
    builder_->add(KStream<K, std::optional<V>>::sourceFactory(source, {topic}, false, consumed.key_serde,
                                                              Serdes::Optional(store_values), std::move(extractor)));
    builder_->add(tableSourceFactory<K, V>(name, source, store, serdes));
    builder_->check(builder_->topology.addStateStore(
        internal::storeBuilderOf(materialized, store, store_keys, store_values), {name}));
    // As Kafka's KTableSource: old values only from a store the user named.
    return KTable<K, V>(builder_, name, keys, values, store, !materialized.storeName().empty());
  }

  // A table of all partitions of `topic` on every instance, as Kafka's globalTable: its
  // store (the Materialized's, else "<topic>-STATE-STORE-<index>", never logged: the
  // topic is its changelog) is restored to the topic's end before any stream record is
  // processed, then follows the topic. A null value deletes the key.
  template <class K, class V>
  GlobalKTable<K, V> globalTable(const std::string& topic, Consumed<K, V> consumed = {},
                                 Materialized<K, V> materialized = {}) {
    std::string store = internal::storeNameOf(*builder_, materialized, topic + "-");
    // Kafka names these the other way round from table()'s.
    std::string source = consumed.name.empty() ? builder_->topology.newName("KSTREAM-SOURCE-")
                                               : consumed.name + "-table-source";
    std::string name = builder_->name(consumed.name, "KTABLE-SOURCE-");
    internal::DefaultSerdes serdes;
    SerdePtr<K> keys = serdes.orDefault(materialized.keySerde() ? materialized.keySerde() : consumed.key_serde, true);
    SerdePtr<V> values =
        serdes.orDefault(materialized.valueSerde() ? materialized.valueSerde() : consumed.value_serde, false);
    // Not cached either: the global thread has no record cache.
    auto store_builder = internal::storeBuilderOf(std::move(materialized).withLoggingDisabled().withCachingDisabled(),
                                                  store, keys, values);
    // Described as Kafka describes it; the global thread puts the topic's records into the
    // store as they are, so these nodes never run.
    internal::NodeFactory source_factory = KStream<K, std::optional<V>>::sourceFactory(
        source, {topic}, false, keys, Serdes::Optional(values), {});
    builder_->check(builder_->topology.addGlobalStore(
        std::move(store_builder), std::move(source_factory), tableSourceFactory<K, V>(name, source, store, serdes),
        [serdes, name](const StreamsConfig& config) { serdes.resolve(config, name); }));
    return GlobalKTable<K, V>(store, keys, values);
  }

  // `store_builder` comes from Stores::keyValueStoreBuilder(...); processors name it in process().
  StreamsBuilder& addStateStore(std::shared_ptr<const StoreBuilderBase> store_builder) {
    builder_->check(builder_->topology.addStateStore(std::move(store_builder), {}));
    return *this;
  }

  // The topology, or the first mistake made while building it.
  Result<Topology> build() {
    if (!builder_->first_error.isOk()) return builder_->first_error;
    return Topology(builder_);
  }

 private:
  // KTABLE-SOURCE `name` after the source node `source`: the latest value per key into `store`.
  template <class K, class V>
  static internal::NodeFactory tableSourceFactory(const std::string& name, const std::string& source,
                                                  const std::string& store, const internal::DefaultSerdes& serdes) {
    internal::NodeFactory factory;
    factory.name = name;
    factory.parents = {source};
    factory.types = internal::nodeTypes<K, std::optional<V>, K, Change<V>>();
    factory.make = [name, store, serdes] {
      return std::make_unique<internal::KTableSourceNode<K, std::optional<V>, V>>(name, store, serdes);
    };
    return factory;
  }

  std::shared_ptr<internal::DslBuilder> builder_;
};

}  // namespace runnel::streams
