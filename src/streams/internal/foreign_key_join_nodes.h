#pragma once

// The nodes of a foreign-key join (KIP-213), as Kafka Streams' foreignkeyjoin package.
// The left table's changes become subscriptions, sent to the right table's partition of
// their foreign key through the registration topic; the right side keeps them in a
// subscription store keyed by (foreign key, primary key) and answers each one, and each
// change of a right value, through the response topic, back to the primary key's
// partition, where the answer is joined with the left value - unless the left value has
// changed since it asked (the answer carries the hash of the value that asked).

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "streams/change.h"
#include "streams/internal/join_nodes.h"
#include "streams/internal/subscription_wrapper.h"
#include "streams/internal/table_nodes.h"

namespace runnel::streams::internal {

// foreign_key_extractor(value) or (key, value) -> KO, or std::optional<KO> (nullopt: the
// row has no foreign key).
template <class F, class K, class V, class KO>
concept ForeignKeyExtractor = (std::is_invocable_v<F&, const K&, const V&> || std::is_invocable_v<F&, const V&>) &&
                              std::is_constructible_v<std::optional<KO>, ValueMapperResult<F, K, V>>;

template <class KO, class K>
using SubscriptionStore = KeyValueStore<CombinedKey<KO, K>, SubscriptionWrapper<K>>;

// KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION (Kafka's SubscriptionSendProcessorSupplier):
// a left change becomes the subscription of its new foreign key and, when the foreign
// key changed, the end of the old one. `extract(key, value)` is the foreign key, nullopt
// for none. The instructions are Kafka's: an inner join hears back only where there is a
// joined row to change, a left join always.
template <class K, class V, class KO, class Extract, bool kLeft>
class SubscriptionSendNode final : public TypedNode<SubscriptionSendNode<K, V, KO, Extract, kLeft>, K, Change<V>> {
 public:
  SubscriptionSendNode(std::string name, Extract extract, SerdePtr<KO> foreign_key_serde, SerdePtr<V> value_serde,
                       std::string hash_topic, DefaultSerdes serdes)
      : TypedNode<SubscriptionSendNode, K, Change<V>>(std::move(name)), extract_(std::move(extract)),
        foreign_key_serde_(std::move(foreign_key_serde)), value_serde_(std::move(value_serde)),
        hash_topic_(std::move(hash_topic)), serdes_(std::move(serdes)) {}
  void init(StreamTask& task) override {
    serdes_.resolve(task, this->name());
    hash_topic_ = task.applicationId() + "-" + hash_topic_;
    task_ = &task;
  }
  void processRecord(const Record<K, Change<V>>& record) {
    using enum SubscriptionInstruction;
    const Change<V>& change = record.value();
    std::optional<KO> old_key = foreignKeyOf(record.key(), change.old_value);
    std::optional<KO> new_key = foreignKeyOf(record.key(), change.new_value);
    std::optional<ValueHash> hash;
    if (change.new_value) hash = hashOf(*value_serde_, hash_topic_, *change.new_value, scratch_);
    if constexpr (kLeft) {
      if (!change.old_value && !change.new_value) return;
      if (old_key && !sameKey(old_key, new_key)) send(record, old_key, hash, kDeleteKeyNoPropagate);
      // A deleted row or a null foreign key subscribes to null: no subscription is
      // kept, but the answer (a null foreign value) comes back in order.
      send(record, new_key, hash, kPropagateNullIfNoFkValAvailable);
    } else if (change.new_value && !new_key) {
      logSkippedNull(*task_, "foreign key");
      if (old_key) send(record, old_key, hash, kDeleteKeyAndPropagate);
    } else if (change.new_value) {
      if (old_key && !sameKey(old_key, new_key)) {
        send(record, old_key, hash, kDeleteKeyNoPropagate);
        send(record, new_key, hash, kPropagateNullIfNoFkValAvailable);
      } else {
        // Same foreign key, or none before: without a right value there was no joined
        // row before either, so no answer is needed.
        send(record, new_key, hash, kPropagateOnlyIfFkValAvailable);
      }
    } else if (old_key) {
      send(record, old_key, hash, kDeleteKeyAndPropagate);
    }
  }

 private:
  std::optional<KO> foreignKeyOf(const K& key, const std::optional<V>& value) {
    if (!value) return std::nullopt;
    std::optional<KO> foreign_key(invokeWithValue(extract_, key, *value));
    if (foreign_key && isNull(*foreign_key)) foreign_key.reset();
    return foreign_key;
  }
  // As Kafka, foreign keys are compared by their serialized bytes.
  bool sameKey(const std::optional<KO>& a, const std::optional<KO>& b) {
    if (!a || !b) return !a && !b;
    scratch_.clear();
    other_scratch_.clear();
    foreign_key_serde_->serialize(hash_topic_, *a, scratch_);
    foreign_key_serde_->serialize(hash_topic_, *b, other_scratch_);
    return scratch_ == other_scratch_;
  }
  void send(const Record<K, Change<V>>& from, const std::optional<KO>& foreign_key,
            const std::optional<ValueHash>& hash, SubscriptionInstruction instruction) {
    SubscriptionWrapper<K>& subscription = out_.mutableValue();
    subscription.hash = hash;
    subscription.instruction = instruction;
    subscription.primary_key = from.key();
    out_.mutableKey() = foreign_key;
    out_.setTimestamp(from.timestamp());
    out_.mutableHeaders() = from.headers();
    this->forward(out_);
  }

