#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "streams/internal/dsl_builder.h"
#include "streams/internal/join_nodes.h"
#include "streams/internal/stateless_nodes.h"
#include "streams/internal/typed_nodes.h"
#include "streams/global_ktable.h"
#include "streams/materialized.h"
#include "streams/options.h"
#include "streams/processor.h"

namespace runnel::streams {

template <class K, class V>
class KStream;
template <class K, class V>
class KTable;
template <class K, class V>
class KGroupedStream;
template <class K, class V>
class KGroupedTable;

namespace internal {
// The value type of the table that a stream of V becomes: a stream of optional values
// carries tombstones as nullopt.
template <class V>
struct TableValue {
  using type = V;
};
template <class V>
struct TableValue<std::optional<V>> {
  using type = V;
};
}  // namespace internal

// The serdes and name of a stream-table join, as Kafka Streams' Joined: the name names
// the join node and, when the stream must be repartitioned first, its repartition topic.
template <class K, class V, class VO>
struct Joined {
  std::string name;
  SerdePtr<K> key_serde;
  SerdePtr<V> value_serde;
  SerdePtr<VO> other_value_serde;

  static Joined as(std::string name) { return {std::move(name), {}, {}, {}}; }
  static Joined with(SerdePtr<K> key_serde, SerdePtr<V> value_serde, SerdePtr<VO> other_value_serde) {
    return {{}, std::move(key_serde), std::move(value_serde), std::move(other_value_serde)};
  }
};

// Computes each record's topic for to(): Kafka's TopicNameExtractor.
template <class K, class V>
using TopicNameExtractor = internal::TopicNameExtractor<K, V>;

// One branch of split(): its name and what to do with the branch's stream.
template <class K, class V>
class Branched {
 public:
  using Chain = std::function<std::optional<KStream<K, V>>(KStream<K, V>)>;

  static Branched as(std::string name) { return Branched(std::move(name), {}); }
  // The returned stream is the branch's entry in the result (none: no entry).
  static Branched withFunction(Chain chain, std::string name = {}) { return Branched(std::move(name), std::move(chain)); }
  static Branched withConsumer(std::function<void(KStream<K, V>)> consumer, std::string name = {}) {
    return Branched(std::move(name), [consumer = std::move(consumer)](KStream<K, V> stream) {
      consumer(std::move(stream));
      return std::optional<KStream<K, V>>();
    });
  }
  Branched() = default;

  const std::string& name() const { return name_; }
  const Chain& chain() const { return chain_; }

 private:
  Branched(std::string name, Chain chain) : name_(std::move(name)), chain_(std::move(chain)) {}
  std::string name_;
  Chain chain_;
};

// What split() returns: add branches, then defaultBranch() or noDefaultBranch() to get
// the branches' streams keyed by "<split name><branch name>".
template <class K, class V>
class BranchedKStream {
 public:
  using Predicate = std::function<bool(const K&, const V&)>;

  BranchedKStream& branch(Predicate predicate, Branched<K, V> branched = {}) {
    branches_.push_back({std::move(predicate), std::move(branched)});
    return *this;
  }
  std::map<std::string, KStream<K, V>> defaultBranch(Branched<K, V> branched = {}) {
    return finish(std::optional<Branched<K, V>>(std::move(branched)));
  }
  std::map<std::string, KStream<K, V>> noDefaultBranch() { return finish(std::nullopt); }

 private:
  friend class KStream<K, V>;
  BranchedKStream(KStream<K, V> parent, std::string split_name)
      : parent_(std::move(parent)), split_name_(std::move(split_name)) {}

  std::map<std::string, KStream<K, V>> finish(std::optional<Branched<K, V>> default_branch);

  struct Branch {
    Predicate predicate;
    Branched<K, V> branched;
  };
  KStream<K, V> parent_;
  std::string split_name_;
  std::vector<Branch> branches_;
};

// A record stream, as Kafka Streams' KStream<K, V>. Cheap to copy: a handle onto the
// topology being built.
template <class K, class V>
class KStream {
 public:
  using KeyType = K;
  using ValueType = V;

