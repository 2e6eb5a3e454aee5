#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "streams/processor_error.h"
#include "streams/record.h"
#include "streams/serde.h"
#include "streams/state_store.h"

namespace runnel::streams {

namespace internal {
class Node;
class StreamTask;
}  // namespace internal

enum class PunctuationType {
  kStreamTime,     // fires as the task's stream time (the largest record timestamp) advances
  kWallClockTime,  // fires as the clock of the thread (or the test driver) advances
};

using Punctuator = std::function<void(int64_t timestamp)>;

// Returned by schedule(); cancel() stops further punctuations.
class Cancellable {
 public:
  Cancellable() = default;
  explicit Cancellable(std::shared_ptr<bool> cancelled) : cancelled_(std::move(cancelled)) {}
  void cancel() {
    if (cancelled_) *cancelled_ = true;
  }

 private:
  std::shared_ptr<bool> cancelled_;
};

// What every processor's context offers, whatever it forwards.
class ProcessorContextBase {
 public:
  ProcessorContextBase(internal::StreamTask* task, internal::Node* node) : task_(task), node_(node) {}

  const std::string& applicationId() const;
  // The application's configuration as given (Kafka's appConfigs()).
  const std::map<std::string, std::string>& appConfigs() const;
  // "0_1": sub-topology 0, partition 1.
  const std::string& taskId() const;
  // The record being processed; nullopt while a punctuator runs.
  const std::optional<RecordMetadata>& recordMetadata() const;
  // The task's stream time: the largest timestamp it has processed (-1 before the first).
  int64_t currentStreamTimeMs() const;
  // The thread's clock (the driver's mock clock under the test driver).
  int64_t currentSystemTimeMs() const;

  // Calls `punctuator` every `interval` of stream time or wall-clock time, as Kafka
  // Streams does: aligned to multiples of the interval, at most once per advance.
  Cancellable schedule(std::chrono::milliseconds interval, PunctuationType type, Punctuator punctuator);
  // Asks the thread to commit this task soon.
  void commit();

  // The store named `name`, connected to this processor; throws StreamsException when
  // the processor is not connected to it or it is of another type.
  template <class Store>
  Store& getStateStore(std::string_view name) const {
    auto* store = dynamic_cast<Store*>(stateStore(name));
    if (store == nullptr) throw StreamsException("state store '" + std::string(name) + "' is not of the requested type");
    return *store;
  }

 protected:
  StateStore* stateStore(std::string_view name) const;

  internal::StreamTask* task_;
  internal::Node* node_;
};

// The context of a Processor<KIn, VIn, KOut, VOut>: forwards records of its output types.
template <class KOut, class VOut>
class ProcessorContext : public ProcessorContextBase {
 public:
  using ProcessorContextBase::ProcessorContextBase;

  // To every child, or only to the child named `child_name`.
  void forward(const Record<KOut, VOut>& record);
  void forward(const Record<KOut, VOut>& record, std::string_view child_name);
};

// A processor of the Processor API. One instance per task: the supplier given to the
// topology makes a fresh one for each.
template <class KIn, class VIn, class KOut = Void, class VOut = Void>
class Processor {
 public:
  using KeyIn = KIn;
  using ValueIn = VIn;
  using KeyOut = KOut;
  using ValueOut = VOut;

  virtual ~Processor() = default;
  virtual void init(ProcessorContext<KOut, VOut>& context) { (void)context; }
  virtual void process(const Record<KIn, VIn>& record) = 0;
  virtual void close() {}
};

template <class P>
using ProcessorSupplier = std::function<std::unique_ptr<P>()>;

// A record whose key cannot change (KStream::processValues keeps the partitioning).
// The one handed to a processor borrows the task's record, so it costs no copy.
template <class K, class V>
class FixedKeyRecord {
 public:
  explicit FixedKeyRecord(Record<K, V> record) : owned_(std::move(record)), record_(&owned_) {}
  FixedKeyRecord(const FixedKeyRecord& other) : owned_(*other.record_), record_(&owned_) {}
  FixedKeyRecord& operator=(const FixedKeyRecord& other) {
    owned_ = *other.record_;
    record_ = &owned_;
    return *this;
  }
  static FixedKeyRecord borrow(const Record<K, V>& record) { return FixedKeyRecord(&record); }

  const K& key() const { return record_->key(); }
  const V& value() const { return record_->value(); }
  int64_t timestamp() const { return record_->timestamp(); }
  const Headers& headers() const { return record_->headers(); }
  template <class V2>
  FixedKeyRecord<K, V2> withValue(V2 value) const { return FixedKeyRecord<K, V2>(record_->withValue(std::move(value))); }
  FixedKeyRecord withTimestamp(int64_t timestamp) const { return FixedKeyRecord(record_->withTimestamp(timestamp)); }
  const Record<K, V>& record() const { return *record_; }

 private:
  explicit FixedKeyRecord(const Record<K, V>* borrowed) : record_(borrowed) {}

  Record<K, V> owned_;
  const Record<K, V>* record_;
};

template <class K, class VOut>
class FixedKeyProcessorContext : public ProcessorContextBase {
 public:
  using ProcessorContextBase::ProcessorContextBase;
  void forward(const FixedKeyRecord<K, VOut>& record);
  void forward(const FixedKeyRecord<K, VOut>& record, std::string_view child_name);
};

template <class KIn, class VIn, class VOut = Void>
class FixedKeyProcessor {
 public:
  using KeyIn = KIn;
  using ValueIn = VIn;
  using ValueOut = VOut;

  virtual ~FixedKeyProcessor() = default;
  virtual void init(FixedKeyProcessorContext<KIn, VOut>& context) { (void)context; }
  virtual void process(const FixedKeyRecord<KIn, VIn>& record) = 0;
  virtual void close() {}
};

}  // namespace runnel::streams

#include "streams/internal/node.h"

namespace runnel::streams {

template <class KOut, class VOut>
void ProcessorContext<KOut, VOut>::forward(const Record<KOut, VOut>& record) {
  node_->forward(record);
}
template <class KOut, class VOut>
void ProcessorContext<KOut, VOut>::forward(const Record<KOut, VOut>& record, std::string_view child_name) {
  node_->forwardTo(record, child_name);
}
template <class K, class VOut>
void FixedKeyProcessorContext<K, VOut>::forward(const FixedKeyRecord<K, VOut>& record) {
  node_->forward(record.record());
}
template <class K, class VOut>
void FixedKeyProcessorContext<K, VOut>::forward(const FixedKeyRecord<K, VOut>& record, std::string_view child_name) {
  node_->forwardTo(record.record(), child_name);
}

}  // namespace runnel::streams
