#pragma once

// The nodes of the DSL's key joins, as Kafka Streams': a stream joined with a table
// (KStreamKTableJoin) or a global table (KStreamGlobalKTableJoin), and two tables joined
// with each other (KTableKTableJoin and its merger). Each looks the other side up in
// that side's store, which the topology connects to the node, so that both sides run in
// one task per partition; a global store is on every instance and needs no connection.

#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "streams/change.h"
#include "streams/internal/global_state_manager.h"
#include "streams/internal/table_nodes.h"

namespace runnel::streams::internal {

// joiner(key, value, other) or joiner(value, other): Kafka's ValueJoinerWithKey and
// ValueJoiner. Constrained, so that JoinerResult of a callable that is no joiner is a
// substitution failure: the key and foreign-key join overloads tell themselves apart by it.
template <class F, class K, class V, class VO>
  requires std::is_invocable_v<F&, const K&, const V&, const VO&> || std::is_invocable_v<F&, const V&, const VO&>
decltype(auto) invokeJoiner(F& joiner, const K& key, const V& value, const VO& other) {
  if constexpr (std::is_invocable_v<F&, const K&, const V&, const VO&>) {
    return joiner(key, value, other);
  } else {
    return joiner(value, other);
  }
}

template <class F, class K, class V, class VO>
using JoinerResult = std::decay_t<decltype(invokeJoiner(std::declval<F&>(), std::declval<const K&>(),
                                                        std::declval<const V&>(), std::declval<const VO&>()))>;

// KSTREAM-JOIN and KSTREAM-LEFTJOIN: each stream record joins the table's current value
// for its key. Only stream records produce output: a table update changes what later
// records see. The inner join drops records without a table value; the left join passes
// nullopt to the joiner for them. Records with a null key or value are dropped.
template <class K, class V, class VT, class VR, class Joiner, bool kLeft>
class KStreamKTableJoinNode final : public TypedNode<KStreamKTableJoinNode<K, V, VT, VR, Joiner, kLeft>, K, V> {
 public:
  KStreamKTableJoinNode(std::string name, Joiner joiner, std::string store_name)
      : TypedNode<KStreamKTableJoinNode, K, V>(std::move(name)), joiner_(std::move(joiner)),
        store_name_(std::move(store_name)) {}
  void init(StreamTask& task) override {
    store_ = &keyValueStoreOf<K, VT>(task, *this, store_name_);
    task_ = &task;
  }
  void processRecord(const Record<K, V>& record) {
    if (isNull(record.key()) || isNull(record.value())) return logSkippedNull(*task_, "join key or value");
    std::optional<VT> other = orThrow(store_->get(record.key()));
    if constexpr (kLeft) {
      emit(*this, out_, record.key(), invokeJoiner(joiner_, record.key(), record.value(), other), record);
    } else {
      if (!other) return;
      emit(*this, out_, record.key(), invokeJoiner(joiner_, record.key(), record.value(), *other), record);
    }
  }

