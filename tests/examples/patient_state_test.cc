// Chapter 6: the book's patient events, tombstones from the reducer, the three kinds of store.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "book_data.h"
#include "patient_state_topology.h"
#include "restore_printer.h"
#include "streams/serdes.h"
#include "streams/topology_test_driver.h"

namespace runnel::examples::patient {
namespace {

using streams::KeyValue;
using streams::Serdes;
using streams::TopologyTestDriver;
using OptString = std::optional<std::string>;
using PatientStore = streams::KeyValueStore<std::string, std::string>;

class PatientStateTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    auto topology = patientStateTopology(GetParam());
    ASSERT_TRUE(topology.isOk()) << topology.status().message();
    auto driver = TopologyTestDriver::create(*topology);
    ASSERT_TRUE(driver.isOk()) << driver.status().message();
    driver_ = std::move(*driver);
  }

  void pipe(const std::string& key, const std::string& event) {
    driver_->createInputTopic<std::string, std::string>(kPatientEventsTopic, Serdes::String(), Serdes::String())
        .pipeInput(key, event);
  }
  std::vector<KeyValue<std::string, OptString>> changes() {
    return driver_
        ->createOutputTopic<std::string, OptString>(kPatientStateChangesTopic, Serdes::String(),
                                                    Serdes::Optional(Serdes::String()))
        .readKeyValuesToList();
  }
  PatientStore& store() { return *driver_->getStore<PatientStore>(kPatientStateStore); }

  std::unique_ptr<TopologyTestDriver> driver_;
};

TEST_P(PatientStateTest, BookEventsCheckThePatientInThenDeleteIt) {
  BOOK_DATA_OR_SKIP(book);
  auto lines = book_data::readLines(book, "chapter-06/data/patient-events.json");
  ASSERT_EQ(lines.size(), 2u);
  for (const std::string& line : lines) {
    size_t bar = line.find('|');
    ASSERT_NE(bar, std::string::npos) << line;
    pipe(line.substr(0, bar), line.substr(bar + 1));
  }
  // The check-out is a tombstone in the output, and the key is gone from the store.
  EXPECT_EQ(changes(), (std::vector<KeyValue<std::string, OptString>>{{"1", "check-in"}, {"1", std::nullopt}}));
  EXPECT_EQ(store().get("1").value(), std::nullopt);
  EXPECT_EQ(store().approximateNumEntries().value(), 0u);
}

TEST_P(PatientStateTest, ACheckedOutPatientCanComeBack) {
  pipe("1", "check-in");
  pipe("2", "check-in");
  pipe("1", "check-out");
  pipe("2", "vitals");
  pipe("1", "check-in");
  EXPECT_EQ(changes(), (std::vector<KeyValue<std::string, OptString>>{
                           {"1", "check-in"}, {"2", "check-in"}, {"1", std::nullopt}, {"2", "vitals"}, {"1", "check-in"}}));
  EXPECT_EQ(store().get("1").value(), OptString("check-in"));
  EXPECT_EQ(store().get("2").value(), OptString("vitals"));
}

std::string storeKindName(const ::testing::TestParamInfo<StoreKind>& info) {
  switch (info.param) {
    case StoreKind::kPersistent:
      return "Persistent";
    case StoreKind::kInMemory:
      return "InMemory";
    case StoreKind::kLru:
      return "Lru";
  }
  return "Unknown";
}

INSTANTIATE_TEST_SUITE_P(Stores, PatientStateTest,
                         ::testing::Values(StoreKind::kPersistent, StoreKind::kInMemory, StoreKind::kLru),
                         storeKindName);

TEST(PatientStateLruTest, KeepsTheTenMostRecentPatients) {
  auto topology = patientStateTopology(StoreKind::kLru);
  ASSERT_TRUE(topology.isOk()) << topology.status().message();
  // Without the record cache, whose clean entries would still answer for evicted keys.
  auto driver = TopologyTestDriver::create(*topology, {{"statestore.cache.max.bytes", "0"}});
  ASSERT_TRUE(driver.isOk()) << driver.status().message();
  auto input = (*driver)->createInputTopic<std::string, std::string>(kPatientEventsTopic, Serdes::String(),
                                                                       Serdes::String());
  for (int i = 0; i <= static_cast<int>(kLruMaxEntries); ++i) input.pipeInput(std::to_string(i), "check-in");
  auto* store = (*driver)->getStore<PatientStore>(kPatientStateStore);
  EXPECT_EQ(store->approximateNumEntries().value(), kLruMaxEntries);
  EXPECT_EQ(store->get("0").value(), std::nullopt);  // the least recently used
  EXPECT_EQ(store->get(std::to_string(kLruMaxEntries)).value(), OptString("check-in"));
}

TEST(PatientStateTopologyTest, StoreKindsByName) {
  EXPECT_EQ(parseStoreKind("persistent"), StoreKind::kPersistent);
  EXPECT_EQ(parseStoreKind("in-memory"), StoreKind::kInMemory);
  EXPECT_EQ(parseStoreKind("lru"), StoreKind::kLru);
  EXPECT_EQ(parseStoreKind("rocksdb"), std::nullopt);
}

TEST(PatientStateTopologyTest, TheBookTopology) {
  auto topology = patientStateTopology(StoreKind::kPersistent);
  ASSERT_TRUE(topology.isOk()) << topology.status().message();
  std::string described = topology->describe();
  EXPECT_NE(described.find("Source: KSTREAM-SOURCE-0000000000 (topics: [patient-events])"), std::string::npos)
      << described;
  EXPECT_NE(described.find("Processor: KSTREAM-REDUCE-0000000001 (stores: [patient-state])"), std::string::npos)
      << described;
  EXPECT_NE(described.find("Sink: KSTREAM-SINK-0000000003 (topic: patient-state-changes)"), std::string::npos)
      << described;
}

TEST(RestorePrinterTest, OneLinePerEvent) {
  std::vector<std::string> lines;
  RestorePrinter printer([&](const std::string& line) { lines.push_back(line); });
  client::TopicPartition changelog{"app-patient-state-changelog", 1};
  printer.onRestoreStart(changelog, "patient-state", 0, 12);
  printer.onBatchRestored(changelog, "patient-state", 12, 12);
  printer.onRestoreEnd(changelog, "patient-state", 12);
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "Restore started: patient-state from app-patient-state-changelog-1, offsets 0 to 12",
                       "Restore batch: patient-state from app-patient-state-changelog-1, 12 records, up to offset 12",
                       "Restore complete: patient-state from app-patient-state-changelog-1, 12 records"}));
}

}  // namespace
}  // namespace runnel::examples::patient