  Extract extract_;
  SerdePtr<KO> foreign_key_serde_;
  SerdePtr<V> value_serde_;
  std::string hash_topic_;
  DefaultSerdes serdes_;
  const StreamTask* task_ = nullptr;
  std::string scratch_;
  std::string other_scratch_;
  Record<std::optional<KO>, SubscriptionWrapper<K>> out_;
};

// KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR, "-subscription-receive" (Kafka's
// SubscriptionReceiveProcessorSupplier): keeps or drops the subscription in the store and
// passes it on to be answered. Only a left join's null subscriptions have a null foreign
// key; other records without one are dropped.
template <class KO, class K>
class SubscriptionReceiveNode final
    : public TypedNode<SubscriptionReceiveNode<KO, K>, std::optional<KO>, SubscriptionWrapper<K>> {
 public:
  SubscriptionReceiveNode(std::string name, std::string store_name, DefaultSerdes serdes)
      : TypedNode<SubscriptionReceiveNode, std::optional<KO>, SubscriptionWrapper<K>>(std::move(name)),
        store_name_(std::move(store_name)), serdes_(std::move(serdes)) {}
  void init(StreamTask& task) override {
    serdes_.resolve(task, this->name());
    store_ = &keyValueStoreOf<CombinedKey<KO, K>, SubscriptionWrapper<K>>(task, *this, store_name_);
    task_ = &task;
  }
  void processRecord(const Record<std::optional<KO>, SubscriptionWrapper<K>>& record) {
    using enum SubscriptionInstruction;
    const SubscriptionWrapper<K>& subscription = record.value();
    if (!record.key()) {
      if (subscription.instruction != kPropagateNullIfNoFkValAvailable) return logSkippedNull(*task_, "foreign key");
      return this->forward(record);
    }
    key_.foreign_key = *record.key();
    key_.primary_key = subscription.primary_key;
    if (subscription.instruction == kDeleteKeyAndPropagate || subscription.instruction == kDeleteKeyNoPropagate) {
      orThrow(store_->remove(key_));
    } else {
      orThrow(store_->put(key_, subscription));
    }
    this->forward(record);
  }

 private:
  std::string store_name_;
  DefaultSerdes serdes_;
  SubscriptionStore<KO, K>* store_ = nullptr;
  const StreamTask* task_ = nullptr;
  CombinedKey<KO, K> key_;
};

// Fills a response record to the subscriber `primary_key` and forwards it; the foreign
// value is already in `out`.
template <class K, class VO, class KIn, class VIn>
void respond(const Node& node, Record<K, SubscriptionResponseWrapper<VO>>& out, const K& primary_key,
             const std::optional<ValueHash>& hash, const Record<KIn, VIn>& from) {
  out.mutableKey() = primary_key;
  out.mutableValue().hash = hash;
  out.setTimestamp(from.timestamp());
  out.mutableHeaders() = from.headers();
  node.forward(out);
}

// KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR, "-subscription-join-foreign" (Kafka's
// SubscriptionJoinProcessorSupplier): answers a subscription with the right table's
// current value of its foreign key, as its instruction says.
template <class KO, class K, class VO>
class SubscriptionJoinNode final
    : public TypedNode<SubscriptionJoinNode<KO, K, VO>, std::optional<KO>, SubscriptionWrapper<K>> {
 public:
  SubscriptionJoinNode(std::string name, std::string foreign_store_name)
      : TypedNode<SubscriptionJoinNode, std::optional<KO>, SubscriptionWrapper<K>>(std::move(name)),
        foreign_store_name_(std::move(foreign_store_name)) {}
  void init(StreamTask& task) override { store_ = &keyValueStoreOf<KO, VO>(task, *this, foreign_store_name_); }
  void processRecord(const Record<std::optional<KO>, SubscriptionWrapper<K>>& record) {
    using enum SubscriptionInstruction;
    const SubscriptionWrapper<K>& subscription = record.value();
    if (subscription.instruction == kDeleteKeyNoPropagate) return;
    std::optional<VO>& foreign_value = out_.mutableValue().foreign_value;
    if (!foreign_value) foreign_value.emplace();
    bool found = subscription.instruction != kDeleteKeyAndPropagate && record.key() &&
                 orThrow(store_->get(*record.key(), *foreign_value));
    if (!found) foreign_value.reset();
    if (!found && subscription.instruction == kPropagateOnlyIfFkValAvailable) return;
    respond(*this, out_, subscription.primary_key, subscription.hash, record);
  }

 private:
  std::string foreign_store_name_;
  KeyValueStore<KO, VO>* store_ = nullptr;
  Record<K, SubscriptionResponseWrapper<VO>> out_;
};

// KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR, "-foreign-join-subscription" (Kafka's
// ForeignTableJoinProcessorSupplier): a change of a right value answers every subscriber
// of its key, found by a prefix scan of the subscription store. A deleted value answers
// null.
template <class KO, class VO, class K>
class ForeignTableJoinNode final : public TypedNode<ForeignTableJoinNode<KO, VO, K>, KO, Change<VO>> {
 public:
  ForeignTableJoinNode(std::string name, std::string store_name,
                       std::shared_ptr<const CombinedKeyPrefixSerde<KO>> prefix_serde, DefaultSerdes serdes)
      : TypedNode<ForeignTableJoinNode, KO, Change<VO>>(std::move(name)), store_name_(std::move(store_name)),
        prefix_serde_(std::move(prefix_serde)), serdes_(std::move(serdes)) {}
  void init(StreamTask& task) override {
    serdes_.resolve(task, this->name());
    store_ = &keyValueStoreOf<CombinedKey<KO, K>, SubscriptionWrapper<K>>(task, *this, store_name_);
    task_ = &task;
  }
  void processRecord(const Record<KO, Change<VO>>& record) {
    if (isNull(record.key())) return logSkippedNull(*task_, "key");
    out_.mutableValue().foreign_value = record.value().new_value;
    auto subscribers = store_->prefixScan(record.key(), *prefix_serde_);
    for (; subscribers.valid(); subscribers.next()) {
      respond(*this, out_, subscribers.key().primary_key, subscribers.value().hash, record);
    }
    orThrow(subscribers.status());
  }

