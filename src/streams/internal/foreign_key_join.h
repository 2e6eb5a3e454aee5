#pragma once

// KTable::doForeignKeyJoin, Kafka's KTableImpl.doJoinOnForeignKey: the nodes, stores and
// internal topics of a foreign-key join (nodes: foreign_key_join_nodes.h). Included at
// the end of ktable.h.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "streams/ktable.h"

namespace runnel::streams {

namespace internal {

// A sink into an internal topic, which the application id prefixes when it runs.
template <class K, class V>
NodeFactory internalSinkFactory(const std::string& name, std::vector<std::string> parents, const std::string& topic,
                                SerdePtr<K> key_serde, SerdePtr<V> value_serde) {
  NodeFactory factory;
  factory.name = name;
  factory.kind = NodeKind::kSink;
  factory.parents = std::move(parents);
  factory.topics = {topic};
  factory.internal_topic = true;
  factory.types = nodeTypes<K, V, void, void>();
  factory.make = [name, topic, key_serde, value_serde] {
    return std::make_unique<SinkNode<K, V>>(name, topic, true, nullptr, key_serde, value_serde);
  };
  return factory;
}

}  // namespace internal

// Names in Kafka's order: unnamed "<prefix><index>", with a Named "<name><suffix>":
//   KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n>-topic   <name>-subscription-registration-topic
//   KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n+1>       <name>-subscription-registration-processor
//   KTABLE-SINK-<n+2>, KTABLE-SOURCE-<n+3>               <name>-subscription-registration-sink/-source
//   KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-<n+4>        <name>-subscription-store
//   KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-<n+5..n+7>     <name>-subscription-receive,
//                                                        -subscription-join-foreign, -foreign-join-subscription
//   KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-<n+8>-topic     <name>-subscription-response-topic
//   KTABLE-SINK-<n+9>, KTABLE-SOURCE-<n+10>              <name>-subscription-response-sink/-source
//   KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-<n+11>   <name>-subscription-response-resolver
//   KTABLE-FK-JOIN-OUTPUT-<n+12>                         <name>-result
//   KTABLE-FK-JOIN-OUTPUT-STATE-STORE-<n+13>             (the Materialized's name, if any)
// The registration side (send, sink) and the resolver read this table's store, so they
// run in its sub-topology; receive, join-foreign and foreign-join-subscription share the
// subscription store and read the other table's, so they run in that one. Each internal
// topic is thus co-partitioned with the table its reader joins: the registration topic
// gets the other table's partition count, the response topic this table's.
template <class K, class V>
template <class KO, class VO, class VR, bool kLeft, class FK, class F>
KTable<K, VR> KTable<K, V>::doForeignKeyJoin(const KTable<KO, VO>& other, FK extractor, F joiner, const Named& named,
                                             Materialized<K, VR> materialized) const {
  internal::TopologyBuilder& topology = builder_->topology;
  auto name = [&](const char* suffix, const char* prefix) {
    return named.empty() ? topology.newName(prefix) : named.name() + suffix;
  };
  std::string this_store = joinedStore("KTable foreign-key join");
  std::string other_store = other.joinedStore("KTable foreign-key join");
  std::string registration_topic =
      name("-subscription-registration", "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-") + "-topic";
  std::string send = name("-subscription-registration-processor", "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-");
  std::string registration_sink = name("-subscription-registration-sink", "KTABLE-SINK-");
  std::string registration_source = name("-subscription-registration-source", "KTABLE-SOURCE-");
  std::string subscription_store = name("-subscription-store", "KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-");
  std::string receive = name("-subscription-receive", "KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-");
  std::string join_foreign = name("-subscription-join-foreign", "KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-");
  std::string foreign_join = name("-foreign-join-subscription", "KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-");
  std::string response_topic = name("-subscription-response", "KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-") + "-topic";
  std::string response_sink = name("-subscription-response-sink", "KTABLE-SINK-");
  std::string response_source = name("-subscription-response-source", "KTABLE-SOURCE-");
  std::string resolver =
      name("-subscription-response-resolver", "KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-");
  std::string output = name("-result", "KTABLE-FK-JOIN-OUTPUT-");
  std::string output_store = internal::storeNameOf(*builder_, materialized, "KTABLE-FK-JOIN-OUTPUT-");
  // The value hash's serde sees "<registration topic>-vh", as Kafka's pseudo topic.
  std::string hash_topic = registration_topic + "-vh";

  // Every serde first, so that each node's copy of `serdes` resolves them all.
  internal::DefaultSerdes serdes;
  SerdePtr<K> keys = serdes.orDefault(key_serde_, true);
  SerdePtr<V> values = serdes.orDefault(value_serde_, false);
  SerdePtr<KO> foreign_keys = serdes.orDefault(other.keySerde(), true);
  SerdePtr<VO> foreign_values = serdes.orDefault(other.valueSerde(), false);
  SerdePtr<K> result_keys = materialized.keySerde() ? materialized.keySerde() : key_serde_;
  SerdePtr<VR> result_values = materialized.valueSerde();
  auto output_store_builder = internal::storeBuilderOf(materialized, output_store, serdes.orDefault(result_keys, true),
                                                       serdes.orDefault(result_values, false));
  SerdePtr<std::optional<KO>> registration_keys = Serdes::Optional(foreign_keys);
  SerdePtr<internal::SubscriptionWrapper<K>> subscriptions =
      std::make_shared<internal::SubscriptionWrapperSerde<K>>(keys);
  SerdePtr<internal::SubscriptionResponseWrapper<VO>> responses =
      std::make_shared<internal::SubscriptionResponseWrapperSerde<VO>>(foreign_values);
  auto prefixes = std::make_shared<const internal::CombinedKeyPrefixSerde<KO>>(foreign_keys);
  auto subscription_store_builder =
      Stores::keyValueStoreBuilder(Stores::persistentKeyValueStore(subscription_store),
                                   SerdePtr<internal::CombinedKey<KO, K>>(
                                       std::make_shared<internal::CombinedKeySerde<KO, K>>(prefixes, keys)),
                                   subscriptions);
  topology.addInternalTopic({registration_topic, -1});
  topology.addInternalTopic({response_topic, -1});

  // This table's changes subscribe to their foreign keys.
  using Subscription = internal::SubscriptionWrapper<K>;
  using Response = internal::SubscriptionResponseWrapper<VO>;
  add<std::optional<KO>, Subscription>(send, [=] {
    return std::make_unique<internal::SubscriptionSendNode<K, V, KO, FK, kLeft>>(send, extractor, foreign_keys, values,
                                                                                hash_topic, serdes);
  });
  builder_->add(internal::internalSinkFactory(registration_sink, {send}, registration_topic, registration_keys,
                                              subscriptions));
  builder_->add(KStream<std::optional<KO>, Subscription>::sourceFactory(registration_source, {registration_topic},
                                                                        true, registration_keys, subscriptions, {}));

  // The other table's side: subscriptions are kept and answered, and every change of
  // the other table answers its subscribers.
  internal::NodeFactory receive_node;
  receive_node.name = receive;
  receive_node.parents = {registration_source};
  receive_node.types = internal::nodeTypes<std::optional<KO>, Subscription, std::optional<KO>, Subscription>();
  receive_node.make = [=] {
    return std::make_unique<internal::SubscriptionReceiveNode<KO, K>>(receive, subscription_store, serdes);
  };
  builder_->add(std::move(receive_node));
  internal::NodeFactory join_foreign_node;
  join_foreign_node.name = join_foreign;
  join_foreign_node.parents = {receive};
  join_foreign_node.types = internal::nodeTypes<std::optional<KO>, Subscription, K, Response>();
  join_foreign_node.make = [=] {
    return std::make_unique<internal::SubscriptionJoinNode<KO, K, VO>>(join_foreign, other_store);
  };
  builder_->add(std::move(join_foreign_node));
  other.template add<K, Response>(foreign_join, [=] {
    return std::make_unique<internal::ForeignTableJoinNode<KO, VO, K>>(foreign_join, subscription_store, prefixes,
                                                                       serdes);
  });
  builder_->check(topology.addStateStore(std::move(subscription_store_builder), {receive, foreign_join}));
  builder_->check(topology.connectProcessorAndStateStores(join_foreign, {other_store}));
  builder_->add(
      internal::internalSinkFactory(response_sink, {join_foreign, foreign_join}, response_topic, keys, responses));

  // Back on this table's side: answers to current values are joined.
  builder_->add(KStream<K, Response>::sourceFactory(response_source, {response_topic}, true, keys, responses, {}));
  internal::NodeFactory resolver_node;
  resolver_node.name = resolver;
  resolver_node.parents = {response_source};
  resolver_node.types = internal::nodeTypes<K, Response, K, std::optional<VR>>();
  resolver_node.make = [=] {
    return std::make_unique<internal::ResponseJoinNode<K, V, VO, VR, F, kLeft>>(resolver, joiner, this_store, values,
                                                                              hash_topic, serdes);
  };
  builder_->add(std::move(resolver_node));
  builder_->check(topology.connectProcessorAndStateStores(resolver, {this_store}));
  internal::NodeFactory output_node;
  output_node.name = output;
  output_node.parents = {resolver};
  output_node.types = internal::nodeTypes<K, std::optional<VR>, K, Change<VR>>();
  output_node.make = [=] {
    return std::make_unique<internal::KTableSourceNode<K, std::optional<VR>, VR>>(output, output_store, serdes);
  };
  builder_->add(std::move(output_node));
  builder_->check(topology.addStateStore(std::move(output_store_builder), {output}));
  return KTable<K, VR>(builder_, output, result_keys, result_values, output_store);
}

}  // namespace runnel::streams