  KStream(std::shared_ptr<internal::DslBuilder> builder, std::string node_name, SerdePtr<K> key_serde,
          SerdePtr<V> value_serde)
      : builder_(std::move(builder)), node_(std::move(node_name)), key_serde_(std::move(key_serde)),
        value_serde_(std::move(value_serde)) {}

  const std::string& nodeName() const { return node_; }
  const SerdePtr<K>& keySerde() const { return key_serde_; }
  const SerdePtr<V>& valueSerde() const { return value_serde_; }

  // Keeps the records for which predicate(key, value) holds.
  template <class F>
  KStream filter(F predicate, const Named& named = {}) const {
    return addStateless<K, V, internal::FilterNode<K, V, F, false>>(named, "KSTREAM-FILTER-", std::move(predicate),
                                                                    key_serde_, value_serde_);
  }
  template <class F>
  KStream filterNot(F predicate, const Named& named = {}) const {
    return addStateless<K, V, internal::FilterNode<K, V, F, true>>(named, "KSTREAM-FILTER-", std::move(predicate),
                                                                   key_serde_, value_serde_);
  }

  // mapper(value) or mapper(key, value) -> new value.
  template <class F, class V2 = internal::ValueMapperResult<F, K, V>>
  KStream<K, V2> mapValues(F mapper, const Named& named = {}) const {
    return addStateless<K, V2, internal::MapValuesNode<K, V, V2, F>>(named, "KSTREAM-MAPVALUES-", std::move(mapper),
                                                                     key_serde_, nullptr);
  }

  // mapper(key, value) -> KeyValue<K2, V2>.
  template <class F, class KV = std::invoke_result_t<F&, const K&, const V&>>
  KStream<decltype(KV::key), decltype(KV::value)> map(F mapper, const Named& named = {}) const {
    using K2 = decltype(KV::key);
    using V2 = decltype(KV::value);
    return addStateless<K2, V2, internal::MapNode<K, V, K2, V2, F>>(named, "KSTREAM-MAP-", std::move(mapper), nullptr,
                                                                    nullptr)
        .keyChanged();
  }

  // mapper(key, value) -> a range of KeyValue<K2, V2>.
  template <class F, class KV = typename std::decay_t<std::invoke_result_t<F&, const K&, const V&>>::value_type>
  KStream<decltype(KV::key), decltype(KV::value)> flatMap(F mapper, const Named& named = {}) const {
    using K2 = decltype(KV::key);
    using V2 = decltype(KV::value);
    return addStateless<K2, V2, internal::FlatMapNode<K, V, K2, V2, F>>(named, "KSTREAM-FLATMAP-", std::move(mapper),
                                                                        nullptr, nullptr)
        .keyChanged();
  }

  // mapper(value) or mapper(key, value) -> a range of new values.
  template <class F, class V2 = typename internal::ValueMapperResult<F, K, V>::value_type>
  KStream<K, V2> flatMapValues(F mapper, const Named& named = {}) const {
    return addStateless<K, V2, internal::FlatMapValuesNode<K, V, V2, F>>(named, "KSTREAM-FLATMAPVALUES-",
                                                                         std::move(mapper), key_serde_, nullptr);
  }

  // mapper(key, value) -> the new key.
  template <class F, class K2 = std::decay_t<std::invoke_result_t<F&, const K&, const V&>>>
  KStream<K2, V> selectKey(F mapper, const Named& named = {}) const {
    return addStateless<K2, V, internal::SelectKeyNode<K, V, K2, F>>(named, "KSTREAM-KEY-SELECT-", std::move(mapper),
                                                                     nullptr, value_serde_)
        .keyChanged();
  }

  template <class F>
  KStream peek(F action, const Named& named = {}) const {
    return addStateless<K, V, internal::ActionNode<K, V, F, true>>(named, "KSTREAM-PEEK-", std::move(action),
                                                                   key_serde_, value_serde_);
  }

