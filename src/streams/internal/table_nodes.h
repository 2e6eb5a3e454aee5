#pragma once

// The nodes of the stateful DSL: KTable sources and operators, which forward
// Record<K, Change<V>>, and the aggregations of grouped streams and tables.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "streams/change.h"
#include "streams/internal/log.h"
#include "streams/internal/stateless_nodes.h"
#include "streams/internal/typed_nodes.h"
#include "streams/key_value_store.h"
#include "streams/or_throw.h"

namespace runnel::streams::internal {

// A serde the DSL needs before it knows it: the configured default, which a task learns
// when it starts. The node that uses it resolves it in init(). One per topology, shared
// by its tasks: every task of an application has the same configuration.
template <class T>
class DefaultSerde final : public Serde<T> {
 public:
  std::string name() const override { return current()->name(); }
  bool serialize(std::string_view topic, const T& data, std::string& out) const override {
    return current()->serialize(topic, data, out);
  }
  Status deserialize(std::string_view topic, std::optional<std::string_view> data, T& out) const override {
    return current()->deserialize(topic, data, out);
  }
  // A missing or mistyped default fails when the serde is used, not here: a
  // serde that the user overrides downstream (toStream().to(topic, Produced)) is never used.
  void resolve(const StreamsConfig& config, bool key, const std::string& node_name) {
    const auto& fallback = key ? config.defaultKeySerde() : config.defaultValueSerde();
    try {
      resolved_.store(resolveSerde<T>(nullptr, fallback, key ? "key" : "value", node_name));
    } catch (const StreamsException& e) {
      error_.store(std::make_shared<const std::string>(e.what()));
    }
  }

 private:
  SerdePtr<T> current() const {
    SerdePtr<T> serde = resolved_.load();
    if (serde) return serde;
    auto error = error_.load();
    throw StreamsException(error ? *error : "a default serde was used before its node was initialized");
  }
  std::atomic<SerdePtr<T>> resolved_;
  std::atomic<std::shared_ptr<const std::string>> error_;
};

// The default serdes a node resolves when it starts.
class DefaultSerdes {
 public:
  // `own` if set, else a default serde that resolve() fills in.
  template <class T>
  SerdePtr<T> orDefault(const SerdePtr<T>& own, bool key) {
    if (own) return own;
    auto serde = std::make_shared<DefaultSerde<T>>();
    resolvers_.push_back([serde, key](const StreamsConfig& config, const std::string& node_name) {
      serde->resolve(config, key, node_name);
    });
    return serde;
  }
  void resolve(const StreamTask& task, const std::string& node_name) const { resolve(task.config(), node_name); }
  // Without a task: a global store's serdes, resolved when its instance starts.
  void resolve(const StreamsConfig& config, const std::string& node_name) const {
    for (const auto& resolver : resolvers_) resolver(config, node_name);
  }

 private:
  std::vector<std::function<void(const StreamsConfig&, const std::string&)>> resolvers_;
};

// A Change with one side set, as it crosses a repartition topic: the value's bytes and
// a flag byte, 1 for a new value and 0 for an old one (the format of Kafka Streams'
// ChangedSerializer before 3.4).
template <class V>
class ChangeSerde final : public Serde<Change<V>> {
 public:
  explicit ChangeSerde(SerdePtr<V> inner) : inner_(std::move(inner)) {}
  std::string name() const override { return "ChangedSerde(" + inner_->name() + ")"; }
  bool serialize(std::string_view topic, const Change<V>& data, std::string& out) const override {
    const std::optional<V>& value = data.new_value ? data.new_value : data.old_value;
    if (!value || !inner_->serialize(topic, *value, out)) return false;
    out.push_back(data.new_value ? '\1' : '\0');
    return true;
  }
  Status deserialize(std::string_view topic, std::optional<std::string_view> data, Change<V>& out) const override {
    if (!data || data->empty()) return Status::invalidArgument("a repartitioned table change has no flag byte");
    bool is_new = data->back() != 0;
    std::optional<V>& value = is_new ? out.new_value : out.old_value;
    (is_new ? out.old_value : out.new_value).reset();
    if (!value) value.emplace();
    return inner_->deserialize(topic, data->substr(0, data->size() - 1), *value);
  }

