#pragma once

// The stateful DSL, as Kafka Streams': KTable (a changelog stream: each update of a key
// goes downstream as a Change of its new and old value), KGroupedStream and
// KGroupedTable with their aggregations.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "streams/change.h"
#include "streams/internal/foreign_key_join_nodes.h"
#include "streams/internal/table_nodes.h"
#include "streams/kstream.h"
#include "streams/materialized.h"

namespace runnel::streams {

namespace internal {

// The store of a Materialized: its supplier (else a persistent store), serdes and flags.
template <class K, class V>
std::shared_ptr<const StoreBuilderBase> storeBuilderOf(const Materialized<K, V>& materialized,
                                                       const std::string& name, SerdePtr<K> key_serde,
                                                       SerdePtr<V> value_serde) {
  auto supplier = materialized.supplier() ? materialized.supplier() : Stores::persistentKeyValueStore(name);
  auto builder = Stores::keyValueStoreBuilder(std::move(supplier), std::move(key_serde), std::move(value_serde));
  if (materialized.loggingEnabled()) {
    builder->withLoggingEnabled(materialized.logConfig());
  } else {
    builder->withLoggingDisabled();
  }
  if (materialized.cachingEnabled()) {
    builder->withCachingEnabled();
  } else {
    builder->withCachingDisabled();
  }
  return builder;
}

// The store name of a Materialized: the user's, else "<prefix>STATE-STORE-<index>".
template <class K, class V>
std::string storeNameOf(DslBuilder& builder, const Materialized<K, V>& materialized, const std::string& prefix) {
  return materialized.storeName().empty() ? builder.topology.newName(prefix + "STATE-STORE-")
                                          : materialized.storeName();
}

}  // namespace internal

// A table: the latest value per key, as Kafka Streams' KTable<K, V>. Cheap to copy: a
// handle onto the topology being built. Its node forwards Record<K, Change<V>>.
template <class K, class V>
class KTable {
 public:
  // `sends_old_values`: this table's changes carry the old value without anything being
  // materialized for it (Kafka's enableSendingOldValues(false) holds): aggregations, tables
  // materialized under a name, and filters and mappings of such tables.
  KTable(std::shared_ptr<internal::DslBuilder> builder, std::string node_name, SerdePtr<K> key_serde,
         SerdePtr<V> value_serde, std::string store_name, bool sends_old_values = false)
      : builder_(std::move(builder)), node_(std::move(node_name)), key_serde_(std::move(key_serde)),
        value_serde_(std::move(value_serde)), store_name_(std::move(store_name)),
        sends_old_values_(sends_old_values) {}

  const std::string& nodeName() const { return node_; }
  // The store that holds this table, empty when it is not materialized.
  const std::string& queryableStoreName() const { return store_name_; }
  const SerdePtr<K>& keySerde() const { return key_serde_; }
  const SerdePtr<V>& valueSerde() const { return value_serde_; }

  // The updates as a stream: nullopt where Kafka forwards a null value (a deleted or
  // filtered-out key), so that tombstones reach the topics written from it.
  KStream<K, std::optional<V>> toStream(const Named& named = {}) const {
    std::string name = builder_->name(named.name(), "KTABLE-TOSTREAM-");
    internal::DefaultSerdes serdes;
    SerdePtr<std::optional<V>> values = Serdes::Optional(serdes.orDefault(value_serde_, false));
    add<K, std::optional<V>>(name, [name, serdes] {
      return std::make_unique<internal::KTableToStreamNode<K, V>>(name, serdes);
    });
    return KStream<K, std::optional<V>>(builder_, name, key_serde_, values);
  }

  // A value for which predicate(key, value) does not hold becomes a tombstone. As Kafka's
  // KTableFilter: when the old value is known (see the constructor), an update that was
  // filtered out before and after is not forwarded, as it would delete nothing.
  template <class F>
  KTable filter(F predicate, const Named& named = {}) const {
    return doFilter<F, false>(std::move(predicate), named, std::nullopt);
  }
  template <class F>
  KTable filter(F predicate, Materialized<K, V> materialized, const Named& named = {}) const {
    return doFilter<F, false>(std::move(predicate), named, std::move(materialized));
  }
  template <class F>
  KTable filterNot(F predicate, const Named& named = {}) const {
    return doFilter<F, true>(std::move(predicate), named, std::nullopt);
  }
  template <class F>
  KTable filterNot(F predicate, Materialized<K, V> materialized, const Named& named = {}) const {
    return doFilter<F, true>(std::move(predicate), named, std::move(materialized));
  }

