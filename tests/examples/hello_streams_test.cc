// Chapter 2: both variants greet every user, in order.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hello_topology.h"
#include "streams/serdes.h"
#include "streams/topology_test_driver.h"

namespace runnel::examples::hello {
namespace {

using streams::Serdes;
using streams::TopologyTestDriver;
using streams::Void;

const std::vector<std::string> kUsers = {"angie", "mitch"};

void pipeUsers(const Result<streams::Topology>& topology) {
  ASSERT_TRUE(topology.isOk()) << topology.status().message();
  auto driver = TopologyTestDriver::create(*topology);
  ASSERT_TRUE(driver.isOk()) << driver.status().message();
  auto input = (*driver)->createInputTopic<Void, std::string>(kUsersTopic, Serdes::Void(), Serdes::String());
  input.pipeValueList(kUsers);
}

TEST(HelloStreamsTest, DslGreetsEveryUser) {
  std::vector<std::string> lines;
  pipeUsers(dslTopology([&](const std::string& line) { lines.push_back(line); }));
  EXPECT_EQ(lines, (std::vector<std::string>{"(DSL) Hello, angie", "(DSL) Hello, mitch"}));
}

TEST(HelloStreamsTest, ProcessorApiGreetsEveryUser) {
  std::vector<std::string> lines;
  pipeUsers(processorTopology([&](const std::string& line) { lines.push_back(line); }));
  EXPECT_EQ(lines, (std::vector<std::string>{"(Processor API) Hello, angie", "(Processor API) Hello, mitch"}));
}

TEST(HelloStreamsTest, ProcessorApiTopologyHasTheBooksNodes) {
  auto topology = processorTopology([](const std::string&) {});
  ASSERT_TRUE(topology.isOk());
  std::string description = topology->describe();
  EXPECT_NE(description.find("Source: UserSource (topics: [users])"), std::string::npos) << description;
  EXPECT_NE(description.find("Processor: SayHello"), std::string::npos) << description;
}

}  // namespace
}  // namespace runnel::examples::hello