 private:
  SerdePtr<V> inner_;
};

// Kafka's null: a Void, an empty optional. Aggregations skip null keys and values.
template <class T>
bool isNull(const T& value) {
  if constexpr (std::is_same_v<T, Void>) {
    return true;
  } else if constexpr (requires { value.has_value(); }) {
    return !value.has_value();
  } else {
    return false;
  }
}

template <class K, class V>
KeyValueStore<K, V>& keyValueStoreOf(const StreamTask& task, const Node& node, const std::string& name) {
  auto* store = dynamic_cast<KeyValueStore<K, V>*>(task.stateStore(&node, name));
  if (store == nullptr) throw StreamsException("state store " + name + " is not a KeyValueStore of the node's types");
  return *store;
}

inline void logSkippedNull(const StreamTask& task, const char* what) {
  const auto& metadata = task.recordMetadata();
  log().warn("Skipping record due to null {}. topic=[{}] partition=[{}] offset=[{}]", what,
             metadata ? metadata->topic : "", metadata ? metadata->partition : -1, metadata ? metadata->offset : -1);
}

// Puts `value` for `key` into the store, or deletes the key when value is null.
template <class K, class V>
void putOrDelete(KeyValueStore<K, V>& store, const K& key, const std::optional<V>& value) {
  if (value) {
    orThrow(store.put(key, *value));
  } else {
    orThrow(store.remove(key));
  }
}

// Forwards a table node's changes as Kafka's TimestampedTupleForwarder does: at once, or,
// when the node's store caches, as the cache flushes them (the latest change per key,
// with the timestamp of the record that made it, and no headers).
template <class K, class V>
class TableForwarder {
 public:
  // `store` null: the node has no store and forwards at once.
  void init(const Node& node, KeyValueStore<K, V>* store) {
    cached_ = store != nullptr && store->setFlushListener([this, &node](const K& key, const Change<V>& change,
                                                                       int64_t timestamp) {
      out_.mutableKey() = key;
      out_.mutableValue() = change;
      out_.setTimestamp(timestamp);
      out_.mutableHeaders().clear();
      node.forward(out_);
    });
  }
  template <class KeyArg, class VIn>
  void maybeForward(const Node& node, KeyArg&& key, Change<V>&& change, const Record<K, VIn>& from) {
    if (!cached_) emit(node, out_, std::forward<KeyArg>(key), std::move(change), from);
  }

 private:
  bool cached_ = false;
  Record<K, Change<V>> out_;
};

// KTABLE-SOURCE and KSTREAM-TOTABLE: the latest value per key into the store, and the
// change downstream. Records of optional values (VIn = std::optional<V>) carry
// tombstones: a null value deletes the key.
template <class K, class VIn, class V>
class KTableSourceNode final : public TypedNode<KTableSourceNode<K, VIn, V>, K, VIn> {
 public:
  KTableSourceNode(std::string name, std::string store_name, DefaultSerdes serdes)
      : TypedNode<KTableSourceNode, K, VIn>(std::move(name)), store_name_(std::move(store_name)),
        serdes_(std::move(serdes)) {}
  void init(StreamTask& task) override {
    serdes_.resolve(task, this->name());
    store_ = &keyValueStoreOf<K, V>(task, *this, store_name_);
    task_ = &task;
    forwarder_.init(*this, store_);
  }
  void processRecord(const Record<K, VIn>& record) {
    if (isNull(record.key())) return logSkippedNull(*task_, "key");
    std::optional<V> new_value(record.value());
    std::optional<V> old_value = orThrow(store_->get(record.key()));
    putOrDelete(*store_, record.key(), new_value);
    forwarder_.maybeForward(*this, record.key(), Change<V>{std::move(new_value), std::move(old_value)}, record);
  }