  // mapper(value) or mapper(key, value) -> new value.
  template <class F, class V2 = internal::ValueMapperResult<F, K, V>>
  KTable<K, V2> mapValues(F mapper, const Named& named = {}) const {
    return doMapValues<V2>(std::move(mapper), named, std::nullopt);
  }
  template <class F, class V2 = internal::ValueMapperResult<F, K, V>>
  KTable<K, V2> mapValues(F mapper, Materialized<K, V2> materialized, const Named& named = {}) const {
    return doMapValues<V2>(std::move(mapper), named, std::move(materialized));
  }

  // Joins with another table on the key: a key has a joined value joiner(value, other
  // value), or joiner(key, value, other value), while both tables have one. An update of
  // either side forwards the joined value after and before it. Both tables must be
  // materialized.
  template <class VO, class F, class VR = internal::JoinerResult<F, K, V, VO>>
  KTable<K, VR> join(const KTable<K, VO>& other, F joiner, const Named& named = {}) const {
    return doJoin<VO, VR>(other, innerJoiner<VO, VR>(std::move(joiner)), named, std::nullopt);
  }
  template <class VO, class F, class VR = internal::JoinerResult<F, K, V, VO>>
  KTable<K, VR> join(const KTable<K, VO>& other, F joiner, Materialized<K, VR> materialized,
                     const Named& named = {}) const {
    return doJoin<VO, VR>(other, innerJoiner<VO, VR>(std::move(joiner)), named, std::move(materialized));
  }
  // As join(), while this table has a value: the joiner takes a const std::optional<VO>&.
  template <class VO, class F, class VR = internal::JoinerResult<F, K, V, std::optional<VO>>>
  KTable<K, VR> leftJoin(const KTable<K, VO>& other, F joiner, const Named& named = {}) const {
    return doJoin<VO, VR>(other, leftJoiner<VO, VR>(std::move(joiner)), named, std::nullopt);
  }
  template <class VO, class F, class VR = internal::JoinerResult<F, K, V, std::optional<VO>>>
  KTable<K, VR> leftJoin(const KTable<K, VO>& other, F joiner, Materialized<K, VR> materialized,
                         const Named& named = {}) const {
    return doJoin<VO, VR>(other, leftJoiner<VO, VR>(std::move(joiner)), named, std::move(materialized));
  }
  // As join(), while either table has a value: the joiner takes a const std::optional<V>&
  // and a const std::optional<VO>&.
  template <class VO, class F, class VR = internal::JoinerResult<F, K, std::optional<V>, std::optional<VO>>>
  KTable<K, VR> outerJoin(const KTable<K, VO>& other, F joiner, const Named& named = {}) const {
    return doJoin<VO, VR>(other, outerJoiner<VO, VR>(std::move(joiner)), named, std::nullopt);
  }
  template <class VO, class F, class VR = internal::JoinerResult<F, K, std::optional<V>, std::optional<VO>>>
  KTable<K, VR> outerJoin(const KTable<K, VO>& other, F joiner, Materialized<K, VR> materialized,
                          const Named& named = {}) const {
    return doJoin<VO, VR>(other, outerJoiner<VO, VR>(std::move(joiner)), named, std::move(materialized));
  }