 private:
  Joiner joiner_;
  std::string store_name_;
  KeyValueStore<K, VT>* store_ = nullptr;
  const StreamTask* task_ = nullptr;
  Record<K, VR> out_;
};

// KSTREAM-JOIN and KSTREAM-LEFTJOIN with a GlobalKTable: each stream record looks up
// the global store under key_mapper(key, value), holding the store's lock for the read
// (the global thread writes meanwhile); the lookup reuses one value, so it allocates
// nothing once that has grown. The inner join drops records whose mapped key is null or
// has no value; the left join passes nullopt to the joiner for them, as Kafka does since
// KIP-962. Records with a null value are dropped.
template <class K, class V, class GK, class GV, class VR, class KeyMapper, class Joiner, bool kLeft>
class KStreamGlobalKTableJoinNode final
    : public TypedNode<KStreamGlobalKTableJoinNode<K, V, GK, GV, VR, KeyMapper, Joiner, kLeft>, K, V> {
 public:
  KStreamGlobalKTableJoinNode(std::string name, KeyMapper key_mapper, Joiner joiner, std::string store_name)
      : TypedNode<KStreamGlobalKTableJoinNode, K, V>(std::move(name)), key_mapper_(std::move(key_mapper)),
        joiner_(std::move(joiner)), store_name_(std::move(store_name)) {}
  void init(StreamTask& task) override {
    global_ = &task.globalStore(store_name_);
    store_ = dynamic_cast<KeyValueStore<GK, GV>*>(&global_->store());
    if (store_ == nullptr) {
      throw StreamsException("global store " + store_name_ + " is not a KeyValueStore of the join's types");
    }
    task_ = &task;
  }
  void processRecord(const Record<K, V>& record) {
    if (isNull(record.value())) return logSkippedNull(*task_, "join key or value");
    const GK& mapped = key_mapper_(record.key(), record.value());
    bool found = false;
    if (!isNull(mapped)) {
      if (!other_) other_.emplace();
      std::lock_guard lock(global_->mutex());
      found = orThrow(store_->get(mapped, *other_));
    }
    if constexpr (kLeft) {
      emit(*this, out_, record.key(), invokeJoiner(joiner_, record.key(), record.value(), found ? other_ : none_),
           record);
    } else {
      if (isNull(mapped)) return logSkippedNull(*task_, "join key or value");
      if (!found) return;
      emit(*this, out_, record.key(), invokeJoiner(joiner_, record.key(), record.value(), *other_), record);
    }
  }

 private:
  KeyMapper key_mapper_;
  Joiner joiner_;
  std::string store_name_;
  GlobalStateStore* global_ = nullptr;
  KeyValueStore<GK, GV>* store_ = nullptr;
  const StreamTask* task_ = nullptr;
  std::optional<GV> other_;  // the table value read, reused record after record
  const std::optional<GV> none_;
  Record<K, VR> out_;
};

// KTABLE-JOINTHIS and KTABLE-JOINOTHER: an update of one side (VThis) joins the other
// side's current value, read from its store. `join(key, this value, other value)` is the
// joined value, nullopt where the join kind has none (inner: a side is missing; left:
// the left side is; outer: both are). The change forwarded is the joined value after
// and before the update, so that a deleted side retracts the joined row; an update
// that had and has no joined value forwards nothing.
template <class K, class VThis, class VOther, class VR, class Join>
class KTableKTableJoinNode final
    : public TypedNode<KTableKTableJoinNode<K, VThis, VOther, VR, Join>, K, Change<VThis>> {
 public:
  KTableKTableJoinNode(std::string name, Join join, std::string other_store_name)
      : TypedNode<KTableKTableJoinNode, K, Change<VThis>>(std::move(name)), join_(std::move(join)),
        other_store_name_(std::move(other_store_name)) {}
  void init(StreamTask& task) override { other_store_ = &keyValueStoreOf<K, VOther>(task, *this, other_store_name_); }
  void processRecord(const Record<K, Change<VThis>>& record) {
    std::optional<VOther> other = orThrow(other_store_->get(record.key()));
    Change<VR> change{join_(record.key(), record.value().new_value, other),
                      join_(record.key(), record.value().old_value, other)};
    if (!change.new_value && !change.old_value) return;
    emit(*this, out_, record.key(), std::move(change), record);
  }

 private:
  Join join_;
  std::string other_store_name_;
  KeyValueStore<K, VOther>* other_store_ = nullptr;
  Record<K, Change<VR>> out_;
};

// KTABLE-MERGE: the joined table, fed by both sides' join nodes. Materialized, it keeps
// the joined values in its store.
template <class K, class VR>
class KTableJoinMergeNode final : public TypedNode<KTableJoinMergeNode<K, VR>, K, Change<VR>> {
 public:
  KTableJoinMergeNode(std::string name, std::string store_name, DefaultSerdes serdes)
      : TypedNode<KTableJoinMergeNode, K, Change<VR>>(std::move(name)), store_name_(std::move(store_name)),
        serdes_(std::move(serdes)) {}
  void init(StreamTask& task) override {
    serdes_.resolve(task, this->name());
    if (!store_name_.empty()) store_ = &keyValueStoreOf<K, VR>(task, *this, store_name_);
    forwarder_.init(*this, store_);
  }
  void processRecord(const Record<K, Change<VR>>& record) {
    if (store_ == nullptr) return this->forward(record);
    putOrDelete(*store_, record.key(), record.value().new_value);
    forwarder_.maybeForward(*this, record.key(), Change<VR>(record.value()), record);
  }

 private:
  std::string store_name_;
  DefaultSerdes serdes_;
  KeyValueStore<K, VR>* store_ = nullptr;
  TableForwarder<K, VR> forwarder_;
};

}  // namespace runnel::streams::internal
