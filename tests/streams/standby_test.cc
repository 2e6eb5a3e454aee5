// Standby replicas (num.standby.replicas): each instance keeps the other's persistent
// stores warm from the changelog, so that a task that moves restores only what its
// standby had not applied yet.

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "client/kafka_client.h"
#include "counting_topology.h"
#include "streams/internal/checkpoint.h"
#include "streams/kafka_streams.h"
#include "streams_broker_fixture.h"

namespace runnel::streams {
namespace {

using std::string;

// Records restored per changelog partition.
class RestoredPerPartition : public StateRestoreListener {
 public:
  void onRestoreStart(const client::TopicPartition&, const string&, int64_t, int64_t) override {}
  void onBatchRestored(const client::TopicPartition&, const string&, int64_t, int64_t) override {}
  void onRestoreEnd(const client::TopicPartition& partition, const string&, int64_t total) override {
    std::lock_guard lock(mutex_);
    restored_[partition.partition] += total;
  }
  int64_t restored(int32_t partition) {
    std::lock_guard lock(mutex_);
    return restored_[partition];
  }

 private:
  std::mutex mutex_;
  std::map<int32_t, int64_t> restored_;
};

class StandbyTest : public StreamsBrokerTest {
 protected:
  std::unique_ptr<KafkaStreams> startInstance(const string& name, int standbys, StateRestoreListener* listener) {
    auto config = appConfig("standby-app");
    config["num.standby.replicas"] = std::to_string(standbys);
    config["state.dir"] = state_dir_ + "/" + name;
    auto streams = KafkaStreams::create(countingTopology(true, true), config);
    EXPECT_TRUE(streams.isOk()) << streams.status().toString();
    (*streams)->setGlobalStateRestoreListener(listener);
    EXPECT_TRUE((*streams)->start().isOk());
    return std::move(streams).value();
  }

  int64_t changelogEnd(int32_t partition) {
    auto admin = client::makeKafkaAdmin({{"bootstrap.servers", bootstrap()}});
    auto ends = (*admin)->listOffsets({{"standby-app-counts-changelog", partition}}, client::OffsetSpec::latest());
    return ends.isOk() && !ends->empty() ? (*ends)[0].offset : -1;
  }

  int64_t checkpointed(const string& instance, const string& task) {
    auto offsets = internal::readCheckpointFile(std::filesystem::path(state_dir_) / instance / "standby-app" / task /
                                                ".checkpoint");
    int32_t partition = task.back() - '0';
    auto it = offsets.find({"standby-app-counts-changelog", partition});
    return it == offsets.end() ? -1 : it->second;
  }
};

TEST_F(StandbyTest, AMovedTaskRestoresOnlyWhatItsStandbyMissed) {
  createTopic("numbers", 2);
  createTopic("counts-out", 1);
  RestoredPerPartition a_restored;
  RestoredPerPartition b_restored;
  auto a = startInstance("a", 1, &a_restored);
  auto b = startInstance("b", 1, &b_restored);
  ASSERT_TRUE(waitUntil([&] { return a->activeTaskIds().size() == 1 && b->activeTaskIds().size() == 1; }, 30s));
  // Each instance stands by for the other's task.
  ASSERT_TRUE(waitUntil([&] { return a->standbyTaskIds() == b->activeTaskIds() &&
                                     b->standbyTaskIds() == a->activeTaskIds(); }, 30s))
      << "a standby " << a->standbyTaskIds().size() << ", b standby " << b->standbyTaskIds().size();

  produce("numbers", 0, 2000);
  ASSERT_EQ(consumeValues("counts-out", 2000).size(), 2000u);
  string moved = a->activeTaskIds().at(0);
  int32_t partition = moved.back() - '0';
  int64_t end = changelogEnd(partition);
  ASSERT_GT(end, 500);
  // b's standby has applied (and checkpointed) a's whole changelog partition.
  ASSERT_TRUE(waitUntil([&] { return checkpointed("b", moved) == end; }, 30s))
      << "checkpointed " << checkpointed("b", moved) << " of " << end;

  EXPECT_TRUE(a->close(30s));
  ASSERT_TRUE(waitUntil([&] { return b->activeTaskIds().size() == 2; }, 30s));
  EXPECT_EQ(b_restored.restored(partition), 0) << "the standby was warm: nothing to restore";
  EXPECT_TRUE(b->standbyTaskIds().empty());  // no other instance left to stand by for

  // The promoted store holds the counts: they go on from there.
  produce("numbers", 2000, 97);
  auto values = consumeValues("counts-out", 2097);
  ASSERT_EQ(values.size(), 2097u);
  // 2000 records over 97 keys counted 20 or 21 each; one more each makes 21 or 22.
  for (size_t i = 2000; i < values.size(); ++i) {
    int64_t count = 0;
    for (char c : values[i]) count = (count << 8) | static_cast<unsigned char>(c);
    EXPECT_GE(count, 21) << "a count started over: the promoted store lost its state";
  }
  EXPECT_TRUE(b->close(30s));
}

}  // namespace
}  // namespace runnel::streams