  template <class F>
  void foreach (F action, const Named& named = {}) const {
    addStateless<K, V, internal::ActionNode<K, V, F, false>>(named, "KSTREAM-FOREACH-", std::move(action), key_serde_,
                                                             value_serde_);
  }

  void print(Printed<K, V> printed) const {
    std::string name = builder_->name(printed.name, "KSTREAM-PRINTER-");
    std::string label = printed.label.empty() ? name : printed.label;
    addNode<K, V>(name, [name, label, file = printed.file, mapper = printed.mapper] {
      return std::make_unique<internal::PrintNode<K, V>>(name, label, file, mapper);
    });
  }

  KStream merge(const KStream& other, const Named& named = {}) const {
    std::string name = builder_->name(named.name(), "KSTREAM-MERGE-");
    internal::NodeFactory factory = processorFactory<K, V>(name, [name] {
      return std::make_unique<internal::PassThroughNode<K, V>>(name);
    });
    factory.parents.push_back(other.node_);
    builder_->add(std::move(factory));
    // Kafka keeps the serdes only when both sides agree.
    KStream merged(builder_, name, key_serde_ == other.key_serde_ ? key_serde_ : nullptr,
                   value_serde_ == other.value_serde_ ? value_serde_ : nullptr);
    merged.repartition_required_ = repartition_required_ || other.repartition_required_;
    return merged;
  }

  BranchedKStream<K, V> split(const Named& named = {}) const {
    return BranchedKStream<K, V>(*this, builder_->name(named.name(), "KSTREAM-BRANCH-"));
  }

  void to(const std::string& topic, Produced<K, V> produced = {}) const {
    addSink(topic, {}, std::move(produced), false);
  }
  void to(TopicNameExtractor<K, V> extractor, Produced<K, V> produced = {}) const {
    addSink({}, std::move(extractor), std::move(produced), false);
  }

  // Writes the stream through a topic that the application creates and reads it back,
  // partitioned by the current key: `<application.id>-<name>-repartition`.
  KStream repartition(Repartitioned<K, V> repartitioned = {}) const {
    std::string base = repartitioned.name.empty() ? builder_->topology.newName("KSTREAM-REPARTITION-")
                                                  : repartitioned.name;
    SerdePtr<K> key_serde = repartitioned.key_serde ? repartitioned.key_serde : key_serde_;
    SerdePtr<V> value_serde = repartitioned.value_serde ? repartitioned.value_serde : value_serde_;
    return repartitionThrough(base, repartitioned.partitions, std::move(key_serde), std::move(value_serde));
  }

  // Groups the records by their key for an aggregation, through a repartition topic
  // when an upstream operation (map, selectKey, flatMap, process) may have changed keys.
  KGroupedStream<K, V> groupByKey(Grouped<K, V> grouped = {}) const;
  // Groups by selector(key, value), through a repartition topic.
  template <class F, class K2 = std::decay_t<std::invoke_result_t<F&, const K&, const V&>>>
  KGroupedStream<K2, V> groupBy(F selector, Grouped<K2, V> grouped = {}) const;
  // The latest value per key (a stream of optional values deletes keys with nullopt).
  KTable<K, typename internal::TableValue<V>::type> toTable(
      const Named& named = {}, Materialized<K, typename internal::TableValue<V>::type> materialized = {}) const;

  // Joins each record with the table's value for its key: joiner(value, table value) or
  // joiner(key, value, table value). Records without a table value, or with a null key
  // or value, are dropped; table updates produce nothing. The table must be materialized.
  template <class VT, class F, class VR = internal::JoinerResult<F, K, V, VT>>
  KStream<K, VR> join(const KTable<K, VT>& table, F joiner, Joined<K, V, VT> joined = {}) const {
    return doTableJoin<VT, VR, F, false>(table, std::move(joiner), std::move(joined));
  }
  // As join(), and records without a table value join nullopt: the joiner takes a
  // const std::optional<VT>&.
  template <class VT, class F, class VR = internal::JoinerResult<F, K, V, std::optional<VT>>>
  KStream<K, VR> leftJoin(const KTable<K, VT>& table, F joiner, Joined<K, V, VT> joined = {}) const {
    return doTableJoin<VT, VR, F, true>(table, std::move(joiner), std::move(joined));
  }

