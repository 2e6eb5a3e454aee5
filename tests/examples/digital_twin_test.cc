// Chapter 7: the book's turbine events, the high-winds rule and the 7-day expiry.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "book_data.h"
#include "digital_twin_processors.h"
#include "digital_twin_topology.h"
#include "streams/json_serde.h"
#include "streams/serdes.h"
#include "streams/topology_test_driver.h"

namespace runnel::examples::twin {
namespace {

using namespace std::chrono_literals;
using streams::Serdes;
using streams::TopologyTestDriver;
using TwinStore = streams::KeyValueStore<std::string, DigitalTwin>;

constexpr int64_t kNov23At10 = 1606125600000;  // 2020-11-23T10:00:00Z

class DigitalTwinTest : public ::testing::Test {
 protected:
  void start(int64_t wall_clock_ms = 0) {
    auto topology = digitalTwinTopology();
    ASSERT_TRUE(topology.isOk()) << topology.status().message();
    auto driver = TopologyTestDriver::create(*topology, {}, wall_clock_ms);
    ASSERT_TRUE(driver.isOk()) << driver.status().message();
    driver_ = std::move(*driver);
  }

  // The lines of a book data file, "key|json", each with the event's own time.
  void pipeBookFile(const std::filesystem::path& book, const std::string& topic) {
    auto input = driver_->createInputTopic<std::string, std::string>(topic, Serdes::String(), Serdes::String());
    for (const std::string& line : book_data::readLines(book, "chapter-07/data/" + topic + ".json")) {
      size_t bar = line.find('|');
      ASSERT_NE(bar, std::string::npos) << line;
      TurbineState state;
      ASSERT_TRUE(json::fromJson(line.substr(bar + 1), state).isOk()) << line;
      auto timestamp = parseInstantMs(state.timestamp);
      ASSERT_TRUE(timestamp) << state.timestamp;
      input.pipeInput(line.substr(0, bar), line.substr(bar + 1), *timestamp);
    }
  }
  void pipeReported(const std::string& key, double wind_mph, Power power) {
    auto input = driver_->createInputTopic<std::string, TurbineState>(kReportedStateTopic, Serdes::String(),
                                                                      streams::jsonSerde<TurbineState>());
    input.pipeInput(key, TurbineState{"2020-11-23T09:02:00.000Z", wind_mph, power, StateType::kReported});
  }
  std::vector<streams::KeyValue<std::string, DigitalTwin>> twins() {
    return driver_
        ->createOutputTopic<std::string, DigitalTwin>(kDigitalTwinsTopic, Serdes::String(),
                                                      streams::jsonSerde<DigitalTwin>())
        .readKeyValuesToList();
  }
  TwinStore& store() {
    TwinStore* store = driver_->getStore<TwinStore>(kDigitalTwinStore);
    EXPECT_NE(store, nullptr);
    return *store;
  }
  uint64_t storedTwins() {
    uint64_t n = 0;
    for (auto it = store().all(); it.valid(); it.next()) ++n;
    return n;
  }

