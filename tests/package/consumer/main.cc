// Built against an installed runnel package: a filter -> mapValues -> to topology run on
// the topology test driver. Exits non-zero when the output is not the expected one.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "streams/serdes.h"
#include "streams/topology.h"
#include "streams/topology_test_driver.h"

namespace rs = runnel::streams;

int main() {
  rs::StreamsBuilder builder;
  builder.stream("words", rs::Consumed<std::string, std::string>::with(rs::Serdes::String(), rs::Serdes::String()))
      .filter([](const std::string&, const std::string& word) { return word.size() > 3; })
      .mapValues([](const std::string& word) { return "<" + word + ">"; })
      .to("long-words", rs::Produced<std::string, std::string>::with(rs::Serdes::String(), rs::Serdes::String()));

  auto topology = builder.build();
  if (!topology.isOk()) {
    std::cerr << "build failed: " << topology.status().toString() << "\n";
    return 1;
  }
  auto driver = rs::TopologyTestDriver::create(*topology);
  if (!driver.isOk()) {
    std::cerr << "driver failed: " << driver.status().toString() << "\n";
    return 1;
  }
  auto in = (*driver)->createInputTopic("words", rs::Serdes::String(), rs::Serdes::String());
  auto out = (*driver)->createOutputTopic("long-words", rs::Serdes::String(), rs::Serdes::String());
  in.pipeInput("a", "kafka", 1);
  in.pipeInput("b", "c++", 2);
  in.pipeInput("c", "streams", 3);

  std::vector<rs::TestRecord<std::string, std::string>> expected{{"a", "<kafka>", 1, {}},
                                                                 {"c", "<streams>", 3, {}}};
  auto records = out.readRecordsToList();
  for (const auto& r : records) std::cout << r.key << " -> " << r.value << " @" << r.timestamp << "\n";
  if (records != expected) {
    std::cerr << "unexpected output: " << records.size() << " records, expected " << expected.size() << "\n";
    return 1;
  }
  std::cout << "package consumer OK\n";
  return EXIT_SUCCESS;
}