  // Joins each record with the global table's value for key_mapper(key, value):
  // joiner(value, table value) or joiner(key, value, table value). Nothing is
  // repartitioned: every instance holds all of the table. Records whose mapped key is
  // null or has no table value, and records with a null value, are dropped.
  template <class GK, class GV, class KM, class F, class VR = internal::JoinerResult<F, K, V, GV>>
  KStream<K, VR> join(const GlobalKTable<GK, GV>& table, KM key_mapper, F joiner, const Named& named = {}) const {
    return doGlobalTableJoin<GK, GV, VR, KM, F, false>(table, std::move(key_mapper), std::move(joiner), named);
  }
  // As join(), and records without a table value join nullopt: the joiner takes a
  // const std::optional<GV>&.
  template <class GK, class GV, class KM, class F, class VR = internal::JoinerResult<F, K, V, std::optional<GV>>>
  KStream<K, VR> leftJoin(const GlobalKTable<GK, GV>& table, KM key_mapper, F joiner, const Named& named = {}) const {
    return doGlobalTableJoin<GK, GV, VR, KM, F, true>(table, std::move(key_mapper), std::move(joiner), named);
  }

  // Runs a Processor API processor per record: supplier() makes one per task.
  template <class Supplier, class P = typename std::invoke_result_t<Supplier&>::element_type>
  KStream<typename P::KeyOut, typename P::ValueOut> process(Supplier supplier, std::vector<std::string> stores = {},
                                                            const Named& named = {}) const {
    using KOut = typename P::KeyOut;
    using VOut = typename P::ValueOut;
    static_assert(std::is_same_v<typename P::KeyIn, K> && std::is_same_v<typename P::ValueIn, V>,
                  "the processor's input types must be the stream's key and value types");
    std::string name = builder_->name(named.name(), "KSTREAM-PROCESSOR-");
    internal::NodeFactory factory;
    factory.name = name;
    factory.parents = {node_};
    factory.types = internal::nodeTypes<K, V, KOut, VOut>();
    factory.stores = std::move(stores);
    factory.make = [name, supplier] { return std::make_unique<internal::ProcessorNode<P>>(name, supplier()); };
    addWithStores(std::move(factory));
    return KStream<KOut, VOut>(builder_, name, nullptr, nullptr).keyChanged();
  }

  // Like process(), with a FixedKeyProcessor: the key stays, so no repartitioning is needed.
  template <class Supplier, class P = typename std::invoke_result_t<Supplier&>::element_type>
  KStream<K, typename P::ValueOut> processValues(Supplier supplier, std::vector<std::string> stores = {},
                                                 const Named& named = {}) const {
    using VOut = typename P::ValueOut;
    std::string name = builder_->name(named.name(), "KSTREAM-PROCESSVALUES-");
    internal::NodeFactory factory;
    factory.name = name;
    factory.parents = {node_};
    factory.types = internal::nodeTypes<K, V, K, VOut>();
    factory.stores = std::move(stores);
    factory.make = [name, supplier] {
      return std::make_unique<internal::FixedKeyProcessorNode<P>>(name, supplier());
    };
    addWithStores(std::move(factory));
    KStream<K, VOut> out(builder_, name, key_serde_, nullptr);
    out.repartition_required_ = repartition_required_;
    return out;
  }