  // Joins on a foreign key (Kafka's KIP-213): each value of this table joins the other
  // table's value at foreign_key_extractor(value), or (key, value), which returns KO or
  // std::optional<KO> (nullopt: no foreign key, no match): joiner(value, other value).
  // The result is keyed as this table and always materialized (in
  // "KTABLE-FK-JOIN-OUTPUT-STATE-STORE-<n>" unless named), so its value serde must come
  // from the Materialized unless the default fits. Both tables must be materialized;
  // unlike a key join they need not be co-partitioned: subscriptions and answers travel
  // through two internal topics (docs/streams.md).
  template <class KO, class VO, class FK, class F, class VR = internal::JoinerResult<F, K, V, VO>>
    requires internal::ForeignKeyExtractor<FK, K, V, KO>
  KTable<K, VR> join(const KTable<KO, VO>& other, FK foreign_key_extractor, F joiner, const Named& named = {},
                     Materialized<K, VR> materialized = {}) const {
    return doForeignKeyJoin<KO, VO, VR, false>(other, std::move(foreign_key_extractor), std::move(joiner), named,
                                               std::move(materialized));
  }
  template <class KO, class VO, class FK, class F, class VR = internal::JoinerResult<F, K, V, VO>>
    requires internal::ForeignKeyExtractor<FK, K, V, KO>
  KTable<K, VR> join(const KTable<KO, VO>& other, FK foreign_key_extractor, F joiner, Materialized<K, VR> materialized,
                     const Named& named = {}) const {
    return doForeignKeyJoin<KO, VO, VR, false>(other, std::move(foreign_key_extractor), std::move(joiner), named,
                                               std::move(materialized));
  }
  // As the foreign-key join(), for every value of this table: the joiner takes a
  // const std::optional<VO>&, nullopt without a foreign key or without a value there.
  template <class KO, class VO, class FK, class F, class VR = internal::JoinerResult<F, K, V, std::optional<VO>>>
    requires internal::ForeignKeyExtractor<FK, K, V, KO>
  KTable<K, VR> leftJoin(const KTable<KO, VO>& other, FK foreign_key_extractor, F joiner, const Named& named = {},
                         Materialized<K, VR> materialized = {}) const {
    return doForeignKeyJoin<KO, VO, VR, true>(other, std::move(foreign_key_extractor), std::move(joiner), named,
                                              std::move(materialized));
  }
  template <class KO, class VO, class FK, class F, class VR = internal::JoinerResult<F, K, V, std::optional<VO>>>
    requires internal::ForeignKeyExtractor<FK, K, V, KO>
  KTable<K, VR> leftJoin(const KTable<KO, VO>& other, FK foreign_key_extractor, F joiner,
                         Materialized<K, VR> materialized, const Named& named = {}) const {
    return doForeignKeyJoin<KO, VO, VR, true>(other, std::move(foreign_key_extractor), std::move(joiner), named,
                                              std::move(materialized));
  }

  // Regroups the table by selector(key, value) -> KeyValue<K2, V2>, for aggregations that
  // add new values and subtract old ones.
  template <class F, class KV = std::invoke_result_t<F&, const K&, const V&>>
  KGroupedTable<decltype(KV::key), decltype(KV::value)> groupBy(
      F selector, Grouped<decltype(KV::key), decltype(KV::value)> grouped = {}) const;

 private:
  template <class K2, class V2>
  friend class KTable;
  template <class K2, class V2>
  friend class KStream;

  template <class KOut, class VOut, class Make>
  void add(const std::string& name, Make make) const {
    internal::NodeFactory factory;
    factory.name = name;
    factory.parents = {node_};
    factory.types = internal::nodeTypes<K, Change<V>, KOut, VOut>();
    factory.make = std::move(make);
    builder_->add(std::move(factory));
  }

  // As Kafka: an explicit Materialized takes a store name from the index even when it
  // names no store, and only a named store materializes the result.
  template <class V2, class Map>
  KTable<K, V2> addMapNode(const char* prefix, Map map, const Named& named,
                           std::optional<Materialized<K, V2>> materialized, SerdePtr<V2> value_serde,
                           bool is_filter) const {
    std::string store;
    if (materialized) store = internal::storeNameOf(*builder_, *materialized, prefix);
    std::string name = builder_->name(named.name(), prefix);
    if (!materialized || materialized->storeName().empty()) store.clear();
    internal::DefaultSerdes serdes;
    SerdePtr<K> keys = key_serde_;
    SerdePtr<V2> values = value_serde;
    if (materialized) {
      if (materialized->keySerde()) keys = materialized->keySerde();
      if (materialized->valueSerde()) values = materialized->valueSerde();
    }
    std::shared_ptr<const StoreBuilderBase> store_builder;
    if (!store.empty()) {
      store_builder = internal::storeBuilderOf(*materialized, store, serdes.orDefault(keys, true),
                                               serdes.orDefault(values, false));
    }
    bool sends_old_values = sends_old_values_ || !store.empty();
    bool skip_absent = is_filter && sends_old_values;
    add<K, Change<V2>>(name, [name, map, store, serdes, skip_absent] {
      return std::make_unique<internal::KTableMapNode<K, V, V2, Map>>(name, map, store, serdes, skip_absent);
    });
    if (store_builder) builder_->check(builder_->topology.addStateStore(std::move(store_builder), {name}));
    return KTable<K, V2>(builder_, name, keys, values, store, sends_old_values);
  }

