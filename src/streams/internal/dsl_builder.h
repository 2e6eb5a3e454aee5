#pragma once

#include <memory>
#include <string>
#include <vector>

#include "streams/internal/topology_builder.h"

namespace runnel::streams::internal {

// What a StreamsBuilder and every stream made from it share: the topology being built
// and the first mistake made while building it, which build() reports.
struct DslBuilder {
  TopologyBuilder topology;
  Status first_error;

  void add(NodeFactory factory) {
    Status status = topology.addNode(std::move(factory));
    if (first_error.isOk() && !status.isOk()) first_error = std::move(status);
  }
  void check(Status status) {
    if (first_error.isOk() && !status.isOk()) first_error = std::move(status);
  }
  // The user's name if there is one, else a generated "<prefix><index>".
  std::string name(const std::string& user_name, const char* prefix) {
    return user_name.empty() ? topology.newName(prefix) : user_name;
  }
};

template <class KIn, class VIn, class KOut, class VOut>
NodeTypes nodeTypes() {
  return {typeid(KIn), typeid(VIn), typeid(KOut), typeid(VOut)};
}

}  // namespace runnel::streams::internal