 private:
  std::string store_name_;
  DefaultSerdes serdes_;
  KeyValueStore<K, V>* store_ = nullptr;
  const StreamTask* task_ = nullptr;
  TableForwarder<K, V> forwarder_;
};

// KTable filter, filterNot and mapValues: `map` turns a value into the new one, nullopt
// for a filtered-out value, a tombstone downstream (Kafka forwards one per filtered-out
// update unless the filter knows the old value). Materialized, the results go into a
// store and the old value comes from there; else it is the old value mapped.
template <class K, class V, class V2, class Map>
class KTableMapNode final : public TypedNode<KTableMapNode<K, V, V2, Map>, K, Change<V>> {
 public:
  // `skip_absent`: a change with neither a new nor an old value is not forwarded (a filter
  // whose old values are known, as Kafka's KTableFilter with sendOldValues).
  KTableMapNode(std::string name, Map map, std::string store_name, DefaultSerdes serdes, bool skip_absent)
      : TypedNode<KTableMapNode, K, Change<V>>(std::move(name)), map_(std::move(map)),
        store_name_(std::move(store_name)), serdes_(std::move(serdes)), skip_absent_(skip_absent) {}
  void init(StreamTask& task) override {
    serdes_.resolve(task, this->name());
    if (!store_name_.empty()) store_ = &keyValueStoreOf<K, V2>(task, *this, store_name_);
    forwarder_.init(*this, store_);
  }
  void processRecord(const Record<K, Change<V>>& record) {
    const K& key = record.key();
    Change<V2> change{apply(key, record.value().new_value), {}};
    if (store_ != nullptr) {
      change.old_value = orThrow(store_->get(key));
      putOrDelete(*store_, key, change.new_value);
    } else {
      change.old_value = apply(key, record.value().old_value);
    }
    if (skip_absent_ && !change.new_value && !change.old_value) return;
    forwarder_.maybeForward(*this, key, std::move(change), record);
  }

 private:
  std::optional<V2> apply(const K& key, const std::optional<V>& value) {
    if (!value) return std::nullopt;
    return map_(key, *value);
  }

  Map map_;
  std::string store_name_;
  DefaultSerdes serdes_;
  bool skip_absent_;
  KeyValueStore<K, V2>* store_ = nullptr;
  TableForwarder<K, V2> forwarder_;
};

// KTABLE-TOSTREAM: the new value of each change, null for a tombstone.
template <class K, class V>
class KTableToStreamNode final : public TypedNode<KTableToStreamNode<K, V>, K, Change<V>> {
 public:
  KTableToStreamNode(std::string name, DefaultSerdes serdes)
      : TypedNode<KTableToStreamNode, K, Change<V>>(std::move(name)), serdes_(std::move(serdes)) {}
  void init(StreamTask& task) override { serdes_.resolve(task, this->name()); }
  void processRecord(const Record<K, Change<V>>& record) {
    emit(*this, out_, record.key(), record.value().new_value, record);
  }

 private:
  DefaultSerdes serdes_;
  Record<K, std::optional<V>> out_;
};

// KSTREAM-AGGREGATE and KSTREAM-REDUCE: fold(key, value, old aggregate or nullopt) is the
// new aggregate of the key, or nullopt to delete it, forwarded as a change. Null keys and
// values are skipped.
template <class K, class V, class VA, class Fold>
class KStreamAggregateNode final : public TypedNode<KStreamAggregateNode<K, V, VA, Fold>, K, V> {
 public:
  KStreamAggregateNode(std::string name, Fold fold, std::string store_name, DefaultSerdes serdes)
      : TypedNode<KStreamAggregateNode, K, V>(std::move(name)), fold_(std::move(fold)),
        store_name_(std::move(store_name)), serdes_(std::move(serdes)) {}
  void init(StreamTask& task) override {
    serdes_.resolve(task, this->name());
    store_ = &keyValueStoreOf<K, VA>(task, *this, store_name_);
    task_ = &task;
    forwarder_.init(*this, store_);
  }
  void processRecord(const Record<K, V>& record) {
    if (isNull(record.key()) || isNull(record.value())) return logSkippedNull(*task_, "key or value");
    Change<VA> change;
    change.old_value = orThrow(store_->get(record.key()));
    change.new_value = fold_(record.key(), record.value(), change.old_value);
    putOrDelete(*store_, record.key(), change.new_value);
    forwarder_.maybeForward(*this, record.key(), std::move(change), record);
  }