  template <class F, bool kNegate>
  KTable doFilter(F predicate, const Named& named, std::optional<Materialized<K, V>> materialized) const {
    auto map = [predicate](const K& key, const V& value) -> std::optional<V> {
      if (static_cast<bool>(predicate(key, value)) == kNegate) return std::nullopt;
      return value;
    };
    return addMapNode<V>("KTABLE-FILTER-", std::move(map), named, std::move(materialized), value_serde_, true);
  }

  template <class V2, class F>
  KTable<K, V2> doMapValues(F mapper, const Named& named, std::optional<Materialized<K, V2>> materialized) const {
    auto map = [mapper](const K& key, const V& value) mutable -> std::optional<V2> {
      return internal::invokeWithValue(mapper, key, value);
    };
    return addMapNode<V2>("KTABLE-MAPVALUES-", std::move(map), named, std::move(materialized), nullptr, false);
  }

  // A join kind as a function of (key, this value or nullopt, other value or nullopt)
  // to the joined value, nullopt where the kind has none.
  template <class VO, class VR, class F>
  static auto innerJoiner(F joiner) {
    return [joiner](const K& key, const std::optional<V>& value,
                    const std::optional<VO>& other) mutable -> std::optional<VR> {
      if (!value || !other) return std::nullopt;
      return internal::invokeJoiner(joiner, key, *value, *other);
    };
  }
  template <class VO, class VR, class F>
  static auto leftJoiner(F joiner) {
    return [joiner](const K& key, const std::optional<V>& value,
                    const std::optional<VO>& other) mutable -> std::optional<VR> {
      if (!value) return std::nullopt;
      return internal::invokeJoiner(joiner, key, *value, other);
    };
  }
  template <class VO, class VR, class F>
  static auto outerJoiner(F joiner) {
    return [joiner](const K& key, const std::optional<V>& value,
                    const std::optional<VO>& other) mutable -> std::optional<VR> {
      if (!value && !other) return std::nullopt;
      return internal::invokeJoiner(joiner, key, value, other);
    };
  }

  // The store of a table that a join reads; a build error when it has none.
  std::string joinedStore(const char* what) const {
    if (store_name_.empty()) {
      builder_->check(Status::invalidArgument(std::string(what) + ": KTable " + node_ +
                                              " is not materialized; give it a store with Materialized::as"));
    }
    return store_name_;
  }

  // Kafka's KTableImpl.doJoin: the result's store (when materialized), KTABLE-MERGE,
  // KTABLE-JOINTHIS (this side's updates look up the other's store) and KTABLE-JOINOTHER
  // (the reverse), named "<name>", "<name>-join-this", "<name>-join-other" when named.
  // The stores connect all three to both tables: one sub-topology, co-partitioned.
  template <class VO, class VR, class Join>
  KTable<K, VR> doJoin(const KTable<K, VO>& other, Join join, const Named& named,
                       std::optional<Materialized<K, VR>> materialized) const {
    std::string store;
    if (materialized) store = internal::storeNameOf(*builder_, *materialized, "KTABLE-MERGE-");
    std::string merge = builder_->name(named.name(), "KTABLE-MERGE-");
    std::string join_this =
        named.name().empty() ? builder_->topology.newName("KTABLE-JOINTHIS-") : named.name() + "-join-this";
    std::string join_other =
        named.name().empty() ? builder_->topology.newName("KTABLE-JOINOTHER-") : named.name() + "-join-other";
    std::string this_store = joinedStore("KTable join");
    std::string other_store = other.joinedStore("KTable join");

    add<K, Change<VR>>(join_this, [join_this, join, other_store] {
      return std::make_unique<internal::KTableKTableJoinNode<K, V, VO, VR, Join>>(join_this, join, other_store);
    });
    // The other side's updates come with its value first: swap the arguments back.
    auto reversed = [join](const K& key, const std::optional<VO>& value,
                           const std::optional<V>& this_value) mutable {
      return join(key, this_value, value);
    };
    other.template add<K, Change<VR>>(join_other, [join_other, reversed, this_store] {
      return std::make_unique<internal::KTableKTableJoinNode<K, VO, V, VR, decltype(reversed)>>(join_other, reversed,
                                                                                              this_store);
    });
    builder_->check(builder_->topology.connectProcessorAndStateStores(join_this, {other_store}));
    builder_->check(builder_->topology.connectProcessorAndStateStores(join_other, {this_store}));

    internal::DefaultSerdes serdes;
    SerdePtr<K> keys = key_serde_;
    SerdePtr<VR> values;
    if (materialized) {
      if (materialized->keySerde()) keys = materialized->keySerde();
      values = materialized->valueSerde();
    }
    std::shared_ptr<const StoreBuilderBase> store_builder;
    if (materialized) {
      store_builder = internal::storeBuilderOf(*materialized, store, serdes.orDefault(keys, true),
                                               serdes.orDefault(values, false));
    }
    internal::NodeFactory factory;
    factory.name = merge;
    factory.parents = {join_this, join_other};
    factory.types = internal::nodeTypes<K, Change<VR>, K, Change<VR>>();
    factory.make = [merge, store, serdes] {
      return std::make_unique<internal::KTableJoinMergeNode<K, VR>>(merge, store, serdes);
    };
    builder_->add(std::move(factory));
    if (store_builder) builder_->check(builder_->topology.addStateStore(std::move(store_builder), {merge}));
    return KTable<K, VR>(builder_, merge, keys, values, store);
  }