  // For StreamsBuilder and Topology: the factory of a source node.
  static internal::NodeFactory sourceFactory(const std::string& name, std::vector<std::string> topics,
                                             bool internal_topic, SerdePtr<K> key_serde, SerdePtr<V> value_serde,
                                             TimestampExtractor<K, V> extractor) {
    internal::NodeFactory factory;
    factory.name = name;
    factory.kind = internal::NodeKind::kSource;
    factory.topics = std::move(topics);
    factory.internal_topic = internal_topic;
    factory.types = internal::nodeTypes<void, void, K, V>();
    factory.make = [name, key_serde, value_serde, extractor] {
      return std::make_unique<internal::SourceNode<K, V>>(name, key_serde, value_serde, extractor);
    };
    return factory;
  }

 private:
  template <class K2, class V2>
  friend class KStream;
  template <class K2, class V2>
  friend class BranchedKStream;
  template <class K2, class V2>
  friend class KTable;
  template <class K2, class V2>
  friend class KGroupedStream;
  template <class K2, class V2>
  friend class KGroupedTable;

  // Marks a stream whose keys may differ from its input's: grouping it repartitions.
  KStream&& keyChanged() && {
    repartition_required_ = true;
    return std::move(*this);
  }

  // Through `<application.id>-<base>-repartition`, as repartition() and the groupings
  // name it; drops null keys on the way, as Kafka does.
  KStream repartitionThrough(const std::string& base, int32_t partitions, SerdePtr<K> key_serde,
                             SerdePtr<V> value_serde) const {
    std::string topic = base + "-repartition";
    builder_->topology.addInternalTopic({topic, partitions});
    KStream filtered = addStateless<K, V, internal::FilterNode<K, V, bool (*)(const K&, const V&), false>>(
        Named::as(base + "-repartition-filter"), "", &hasKey, key_serde_, value_serde_);
    Produced<K, V> produced{key_serde, value_serde, base + "-repartition-sink"};
    filtered.addSink(topic, {}, std::move(produced), true);
    std::string source = base + "-repartition-source";
    builder_->add(sourceFactory(source, {topic}, true, key_serde, value_serde, {}));
    return KStream(builder_, source, key_serde, value_serde);
  }

  static bool hasKey(const K& key, const V&) {
    if constexpr (std::is_same_v<K, Void>) {
      return false;
    } else if constexpr (requires { key.has_value(); }) {
      return key.has_value();
    } else {
      return true;
    }
  }

  template <class KOut, class VOut, class Make>
  internal::NodeFactory processorFactory(const std::string& name, Make make) const {
    internal::NodeFactory factory;
    factory.name = name;
    factory.parents = {node_};
    factory.types = internal::nodeTypes<K, V, KOut, VOut>();
    factory.make = std::move(make);
    return factory;
  }

  template <class KOut, class VOut, class Make>
  void addNode(const std::string& name, Make make) const {
    builder_->add(processorFactory<KOut, VOut>(name, std::move(make)));
  }

  // A node of type NodeT made from a user callable, forwarding KOut/VOut.
  template <class KOut, class VOut, class NodeT, class F>
  KStream<KOut, VOut> addStateless(const Named& named, const char* prefix, F f, SerdePtr<KOut> key_serde,
                                   SerdePtr<VOut> value_serde) const {
    std::string name = builder_->name(named.name(), prefix);
    addNode<KOut, VOut>(name, [name, f] { return std::make_unique<NodeT>(name, f); });
    KStream<KOut, VOut> out(builder_, name, std::move(key_serde), std::move(value_serde));
    out.repartition_required_ = repartition_required_;
    return out;
  }

  template <class VT, class VR, class F, bool kLeft>
  KStream<K, VR> doTableJoin(const KTable<K, VT>& table, F joiner, Joined<K, V, VT> joined) const;