 private:
  Fold fold_;
  std::string store_name_;
  DefaultSerdes serdes_;
  KeyValueStore<K, VA>* store_ = nullptr;
  const StreamTask* task_ = nullptr;
  TableForwarder<K, VA> forwarder_;
};

// KTABLE-SELECT: maps each change of a table to the new grouping key and value. The old
// value leaves its group first, then the new one joins its group, as two records, so
// that both can be repartitioned.
template <class K, class V, class K2, class V2, class Selector>
class KTableSelectNode final : public TypedNode<KTableSelectNode<K, V, K2, V2, Selector>, K, Change<V>> {
 public:
  KTableSelectNode(std::string name, Selector selector, DefaultSerdes serdes)
      : TypedNode<KTableSelectNode, K, Change<V>>(std::move(name)), selector_(std::move(selector)),
        serdes_(std::move(serdes)) {}
  void init(StreamTask& task) override { serdes_.resolve(task, this->name()); }
  void processRecord(const Record<K, Change<V>>& record) {
    const Change<V>& change = record.value();
    if (change.old_value) {
      KeyValue<K2, V2> pair = selector_(record.key(), *change.old_value);
      if (!isNull(pair.key) && !isNull(pair.value)) {
        emit(*this, out_, std::move(pair.key), Change<V2>{std::nullopt, std::move(pair.value)}, record);
      }
    }
    if (change.new_value) {
      KeyValue<K2, V2> pair = selector_(record.key(), *change.new_value);
      if (!isNull(pair.key) && !isNull(pair.value)) {
        emit(*this, out_, std::move(pair.key), Change<V2>{std::move(pair.value), std::nullopt}, record);
      }
    }
  }

 private:
  Selector selector_;
  DefaultSerdes serdes_;
  Record<K2, Change<V2>> out_;
};

// KTABLE-AGGREGATE and KTABLE-REDUCE: subtract(key, old value, aggregate) takes a value
// out of its group's aggregate, add(key, new value, aggregate or nullopt) puts one in;
// either returns nullopt to delete the group. A group that never had an aggregate gets
// nothing subtracted.
template <class K, class V, class VA, class Add, class Subtract>
class KTableAggregateNode final : public TypedNode<KTableAggregateNode<K, V, VA, Add, Subtract>, K, Change<V>> {
 public:
  KTableAggregateNode(std::string name, Add add, Subtract subtract, std::string store_name, DefaultSerdes serdes)
      : TypedNode<KTableAggregateNode, K, Change<V>>(std::move(name)), add_(std::move(add)),
        subtract_(std::move(subtract)), store_name_(std::move(store_name)), serdes_(std::move(serdes)) {}
  void init(StreamTask& task) override {
    serdes_.resolve(task, this->name());
    store_ = &keyValueStoreOf<K, VA>(task, *this, store_name_);
    forwarder_.init(*this, store_);
  }
  void processRecord(const Record<K, Change<V>>& record) {
    const K& key = record.key();
    const Change<V>& change = record.value();
    Change<VA> out;
    out.old_value = orThrow(store_->get(key));
    out.new_value = out.old_value;
    if (change.old_value && out.new_value) out.new_value = subtract_(key, *change.old_value, *out.new_value);
    if (change.new_value) out.new_value = add_(key, *change.new_value, out.new_value);
    putOrDelete(*store_, key, out.new_value);
    forwarder_.maybeForward(*this, key, std::move(out), record);
  }

 private:
  Add add_;
  Subtract subtract_;
  std::string store_name_;
  DefaultSerdes serdes_;
  KeyValueStore<K, VA>* store_ = nullptr;
  TableForwarder<K, VA> forwarder_;
};

}  // namespace runnel::streams::internal