  // Kafka's KTableImpl.doJoinOnForeignKey (streams/internal/foreign_key_join.h).
  template <class KO, class VO, class VR, bool kLeft, class FK, class F>
  KTable<K, VR> doForeignKeyJoin(const KTable<KO, VO>& other, FK extractor, F joiner, const Named& named,
                                 Materialized<K, VR> materialized) const;

  std::shared_ptr<internal::DslBuilder> builder_;
  std::string node_;
  SerdePtr<K> key_serde_;
  SerdePtr<V> value_serde_;
  std::string store_name_;
  bool sends_old_values_ = false;
};

// A stream grouped by key, as Kafka Streams' KGroupedStream: each aggregation keeps one
// value per key in a store and forwards every update as a KTable change. Null keys and
// values are skipped.
template <class K, class V>
class KGroupedStream {
 public:
  KGroupedStream(KStream<K, V> stream, Grouped<K, V> grouped, bool repartition_required)
      : stream_(std::move(stream)), grouped_(std::move(grouped)), repartition_required_(repartition_required) {}

  // Records per key.
  KTable<K, int64_t> count(Materialized<K, int64_t> materialized = {}) const {
    return count(Named(), std::move(materialized));
  }
  KTable<K, int64_t> count(const Named& named, Materialized<K, int64_t> materialized = {}) const {
    auto fold = [](const K&, const V&, const std::optional<int64_t>& count) { return count.value_or(0) + 1; };
    return doAggregate<int64_t>("KSTREAM-AGGREGATE-", std::move(fold), named, std::move(materialized), Serdes::Long());
  }

  // reducer(aggregate, value) -> aggregate; the first value of a key is its aggregate.
  // A reducer may return std::optional<V>: nullopt deletes the key (a tombstone downstream).
  template <class F>
  KTable<K, V> reduce(F reducer, Materialized<K, V> materialized = {}, const Named& named = {}) const {
    auto fold = [reducer](const K&, const V& value, const std::optional<V>& aggregate) mutable -> std::optional<V> {
      return aggregate ? reducer(*aggregate, value) : value;
    };
    return doAggregate<V>("KSTREAM-REDUCE-", std::move(fold), named, std::move(materialized), valueSerde());
  }

  // aggregator(key, value, aggregate) -> aggregate, starting from initializer(). An
  // aggregator may return std::optional<VA>: nullopt deletes the key.
  template <class I, class F, class VA = std::decay_t<std::invoke_result_t<I&>>>
  KTable<K, VA> aggregate(I initializer, F aggregator, Materialized<K, VA> materialized = {},
                          const Named& named = {}) const {
    auto fold = [initializer, aggregator](const K& key, const V& value,
                                          const std::optional<VA>& aggregate) mutable -> std::optional<VA> {
      return aggregator(key, value, aggregate ? *aggregate : initializer());
    };
    return doAggregate<VA>("KSTREAM-AGGREGATE-", std::move(fold), named, std::move(materialized), nullptr);
  }