 private:
  std::string store_name_;
  std::shared_ptr<const CombinedKeyPrefixSerde<KO>> prefix_serde_;
  DefaultSerdes serdes_;
  SubscriptionStore<KO, K>* store_ = nullptr;
  const StreamTask* task_ = nullptr;
  Record<K, SubscriptionResponseWrapper<VO>> out_;
};

// KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR (Kafka's
// ResponseJoinProcessorSupplier): an answer whose hash is not that of the left table's
// current value answers a value that has changed since, and is dropped; else the joined
// value goes on, null (a tombstone) where the join kind has none: no left value, or for
// the inner join no foreign value.
template <class K, class V, class VO, class VR, class Joiner, bool kLeft>
class ResponseJoinNode final
    : public TypedNode<ResponseJoinNode<K, V, VO, VR, Joiner, kLeft>, K, SubscriptionResponseWrapper<VO>> {
 public:
  ResponseJoinNode(std::string name, Joiner joiner, std::string store_name, SerdePtr<V> value_serde,
                   std::string hash_topic, DefaultSerdes serdes)
      : TypedNode<ResponseJoinNode, K, SubscriptionResponseWrapper<VO>>(std::move(name)), joiner_(std::move(joiner)),
        store_name_(std::move(store_name)), value_serde_(std::move(value_serde)), hash_topic_(std::move(hash_topic)),
        serdes_(std::move(serdes)) {}
  void init(StreamTask& task) override {
    serdes_.resolve(task, this->name());
    store_ = &keyValueStoreOf<K, V>(task, *this, store_name_);
    hash_topic_ = task.applicationId() + "-" + hash_topic_;
  }
  void processRecord(const Record<K, SubscriptionResponseWrapper<VO>>& record) {
    const SubscriptionResponseWrapper<VO>& response = record.value();
    bool found = orThrow(store_->get(record.key(), current_));
    std::optional<ValueHash> hash;
    if (found) hash = hashOf(*value_serde_, hash_topic_, current_, scratch_);
    if (hash != response.hash) return;  // stale: the left value changed after asking
    std::optional<VR> joined;
    if constexpr (kLeft) {
      if (found) joined = invokeJoiner(joiner_, record.key(), current_, response.foreign_value);
    } else {
      if (found && response.foreign_value) joined = invokeJoiner(joiner_, record.key(), current_, *response.foreign_value);
    }
    emit(*this, out_, record.key(), std::move(joined), record);
  }

 private:
  Joiner joiner_;
  std::string store_name_;
  SerdePtr<V> value_serde_;
  std::string hash_topic_;
  DefaultSerdes serdes_;
  KeyValueStore<K, V>* store_ = nullptr;
  V current_{};
  std::string scratch_;
  Record<K, std::optional<VR>> out_;
};

}  // namespace runnel::streams::internal
