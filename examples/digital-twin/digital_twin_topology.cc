#include "digital_twin_topology.h"

#include <memory>

#include "digital_twin_processors.h"
#include "streams/json_serde.h"
#include "streams/serdes.h"
#include "streams/stores.h"

namespace runnel::examples::twin {

using streams::Serdes;
using streams::Stores;

Result<streams::Topology> digitalTwinTopology() {
  auto state_serde = streams::jsonSerde<TurbineState>();
  auto twin_serde = streams::jsonSerde<DigitalTwin>();
  streams::Topology topology;
  RUNNEL_RETURN_IF_ERROR(
      topology.addSource("Desired State Events", {kDesiredStateTopic}, Serdes::String(), state_serde));
  RUNNEL_RETURN_IF_ERROR(
      topology.addSource("Reported State Events", {kReportedStateTopic}, Serdes::String(), state_serde));
  RUNNEL_RETURN_IF_ERROR(topology.addProcessor(
      "High Winds Processor", [] { return std::make_unique<HighWindsProcessor>(); }, {"Reported State Events"}));
  RUNNEL_RETURN_IF_ERROR(topology.addProcessor(
      "Digital Twin Processor", [] { return std::make_unique<DigitalTwinProcessor>(); },
      {"High Winds Processor", "Desired State Events"}));
  RUNNEL_RETURN_IF_ERROR(topology.addStateStore(
      Stores::keyValueStoreBuilder(Stores::persistentKeyValueStore(kDigitalTwinStore), Serdes::String(), twin_serde),
      {"Digital Twin Processor"}));
  RUNNEL_RETURN_IF_ERROR(
      topology.addSink("Digital Twin Sink", kDigitalTwinsTopic, Serdes::String(), twin_serde, {"Digital Twin Processor"}));
  return topology;
}

}  // namespace runnel::examples::twin