 private:
  SerdePtr<K> keySerde() const { return grouped_.key_serde ? grouped_.key_serde : stream_.keySerde(); }
  SerdePtr<V> valueSerde() const { return grouped_.value_serde ? grouped_.value_serde : stream_.valueSerde(); }

  // Names as Kafka's: the store, then the processor, then (if needed) the repartition
  // topic "<Grouped name, else the store>-repartition".
  template <class VA, class Fold>
  KTable<K, VA> doAggregate(const std::string& prefix, Fold fold, const Named& named,
                            Materialized<K, VA> materialized, SerdePtr<VA> value_serde) const {
    auto& builder = stream_.builder_;
    std::string store = internal::storeNameOf(*builder, materialized, prefix);
    std::string name = builder->name(named.name(), prefix.c_str());
    KStream<K, V> input = stream_;
    if (repartition_required_) {
      input = stream_.repartitionThrough(grouped_.name.empty() ? store : grouped_.name, -1, keySerde(), valueSerde());
    }
    internal::DefaultSerdes serdes;
    SerdePtr<K> keys = materialized.keySerde() ? materialized.keySerde() : keySerde();
    SerdePtr<VA> values = materialized.valueSerde() ? materialized.valueSerde() : value_serde;
    auto store_builder =
        internal::storeBuilderOf(materialized, store, serdes.orDefault(keys, true), serdes.orDefault(values, false));
    internal::NodeFactory factory;
    factory.name = name;
    factory.parents = {input.nodeName()};
    factory.types = internal::nodeTypes<K, V, K, Change<VA>>();
    factory.make = [name, fold, store, serdes] {
      return std::make_unique<internal::KStreamAggregateNode<K, V, VA, Fold>>(name, fold, store, serdes);
    };
    builder->add(std::move(factory));
    builder->check(builder->topology.addStateStore(std::move(store_builder), {name}));
    return KTable<K, VA>(builder, name, keys, values, store, true);
  }

  KStream<K, V> stream_;
  Grouped<K, V> grouped_;
  bool repartition_required_;
};

// A table regrouped by KTable::groupBy, as Kafka Streams' KGroupedTable: an update
// subtracts the old value from its old group's aggregate and adds the new value to its
// new group's. The changes go through the repartition topic
// "<Grouped name, else the store>-repartition".
template <class K, class V>
class KGroupedTable {
 public:
  KGroupedTable(std::shared_ptr<internal::DslBuilder> builder, std::string select_node, Grouped<K, V> grouped,
                SerdePtr<K> key_serde, SerdePtr<V> value_serde, internal::DefaultSerdes serdes)
      : builder_(std::move(builder)), select_node_(std::move(select_node)), grouped_(std::move(grouped)),
        key_serde_(std::move(key_serde)), value_serde_(std::move(value_serde)), serdes_(std::move(serdes)) {}

  KTable<K, int64_t> count(Materialized<K, int64_t> materialized = {}, const Named& named = {}) const {
    auto add = [](const K&, const V&, const std::optional<int64_t>& count) { return count.value_or(0) + 1; };
    auto subtract = [](const K&, const V&, const int64_t& count) { return count - 1; };
    return doAggregate<int64_t>("KTABLE-AGGREGATE-", add, subtract, named, std::move(materialized), Serdes::Long());
  }

  // adder(aggregate, new value) and subtractor(aggregate, old value) -> aggregate; the
  // first value of a group is its aggregate. Either may return std::optional<V>: nullopt
  // deletes the group.
  template <class Adder, class Subtractor>
  KTable<K, V> reduce(Adder adder, Subtractor subtractor, Materialized<K, V> materialized = {},
                      const Named& named = {}) const {
    auto add = [adder](const K&, const V& value, const std::optional<V>& aggregate) mutable -> std::optional<V> {
      return aggregate ? adder(*aggregate, value) : value;
    };
    auto subtract = [subtractor](const K&, const V& value, const V& aggregate) mutable -> std::optional<V> {
      return subtractor(aggregate, value);
    };
    return doAggregate<V>("KTABLE-REDUCE-", std::move(add), std::move(subtract), named, std::move(materialized),
                          grouped_.value_serde);
  }