  template <class GK, class GV, class VR, class KM, class F, bool kLeft>
  KStream<K, VR> doGlobalTableJoin(const GlobalKTable<GK, GV>& table, KM key_mapper, F joiner,
                                   const Named& named) const {
    static_assert(std::is_convertible_v<std::invoke_result_t<KM&, const K&, const V&>, GK>,
                  "the key mapper must return the global table's key type");
    std::string name = builder_->name(named.name(), kLeft ? "KSTREAM-LEFTJOIN-" : "KSTREAM-JOIN-");
    // The global store is not connected to the node: it belongs to no task.
    addNode<K, VR>(name, [name, key_mapper, joiner, store = table.queryableStoreName()] {
      return std::make_unique<internal::KStreamGlobalKTableJoinNode<K, V, GK, GV, VR, KM, F, kLeft>>(
          name, key_mapper, joiner, store);
    });
    KStream<K, VR> out(builder_, name, key_serde_, nullptr);
    out.repartition_required_ = repartition_required_;
    return out;
  }

  void addWithStores(internal::NodeFactory factory) const {
    std::vector<std::string> stores = std::move(factory.stores);
    std::string name = factory.name;
    builder_->add(std::move(factory));
    builder_->check(builder_->topology.connectProcessorAndStateStores(name, stores));
  }

  void addSink(const std::string& topic, TopicNameExtractor<K, V> extractor, Produced<K, V> produced,
               bool internal_topic) const {
    std::string name = builder_->name(produced.name, "KSTREAM-SINK-");
    SerdePtr<K> key_serde = produced.key_serde ? produced.key_serde : key_serde_;
    SerdePtr<V> value_serde = produced.value_serde ? produced.value_serde : value_serde_;
    internal::NodeFactory factory;
    factory.name = name;
    factory.kind = internal::NodeKind::kSink;
    factory.parents = {node_};
    if (!topic.empty()) factory.topics = {topic};
    factory.internal_topic = internal_topic;
    factory.types = internal::nodeTypes<K, V, void, void>();
    factory.make = [=] {
      return std::make_unique<internal::SinkNode<K, V>>(name, topic, internal_topic, extractor, key_serde,
                                                        value_serde);
    };
    builder_->add(std::move(factory));
  }

  std::shared_ptr<internal::DslBuilder> builder_;
  std::string node_;
  SerdePtr<K> key_serde_;
  SerdePtr<V> value_serde_;
  bool repartition_required_ = false;
};

template <class K, class V>
std::map<std::string, KStream<K, V>> BranchedKStream<K, V>::finish(std::optional<Branched<K, V>> default_branch) {
  std::vector<typename internal::BranchNode<K, V>::Predicate> predicates;
  for (const auto& branch : branches_) predicates.push_back(branch.predicate);
  bool has_default = default_branch.has_value();
  const std::string& split = split_name_;
  parent_.template addNode<K, V>(split, [split, predicates, has_default] {
    return std::make_unique<internal::BranchNode<K, V>>(split, predicates, has_default);
  });
  KStream<K, V> splitter(parent_.builder_, split, parent_.key_serde_, parent_.value_serde_);
  splitter.repartition_required_ = parent_.repartition_required_;
  std::map<std::string, KStream<K, V>> out;
  auto addBranch = [&](const Branched<K, V>& branched, const std::string& default_suffix) {
    std::string name = split + (branched.name().empty() ? default_suffix : branched.name());
    splitter.template addNode<K, V>(name, [name] { return std::make_unique<internal::PassThroughNode<K, V>>(name); });
    KStream<K, V> stream(parent_.builder_, name, parent_.key_serde_, parent_.value_serde_);
    stream.repartition_required_ = parent_.repartition_required_;
    if (!branched.chain()) {
      out.emplace(name, stream);
    } else if (auto result = branched.chain()(stream)) {
      out.emplace(name, *result);
    }
  };
  for (size_t i = 0; i < branches_.size(); ++i) addBranch(branches_[i].branched, std::to_string(i + 1));
  if (default_branch) addBranch(*default_branch, "0");
  return out;
}

}  // namespace runnel::streams

// KTable, the groupings and the definitions of groupByKey, groupBy and toTable.
#include "streams/ktable.h"
