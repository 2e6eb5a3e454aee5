#include "hello_topology.h"

#include <memory>

#include "streams/serdes.h"

namespace runnel::examples::hello {

using streams::Consumed;
using streams::Serdes;
using streams::Void;

Result<streams::Topology> dslTopology(Greet greet) {
  streams::StreamsBuilder builder;
  // The records have no key (the book's producer sends none), hence Void.
  builder.stream<Void, std::string>(kUsersTopic, Consumed<Void, std::string>::with(Serdes::Void(), Serdes::String()))
      .foreach([greet](const Void&, const std::string& value) { greet("(DSL) Hello, " + value); });
  return builder.build();
}

Result<streams::Topology> processorTopology(Greet greet) {
  streams::Topology topology;
  RUNNEL_RETURN_IF_ERROR(topology.addSource("UserSource", {kUsersTopic}, Serdes::Void(), Serdes::String()));
  RUNNEL_RETURN_IF_ERROR(topology.addProcessor(
      "SayHello", [greet] { return std::make_unique<SayHelloProcessor>(greet); }, {"UserSource"}));
  return topology;
}

}  // namespace runnel::examples::hello
