#pragma once

// The DSL's stateless operators. Each node that makes new records keeps one output
// record and assigns into it, so that strings keep their storage between records.

#include <fmt/format.h>

#include <cstdio>
#include <functional>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "streams/internal/node.h"
#include "streams/serde.h"

namespace runnel::streams::internal {

// Calls a value-only or key-and-value callable, as Kafka's ValueMapper and
// ValueMapperWithKey overloads.
template <class F, class K, class V>
decltype(auto) invokeWithValue(F& f, const K& key, const V& value) {
  if constexpr (std::is_invocable_v<F&, const K&, const V&>) {
    return f(key, value);
  } else {
    return f(value);
  }
}

// Fills a node's reusable output record from `from` with a new key and value, and
// forwards it.
template <class K2, class V2, class K, class V, class KeyArg, class ValueArg>
void emit(const Node& node, Record<K2, V2>& out, KeyArg&& key, ValueArg&& value, const Record<K, V>& from) {
  out.mutableKey() = std::forward<KeyArg>(key);
  out.mutableValue() = std::forward<ValueArg>(value);
  out.setTimestamp(from.timestamp());
  out.mutableHeaders() = from.headers();
  node.forward(out);
}

template <class F, class K, class V>
using ValueMapperResult = std::decay_t<decltype(invokeWithValue(std::declval<F&>(), std::declval<const K&>(),
                                                                std::declval<const V&>()))>;

template <class K, class V, class F, bool kNegate>
class FilterNode final : public TypedNode<FilterNode<K, V, F, kNegate>, K, V> {
 public:
  FilterNode(std::string name, F predicate)
      : TypedNode<FilterNode, K, V>(std::move(name)), predicate_(std::move(predicate)) {}
  void processRecord(const Record<K, V>& record) {
    if (static_cast<bool>(predicate_(record.key(), record.value())) != kNegate) this->forward(record);
  }

 private:
  F predicate_;
};

template <class K, class V, class V2, class F>
class MapValuesNode final : public TypedNode<MapValuesNode<K, V, V2, F>, K, V> {
 public:
  MapValuesNode(std::string name, F mapper)
      : TypedNode<MapValuesNode, K, V>(std::move(name)), mapper_(std::move(mapper)) {}
  void processRecord(const Record<K, V>& record) {
    emit(*this, out_, record.key(), invokeWithValue(mapper_, record.key(), record.value()), record);
  }

 private:
  F mapper_;
  Record<K, V2> out_;
};

template <class K, class V, class K2, class V2, class F>
class MapNode final : public TypedNode<MapNode<K, V, K2, V2, F>, K, V> {
 public:
  MapNode(std::string name, F mapper) : TypedNode<MapNode, K, V>(std::move(name)), mapper_(std::move(mapper)) {}
  void processRecord(const Record<K, V>& record) {
    KeyValue<K2, V2> mapped = mapper_(record.key(), record.value());
    emit(*this, out_, std::move(mapped.key), std::move(mapped.value), record);
  }

 private:
  F mapper_;
  Record<K2, V2> out_;
};

template <class K, class V, class K2, class F>
class SelectKeyNode final : public TypedNode<SelectKeyNode<K, V, K2, F>, K, V> {
 public:
  SelectKeyNode(std::string name, F mapper)
      : TypedNode<SelectKeyNode, K, V>(std::move(name)), mapper_(std::move(mapper)) {}
  void processRecord(const Record<K, V>& record) {
    emit(*this, out_, mapper_(record.key(), record.value()), record.value(), record);
  }

 private:
  F mapper_;
  Record<K2, V> out_;
};

template <class K, class V, class K2, class V2, class F>
class FlatMapNode final : public TypedNode<FlatMapNode<K, V, K2, V2, F>, K, V> {
 public:
  FlatMapNode(std::string name, F mapper) : TypedNode<FlatMapNode, K, V>(std::move(name)), mapper_(std::move(mapper)) {}
  void processRecord(const Record<K, V>& record) {
    for (auto&& mapped : mapper_(record.key(), record.value())) {
      emit(*this, out_, std::move(mapped.key), std::move(mapped.value), record);
    }
  }