  // adder(key, new value, aggregate) and subtractor(key, old value, aggregate) ->
  // aggregate, starting from initializer(). Either may return std::optional<VA>: nullopt
  // deletes the group.
  template <class I, class Adder, class Subtractor, class VA = std::decay_t<std::invoke_result_t<I&>>>
  KTable<K, VA> aggregate(I initializer, Adder adder, Subtractor subtractor, Materialized<K, VA> materialized = {},
                          const Named& named = {}) const {
    auto add = [initializer, adder](const K& key, const V& value,
                                    const std::optional<VA>& aggregate) mutable -> std::optional<VA> {
      return adder(key, value, aggregate ? *aggregate : initializer());
    };
    auto subtract = [subtractor](const K& key, const V& value, const VA& aggregate) mutable -> std::optional<VA> {
      return subtractor(key, value, aggregate);
    };
    return doAggregate<VA>("KTABLE-AGGREGATE-", std::move(add), std::move(subtract), named, std::move(materialized),
                           nullptr);
  }

 private:
  // Names as Kafka's: the store, the repartition sink and source, then the processor.
  template <class VA, class Add, class Subtract>
  KTable<K, VA> doAggregate(const std::string& prefix, Add add, Subtract subtract, const Named& named,
                            Materialized<K, VA> materialized, SerdePtr<VA> value_serde) const {
    std::string store = internal::storeNameOf(*builder_, materialized, prefix);
    std::string topic = (grouped_.name.empty() ? store : grouped_.name) + "-repartition";
    builder_->topology.addInternalTopic({topic, -1});
    SerdePtr<Change<V>> changes = std::make_shared<internal::ChangeSerde<V>>(value_serde_);

    internal::NodeFactory sink;
    sink.name = builder_->topology.newName("KSTREAM-SINK-");
    sink.kind = internal::NodeKind::kSink;
    sink.parents = {select_node_};
    sink.topics = {topic};
    sink.internal_topic = true;
    sink.types = internal::nodeTypes<K, Change<V>, void, void>();
    sink.make = [name = sink.name, topic, keys = key_serde_, changes] {
      return std::make_unique<internal::SinkNode<K, Change<V>>>(name, topic, true, nullptr, keys, changes);
    };
    builder_->add(std::move(sink));
    std::string source = builder_->topology.newName("KSTREAM-SOURCE-");
    builder_->add(KStream<K, Change<V>>::sourceFactory(source, {topic}, true, key_serde_, changes, {}));

    std::string name = builder_->name(named.name(), prefix.c_str());
    internal::DefaultSerdes serdes = serdes_;
    SerdePtr<K> keys = materialized.keySerde() ? materialized.keySerde() : grouped_.key_serde;
    SerdePtr<VA> values = materialized.valueSerde() ? materialized.valueSerde() : value_serde;
    SerdePtr<K> store_keys = serdes.orDefault(keys, true);
    SerdePtr<VA> store_values = serdes.orDefault(values, false);
    internal::NodeFactory factory;
    factory.name = name;
    factory.parents = {source};
    factory.types = internal::nodeTypes<K, Change<V>, K, Change<VA>>();
    factory.make = [name, add, subtract, store, serdes] {
      return std::make_unique<internal::KTableAggregateNode<K, V, VA, Add, Subtract>>(name, add, subtract, store,
                                                                                      serdes);
    };
    builder_->add(std::move(factory));
    builder_->check(builder_->topology.addStateStore(
        internal::storeBuilderOf(materialized, store, store_keys, store_values), {name}));
    return KTable<K, VA>(builder_, name, keys, values, store, true);
  }