  std::unique_ptr<TopologyTestDriver> driver_;
};

TEST_F(DigitalTwinTest, BookScenarioHighWindsThenDesiredStateReplacesIt) {
  BOOK_DATA_OR_SKIP(book);
  start();
  pipeBookFile(book, kReportedStateTopic);
  auto after_reported = twins();
  // Four reported states, and the shutdown that the 68 mph one triggered.
  ASSERT_EQ(after_reported.size(), 5u);
  const DigitalTwin& shut_down = after_reported.back().value;
  EXPECT_EQ(after_reported.back().key, "1");
  ASSERT_TRUE(shut_down.reported && shut_down.desired);
  EXPECT_EQ(shut_down.reported->wind_speed_mph, 68);
  EXPECT_EQ(shut_down.reported->power, Power::kOn);
  EXPECT_EQ(shut_down.desired->power, Power::kOff);
  EXPECT_EQ(shut_down.desired->type, StateType::kDesired);

  pipeBookFile(book, kDesiredStateTopic);
  auto after_desired = twins();
  ASSERT_EQ(after_desired.size(), 1u);
  const DigitalTwin& twin = after_desired[0].value;
  ASSERT_TRUE(twin.desired && twin.reported);
  EXPECT_EQ(twin.desired->power, Power::kOn);
  EXPECT_EQ(twin.desired->timestamp, "2020-11-23T09:12:00.000Z");
  EXPECT_EQ(twin.reported->wind_speed_mph, 68);
  auto stored = store().get("1");
  ASSERT_TRUE(stored.isOk());
  EXPECT_EQ(*stored, std::optional<DigitalTwin>(twin));
}

TEST_F(DigitalTwinTest, HighWindsShutDownOnlyRunningTurbinesAboveTheLimit) {
  start();
  pipeReported("at-limit", kMaxSafeWindMph, Power::kOn);
  pipeReported("already-off", 80, Power::kOff);
  pipeReported("too-fast", 65.5, Power::kOn);
  auto out = twins();
  ASSERT_EQ(out.size(), 4u);
  for (size_t i = 0; i < 3; ++i) EXPECT_FALSE(out[i].value.desired) << out[i].key;
  EXPECT_EQ(out[3].key, "too-fast");
  ASSERT_TRUE(out[3].value.desired);
  EXPECT_EQ(out[3].value.desired->power, Power::kOff);
}

TEST_F(DigitalTwinTest, BookTwinsExpireSevenDaysAfterTheirLastReport) {
  BOOK_DATA_OR_SKIP(book);
  start(kNov23At10);
  pipeBookFile(book, kReportedStateTopic);
  pipeBookFile(book, kDesiredStateTopic);
  ASSERT_EQ(storedTwins(), 1u);
  driver_->advanceWallClockTime(24h * 6);
  EXPECT_EQ(storedTwins(), 1u);
  driver_->advanceWallClockTime(24h * 2);
  EXPECT_EQ(storedTwins(), 0u);
}

TEST(DigitalTwinExpiryTest, AgeIsThatOfTheLastReportOrElseOfTheDesiredState) {
  const int64_t reported_ms = *parseInstantMs("2020-11-23T09:02:00.000Z");
  const int64_t ttl_ms = std::chrono::milliseconds(kTwinTimeToLive).count();
  TurbineState reported{"2020-11-23T09:02:00.000Z", 40, Power::kOn, StateType::kReported};
  TurbineState desired{"2020-11-30T09:02:00.000Z", std::nullopt, Power::kOff, StateType::kDesired};
  EXPECT_FALSE(isExpired(DigitalTwin{std::nullopt, reported}, reported_ms + ttl_ms));
  EXPECT_TRUE(isExpired(DigitalTwin{std::nullopt, reported}, reported_ms + ttl_ms + 1));
  // A newer desired state does not keep a silent turbine alive.
  EXPECT_TRUE(isExpired(DigitalTwin{desired, reported}, reported_ms + ttl_ms + 1));
  EXPECT_FALSE(isExpired(DigitalTwin{desired, std::nullopt}, reported_ms + ttl_ms + 1));
  EXPECT_TRUE(isExpired(DigitalTwin{desired, std::nullopt}, reported_ms + 2 * ttl_ms + 1));
  EXPECT_FALSE(isExpired(DigitalTwin{}, reported_ms + 2 * ttl_ms));
  reported.timestamp = "yesterday";
  EXPECT_FALSE(isExpired(DigitalTwin{std::nullopt, reported}, reported_ms + 2 * ttl_ms));
}

TEST(TurbineStateTest, InstantsParseAsJavaInstantDoes) {
  EXPECT_EQ(parseInstantMs("2020-11-23T09:02:00.500Z"), 1606122120500);
  EXPECT_EQ(parseInstantMs("2020-11-23T10:00:00Z"), kNov23At10);
  EXPECT_EQ(parseInstantMs("2020-11-23T10:00:00.123456789Z"), kNov23At10 + 123);
  EXPECT_EQ(parseInstantMs("1970-01-01T00:00:00Z"), 0);
  for (const char* bad : {"", "2020-11-23", "2020-11-23 10:00:00Z", "2020-11-23T10:00:00", "2020-13-01T00:00:00Z",
                          "2020-02-30T00:00:00Z", "2020-11-23T24:00:00Z", "2020-11-23T10:00:00.Z",
                          "2020-11-23T10:00:00+01:00", "2020-11-23T-1:00:00Z", "2020-11-23T10:00:00Zjunk"}) {
    EXPECT_EQ(parseInstantMs(bad), std::nullopt) << bad;
  }
}

TEST(TurbineStateTest, JsonAsTheBooksData) {
  TurbineState state;
  ASSERT_TRUE(json::fromJson(R"({"timestamp": "2020-11-23T09:12:00.000Z", "power": "ON", "type": "DESIRED"})", state)
                  .isOk());
  EXPECT_EQ(state, (TurbineState{"2020-11-23T09:12:00.000Z", std::nullopt, Power::kOn, StateType::kDesired}));

  DigitalTwin twin{state, TurbineState{"2020-11-23T09:02:01.000Z", 68, Power::kOn, StateType::kReported}};
  std::string written;
  json::appendJson(twin, written);
  EXPECT_EQ(written,
            R"({"desired":{"timestamp":"2020-11-23T09:12:00.000Z","wind_speed_mph":null,"power":"ON","type":"DESIRED"},)"
            R"("reported":{"timestamp":"2020-11-23T09:02:01.000Z","wind_speed_mph":68.0,"power":"ON",)"
            R"("type":"REPORTED"}})");
  DigitalTwin again;
  ASSERT_TRUE(json::fromJson(written, again).isOk());
  EXPECT_EQ(again, twin);
}

TEST(TurbineStateTest, UnknownEnumValuesAreErrorsNamingTheField) {
  TurbineState state;
  Status status = json::fromJson(R"({"power": "MAYBE"})", state);
  ASSERT_FALSE(status.isOk());
  EXPECT_NE(status.message().find("field 'power'"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("MAYBE"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace runnel::examples::twin