 private:
  F mapper_;
  Record<K2, V2> out_;
};

template <class K, class V, class V2, class F>
class FlatMapValuesNode final : public TypedNode<FlatMapValuesNode<K, V, V2, F>, K, V> {
 public:
  FlatMapValuesNode(std::string name, F mapper)
      : TypedNode<FlatMapValuesNode, K, V>(std::move(name)), mapper_(std::move(mapper)) {}
  void processRecord(const Record<K, V>& record) {
    for (auto&& value : invokeWithValue(mapper_, record.key(), record.value())) {
      emit(*this, out_, record.key(), std::move(value), record);
    }
  }

 private:
  F mapper_;
  Record<K, V2> out_;
};

// peek (forwards) and foreach (a terminal node).
template <class K, class V, class F, bool kForward>
class ActionNode final : public TypedNode<ActionNode<K, V, F, kForward>, K, V> {
 public:
  ActionNode(std::string name, F action) : TypedNode<ActionNode, K, V>(std::move(name)), action_(std::move(action)) {}
  void processRecord(const Record<K, V>& record) {
    action_(record.key(), record.value());
    if constexpr (kForward) this->forward(record);
  }

 private:
  F action_;
};

// merge, and the branches of split: records pass through unchanged.
template <class K, class V>
class PassThroughNode final : public TypedNode<PassThroughNode<K, V>, K, V> {
 public:
  using TypedNode<PassThroughNode, K, V>::TypedNode;
  void processRecord(const Record<K, V>& record) { this->forward(record); }
};

// split(): each record goes to the first branch whose predicate matches, else to the
// default branch if there is one. Children are the branches, in the order declared.
template <class K, class V>
class BranchNode final : public TypedNode<BranchNode<K, V>, K, V> {
 public:
  using Predicate = std::function<bool(const K&, const V&)>;
  BranchNode(std::string name, std::vector<Predicate> predicates, bool has_default)
      : TypedNode<BranchNode, K, V>(std::move(name)), predicates_(std::move(predicates)), has_default_(has_default) {}
  void processRecord(const Record<K, V>& record) {
    for (size_t i = 0; i < predicates_.size(); ++i) {
      if (predicates_[i](record.key(), record.value())) {
        this->children()[i]->process(&record);
        return;
      }
    }
    if (has_default_) this->children()[predicates_.size()]->process(&record);
  }

 private:
  std::vector<Predicate> predicates_;
  bool has_default_;
};

// How print() shows keys and values: text as is, numbers, "null" for null.
template <class T>
std::string displayString(const T& value) {
  if constexpr (std::is_same_v<T, Void>) {
    return "null";
  } else if constexpr (requires { typename T::value_type; value.has_value(); }) {
    return value ? displayString(*value) : std::string("null");
  } else if constexpr (fmt::is_formattable<T>::value) {
    return fmt::format("{}", value);
  } else if constexpr (requires(std::ostream& os) { os << value; }) {
    std::ostringstream out;
    out << value;
    return out.str();
  } else {
    return "<" + std::string(typeid(T).name()) + ">";
  }
}

// print(): "[label]: key, value" per record, to stdout or a file, as Kafka's Printed.
template <class K, class V>
class PrintNode final : public TypedNode<PrintNode<K, V>, K, V> {
 public:
  using Mapper = std::function<std::string(const K&, const V&)>;
  PrintNode(std::string name, std::string label, std::string file, Mapper mapper)
      : TypedNode<PrintNode, K, V>(std::move(name)), label_(std::move(label)), file_(std::move(file)),
        mapper_(std::move(mapper)) {}
  ~PrintNode() override { close(); }

  void init(StreamTask&) override {
    if (!file_.empty()) {
      out_ = std::fopen(file_.c_str(), "a");
      if (out_ == nullptr) throw StreamsException("Unable to write stream to file at [" + file_ + "]");
    }
  }
  void close() override {
    if (out_ != nullptr && out_ != stdout) std::fclose(out_);
    out_ = stdout;
  }
  void processRecord(const Record<K, V>& record) {
    std::string text = mapper_ ? mapper_(record.key(), record.value())
                               : displayString(record.key()) + ", " + displayString(record.value());
    fmt::print(out_, "[{}]: {}\n", label_, text);
    std::fflush(out_);
  }

 private:
  std::string label_;
  std::string file_;
  Mapper mapper_;
  std::FILE* out_ = stdout;
};

}  // namespace runnel::streams::internal
