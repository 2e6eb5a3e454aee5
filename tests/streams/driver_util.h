#pragma once

// What the DSL tests share: a driver over a builder's topology with String default serdes
// (operators that change the key or value type drop the stream's serdes, as in Kafka
// Streams), and String-String Consumed.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "streams/serdes.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"

namespace runnel::streams {

inline std::unique_ptr<TopologyTestDriver> makeDriver(StreamsBuilder& builder,
                                                      std::map<std::string, std::string> config = {}) {
  config.try_emplace("default.key.serde", "org.apache.kafka.common.serialization.Serdes$StringSerde");
  config.try_emplace("default.value.serde", "org.apache.kafka.common.serialization.Serdes$StringSerde");
  auto topology = builder.build();
  EXPECT_TRUE(topology.isOk()) << topology.status().toString();
  auto driver = TopologyTestDriver::create(*topology, std::move(config));
  EXPECT_TRUE(driver.isOk()) << driver.status().toString();
  return std::move(driver).value();
}

inline Consumed<std::string, std::string> strings() {
  return Consumed<std::string, std::string>::with(Serdes::String(), Serdes::String());
}

}  // namespace runnel::streams
