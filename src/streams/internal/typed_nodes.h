#pragma once

// The nodes every topology is made of: sources, sinks and user processors. Templates,
// instantiated by the DSL and the Processor API for the record types of each node.

#include <optional>
#include <string>
#include <typeinfo>

#include "streams/internal/log.h"
#include "streams/internal/record_collector.h"
#include "streams/internal/source_node.h"
#include "streams/internal/stream_task.h"
#include "streams/processor.h"
#include "streams/serde.h"
#include "streams/serdes.h"
#include "streams/timestamp_extractor.h"

namespace runnel::streams::internal {

// The serde a node uses: its own, else the configured default of the right type.
template <class T>
SerdePtr<T> resolveSerde(const SerdePtr<T>& own, const std::shared_ptr<const SerdeBase>& fallback,
                         const char* which, const std::string& node_name) {
  if (own) return own;
  if constexpr (std::is_same_v<T, Void>) {
    if (!fallback) return Serdes::Void();  // a Void key needs no configured serde
  }
  if (!fallback) {
    throw StreamsException(std::string("Failed to initialize ") + which + " serdes for node " + node_name +
                           ": please specify a " + which + " serde or set one through default." + which + ".serde");
  }
  auto typed = std::dynamic_pointer_cast<const Serde<T>>(fallback);
  if (!typed) {
    throw StreamsException("default." + std::string(which) + ".serde " + fallback->name() + " does not produce the " +
                           which + " type of node " + node_name + " (" + typeid(T).name() + ")");
  }
  return typed;
}

template <class K, class V>
class SourceNode final : public SourceNodeBase {
 public:
  SourceNode(std::string name, SerdePtr<K> key_serde, SerdePtr<V> value_serde, TimestampExtractor<K, V> extractor)
      : SourceNodeBase(std::move(name)), key_serde_(std::move(key_serde)), value_serde_(std::move(value_serde)),
        extractor_(std::move(extractor)) {}

  void init(StreamTask& task) override {
    key_serde_ = resolveSerde(key_serde_, task.config().defaultKeySerde(), "key", this->name());
    value_serde_ = resolveSerde(value_serde_, task.config().defaultValueSerde(), "value", this->name());
    extractor_kind_ = task.config().timestampExtractor();
    continue_on_error_ =
        task.config().deserializationHandling() == StreamsConfig::DeserializationHandling::kLogAndContinue;
    task_ = &task;
  }

  std::unique_ptr<Slot> makeSlot() const override { return std::make_unique<TypedSlot>(); }

  Decoded decode(const RawRecord& raw, int64_t partition_time, Slot& slot, int64_t& timestamp) override {
    auto& record = static_cast<TypedSlot&>(slot).record;
    Status status = key_serde_->deserialize(raw.topic, raw.key, record.mutableKey());
    if (status.isOk()) status = value_serde_->deserialize(raw.topic, raw.value, record.mutableValue());
    if (!status.isOk()) {
      if (!continue_on_error_) throw StreamsException(status.message());
      log().warn("Skipping record due to deserialization error. topic=[{}] partition=[{}] offset=[{}]: {}",
                   raw.topic, raw.partition, raw.offset, status.message());
      return Decoded::kSkip;
    }
    if (raw.headers != nullptr) {
      record.mutableHeaders() = *raw.headers;
    } else {
      record.mutableHeaders().clear();
    }
    timestamp = extract(raw, record, partition_time);
    if (timestamp < 0) {
      log().warn("Skipping record due to negative extracted timestamp. topic=[{}] partition=[{}] offset=[{}] "
                   "extractedTimestamp=[{}]", raw.topic, raw.partition, raw.offset, timestamp);
      return Decoded::kSkip;
    }
    record.setTimestamp(timestamp);
    return Decoded::kOk;
  }

  void forwardSlot(const Slot& slot) override { forward(static_cast<const TypedSlot&>(slot).record); }

 private:
  struct TypedSlot final : Slot {
    Record<K, V> record;
  };

  int64_t extract(const RawRecord& raw, const Record<K, V>& record, int64_t partition_time) const {
    if (extractor_) {
      return extractor_(ConsumerRecordInfo{raw.topic, raw.partition, raw.offset, raw.timestamp}, record.key(),
                        record.value(), partition_time);
    }
    using Kind = StreamsConfig::TimestampExtractorKind;
    if (extractor_kind_ == Kind::kWallclock) return task_->systemTime();
    if (raw.timestamp >= 0) return raw.timestamp;
    switch (extractor_kind_) {
      case Kind::kLogAndSkipOnInvalid:
        return raw.timestamp;
      case Kind::kUsePartitionTimeOnInvalid:
        if (partition_time >= 0) return partition_time;
        [[fallthrough]];
      default:
        throw StreamsException("Input record of topic " + std::string(raw.topic) + " partition " +
                               std::to_string(raw.partition) + " offset " + std::to_string(raw.offset) +
                               " has invalid (negative) timestamp " + std::to_string(raw.timestamp) +
                               ". Use a different TimestampExtractor to process this data.");
    }
  }

