#pragma once

#include <stdexcept>
#include <string>

namespace runnel::streams {

// Thrown by the library while processing (a serde, a store or a sink failed) and caught
// by the task that runs the record, which hands it to the uncaught-exception handler.
class StreamsException : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a processor node threw, with the node's name, so that the task's error message
// names the processor that failed.
class ProcessorFailure : public StreamsException {
 public:
  ProcessorFailure(std::string node, const std::string& what) : StreamsException(what), node_(std::move(node)) {}
  const std::string& node() const { return node_; }

 private:
  std::string node_;
};

}  // namespace runnel::streams
