#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "streams/record.h"

#include "streams/processor_error.h"

namespace runnel::streams::internal {

class StreamTask;

// One node of a task's processor graph. Records cross node boundaries type-erased:
// a node receives `const Record<K, V>*` of the input types it was declared with, which
// the topology checked when it was built, so each hop costs one indirect call.
class Node {
 public:
  explicit Node(std::string name) : name_(std::move(name)) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const std::string& name() const { return name_; }
  const std::vector<Node*>& children() const { return children_; }
  void addChild(Node* child) { children_.push_back(child); }

  // Called once when the task starts, before any record, and when it closes.
  virtual void init(StreamTask& task) { (void)task; }
  virtual void close() {}

  // `record` points to a Record<K, V> of this node's input types.
  virtual void process(const void* record) = 0;

  template <class K, class V>
  void forward(const Record<K, V>& record) const {
    for (Node* child : children_) child->process(&record);
  }
  template <class K, class V>
  void forwardTo(const Record<K, V>& record, std::string_view child_name) const {
    findChild(child_name)->process(&record);
  }

 private:
  // Throws StreamsException when there is no such child.
  Node* findChild(std::string_view child_name) const;

  std::string name_;
  std::vector<Node*> children_;
};

// Base of the nodes with typed input: `Derived::processRecord(const Record<K, V>&)` is
// called without a second indirect call.
template <class Derived, class K, class V>
class TypedNode : public Node {
 public:
  using Node::Node;
  void process(const void* record) final {
    // Free unless something throws: then the failure names the innermost node.
    try {
      static_cast<Derived*>(this)->processRecord(*static_cast<const Record<K, V>*>(record));
    } catch (const ProcessorFailure&) {
      throw;
    } catch (const std::exception& e) {
      throw ProcessorFailure(this->name(), e.what());
    }
  }
};

}  // namespace runnel::streams::internal