  SerdePtr<K> key_serde_;
  SerdePtr<V> value_serde_;
  TimestampExtractor<K, V> extractor_;
  StreamsConfig::TimestampExtractorKind extractor_kind_{};
  bool continue_on_error_ = false;
  StreamTask* task_ = nullptr;
};

// Computes the topic of each record for a dynamic sink (Kafka's TopicNameExtractor).
template <class K, class V>
using TopicNameExtractor = std::function<std::string(const K& key, const V& value, const RecordMetadata* metadata)>;

template <class K, class V>
class SinkNode final : public TypedNode<SinkNode<K, V>, K, V> {
 public:
  SinkNode(std::string name, std::string topic, bool internal_topic, TopicNameExtractor<K, V> extractor,
           SerdePtr<K> key_serde, SerdePtr<V> value_serde)
      : TypedNode<SinkNode<K, V>, K, V>(std::move(name)), topic_(std::move(topic)), internal_topic_(internal_topic),
        extractor_(std::move(extractor)), key_serde_(std::move(key_serde)), value_serde_(std::move(value_serde)) {}

  void init(StreamTask& task) override {
    key_serde_ = resolveSerde(key_serde_, task.config().defaultKeySerde(), "key", this->name());
    value_serde_ = resolveSerde(value_serde_, task.config().defaultValueSerde(), "value", this->name());
    if (internal_topic_) topic_ = task.applicationId() + "-" + topic_;
    task_ = &task;
  }

  void processRecord(const Record<K, V>& record) {
    client::ProducerRecord& out = task_->collector().next();
    if (extractor_) {
      const auto& metadata = task_->recordMetadata();
      out.topic = extractor_(record.key(), record.value(), metadata ? &*metadata : nullptr);
    } else if (out.topic != topic_) {
      out.topic = topic_;
    }
    out.partition = client::ProducerRecord::kAnyPartition;
    serializeInto(*key_serde_, out.topic, record.key(), out.key);
    serializeInto(*value_serde_, out.topic, record.value(), out.value);
    out.timestamp = record.timestamp();
    out.headers = record.headers();
    task_->collector().send();
  }

 private:
  template <class T>
  static void serializeInto(const Serde<T>& serde, const std::string& topic, const T& data,
                            std::optional<std::string>& out) {
    if (!out) out.emplace();
    out->clear();
    if (!serde.serialize(topic, data, *out)) out.reset();
  }

  std::string topic_;
  bool internal_topic_;
  TopicNameExtractor<K, V> extractor_;
  SerdePtr<K> key_serde_;
  SerdePtr<V> value_serde_;
  StreamTask* task_ = nullptr;
};

// Runs a user Processor (Context = ProcessorContext<KOut, VOut>) or FixedKeyProcessor
// (Context = FixedKeyProcessorContext<KIn, VOut>), one instance per task.
template <class P, class Context>
class UserProcessorNode final : public TypedNode<UserProcessorNode<P, Context>, typename P::KeyIn, typename P::ValueIn> {
 public:
  using KIn = typename P::KeyIn;
  using VIn = typename P::ValueIn;

  UserProcessorNode(std::string name, std::unique_ptr<P> processor)
      : TypedNode<UserProcessorNode, KIn, VIn>(std::move(name)), processor_(std::move(processor)) {}

  void init(StreamTask& task) override {
    context_.emplace(&task, this);
    processor_->init(*context_);
  }
  void close() override { processor_->close(); }
  void processRecord(const Record<KIn, VIn>& record) {
    if constexpr (std::is_same_v<Context, FixedKeyProcessorContext<KIn, typename P::ValueOut>>) {
      processor_->process(FixedKeyRecord<KIn, VIn>::borrow(record));
    } else {
      processor_->process(record);
    }
  }

 private:
  std::unique_ptr<P> processor_;
  std::optional<Context> context_;
};

template <class P>
using ProcessorNode = UserProcessorNode<P, ProcessorContext<typename P::KeyOut, typename P::ValueOut>>;
template <class P>
using FixedKeyProcessorNode = UserProcessorNode<P, FixedKeyProcessorContext<typename P::KeyIn, typename P::ValueOut>>;

}  // namespace runnel::streams::internal
