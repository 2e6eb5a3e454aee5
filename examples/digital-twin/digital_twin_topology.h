#pragma once

// Chapter 7 of the book: a digital twin per wind turbine, with the Processor API.
//   reported-state-events -> "High Winds Processor" --+
//   desired-state-events -----------------------------+-> "Digital Twin Processor"
//                                (digital-twin-store) -> digital-twins

#include "common/result.h"
#include "streams/topology.h"

namespace runnel::examples::twin {

inline constexpr const char* kReportedStateTopic = "reported-state-events";
inline constexpr const char* kDesiredStateTopic = "desired-state-events";
inline constexpr const char* kDigitalTwinsTopic = "digital-twins";

Result<streams::Topology> digitalTwinTopology();

}  // namespace runnel::examples::twin