  std::shared_ptr<internal::DslBuilder> builder_;
  std::string select_node_;
  Grouped<K, V> grouped_;
  SerdePtr<K> key_serde_;    // of the repartition topic: the Grouped's, else the default
  SerdePtr<V> value_serde_;  // of the repartition topic: the Grouped's, else the default
  internal::DefaultSerdes serdes_;
};

template <class K, class V>
template <class F, class KV>
KGroupedTable<decltype(KV::key), decltype(KV::value)> KTable<K, V>::groupBy(
    F selector, Grouped<decltype(KV::key), decltype(KV::value)> grouped) const {
  using K2 = decltype(KV::key);
  using V2 = decltype(KV::value);
  std::string name = builder_->name(grouped.name, "KTABLE-SELECT-");
  // The select node (which writes the repartition topic) and the aggregation (which
  // reads it) both resolve the default serdes of the repartition topic.
  internal::DefaultSerdes serdes;
  SerdePtr<K2> keys = serdes.orDefault(grouped.key_serde, true);
  SerdePtr<V2> values = serdes.orDefault(grouped.value_serde, false);
  add<K2, Change<V2>>(name, [name, selector, serdes] {
    return std::make_unique<internal::KTableSelectNode<K, V, K2, V2, F>>(name, selector, serdes);
  });
  return KGroupedTable<K2, V2>(builder_, name, std::move(grouped), keys, values, serdes);
}

template <class K, class V>
KGroupedStream<K, V> KStream<K, V>::groupByKey(Grouped<K, V> grouped) const {
  return KGroupedStream<K, V>(*this, std::move(grouped), repartition_required_);
}

template <class K, class V>
template <class F, class K2>
KGroupedStream<K2, V> KStream<K, V>::groupBy(F selector, Grouped<K2, V> grouped) const {
  KStream<K2, V> keyed = selectKey(std::move(selector), Named::as(grouped.name));
  return KGroupedStream<K2, V>(std::move(keyed), std::move(grouped), true);
}

// Kafka's KStreamImpl stream-table join: through "<Joined name, else this node>-repartition"
// when keys may have changed, so that the stream is co-partitioned with the table; the
// join node reads the table's store, which puts it in the table's sub-topology.
template <class K, class V>
template <class VT, class VR, class F, bool kLeft>
KStream<K, VR> KStream<K, V>::doTableJoin(const KTable<K, VT>& table, F joiner, Joined<K, V, VT> joined) const {
  SerdePtr<K> keys = joined.key_serde ? joined.key_serde : key_serde_;
  KStream input = *this;
  if (repartition_required_) {
    input = repartitionThrough(joined.name.empty() ? node_ : joined.name, -1, keys,
                               joined.value_serde ? joined.value_serde : value_serde_);
  }
  std::string name = builder_->name(joined.name, kLeft ? "KSTREAM-LEFTJOIN-" : "KSTREAM-JOIN-");
  std::string store = table.joinedStore(kLeft ? "KStream leftJoin" : "KStream join");
  input.template addNode<K, VR>(name, [name, joiner, store] {
    return std::make_unique<internal::KStreamKTableJoinNode<K, V, VT, VR, F, kLeft>>(name, joiner, store);
  });
  builder_->check(builder_->topology.connectProcessorAndStateStores(name, {store}));
  return KStream<K, VR>(builder_, name, keys, nullptr);
}

// Names as Kafka's: the processor, then the store; through "<processor>-repartition"
// when keys may have changed.
template <class K, class V>
KTable<K, typename internal::TableValue<V>::type> KStream<K, V>::toTable(
    const Named& named, Materialized<K, typename internal::TableValue<V>::type> materialized) const {
  using VT = typename internal::TableValue<V>::type;
  std::string name = builder_->name(named.name(), "KSTREAM-TOTABLE-");
  std::string store = internal::storeNameOf(*builder_, materialized, "KSTREAM-TOTABLE-");
  KStream input = repartition_required_ ? repartitionThrough(name, -1, key_serde_, value_serde_) : *this;
  internal::DefaultSerdes serdes;
  SerdePtr<K> keys = materialized.keySerde() ? materialized.keySerde() : key_serde_;
  SerdePtr<VT> values = materialized.valueSerde();
  if constexpr (std::is_same_v<V, VT>) {
    if (!values) values = value_serde_;
  }
  auto store_builder =
      internal::storeBuilderOf(materialized, store, serdes.orDefault(keys, true), serdes.orDefault(values, false));
  input.template addNode<K, Change<VT>>(name, [name, store, serdes] {
    return std::make_unique<internal::KTableSourceNode<K, V, VT>>(name, store, serdes);
  });
  builder_->check(builder_->topology.addStateStore(std::move(store_builder), {name}));
  return KTable<K, VT>(builder_, name, keys, values, store, !materialized.storeName().empty());
}

}  // namespace runnel::streams

#include "streams/internal/foreign_key_join.h"  // IWYU pragma: export (KTable::doForeignKeyJoin)
