// A StreamTask fed directly, as a stream thread feeds it from its consumer: the test
// driver processes each record as it is piped, so only here do several partitions of one
// task hold records at once.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "client/memory_producer.h"
#include "streams/internal/record_collector.h"
#include "streams/internal/stream_task.h"
#include "streams/processor.h"
#include "streams/serdes.h"
#include "streams/topology.h"

namespace runnel::streams {
namespace {

using std::string;

// Notes "<topic>:<timestamp>" of each record, in the order it gets them.
class OrderRecorder : public Processor<string, string> {
 public:
  explicit OrderRecorder(std::vector<string>* seen) : seen_(seen) {}
  void init(ProcessorContext<Void, Void>& context) override { context_ = &context; }
  void process(const Record<string, string>& record) override {
    seen_->push_back(context_->recordMetadata()->topic + ":" + std::to_string(record.timestamp()));
  }

 private:
  std::vector<string>* seen_;
  ProcessorContext<Void, Void>* context_ = nullptr;
};

class StreamTaskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(topology_.addSource("Left", {"left"}, Serdes::String(), Serdes::String()).isOk());
    ASSERT_TRUE(topology_.addSource("Right", {"right"}, Serdes::String(), Serdes::String()).isOk());
    ASSERT_TRUE(topology_
                    .addProcessor("Record", [this] { return std::make_unique<OrderRecorder>(&seen_); },
                                  {"Left", "Right"})
                    .isOk());
    auto built = topology_.buildFor("order-app");
    ASSERT_TRUE(built.isOk()) << built.status().toString();
    built_ = std::move(built).value();
    ASSERT_EQ(built_.sub_topologies.size(), 1u);
    auto config = StreamsConfig::create({{"application.id", "order-app"}, {"state.dir", state_dir_.string()}});
    ASSERT_TRUE(config.isOk()) << config.status().toString();
    config_ = std::make_unique<StreamsConfig>(std::move(config).value());
    collector_ = std::make_unique<internal::RecordCollector>(&producer_, config_->productionHandling());
    internal::TaskServices services;
    services.config = config_.get();
    services.collector = collector_.get();
    services.clock = [] { return int64_t{0}; };
    services.state_dir = state_dir_ / "order-app";
    task_ = std::make_unique<internal::StreamTask>(internal::TaskId{0, 0}, built_, built_.sub_topologies[0],
                                                   services);
    ASSERT_TRUE(task_->initialize().isOk());
  }

  void TearDown() override {
    task_.reset();
    std::filesystem::remove_all(state_dir_);
  }

  void add(const string& topic, int64_t offset, int64_t timestamp) {
    client::MessageView message;
    message.topic = topic;
    message.offset = offset;
    message.timestamp = timestamp;
    message.timestamp_type = client::TimestampType::kCreateTime;
    message.key = "k";
    message.value = "v";
    task_->addRecord(message);
  }

  void processAll() {
    while (task_->process()) {
    }
  }

  std::filesystem::path state_dir_ =
      std::filesystem::temp_directory_path() / ("runnel-stream-task-test-" + std::to_string(::getpid()));
  Topology topology_;
  internal::BuiltTopology built_;
  std::vector<string> seen_;
  std::unique_ptr<StreamsConfig> config_;
  client::MemoryProducer producer_{[] { return int64_t{0}; }};
  std::unique_ptr<internal::RecordCollector> collector_;
  std::unique_ptr<internal::StreamTask> task_;
};

TEST_F(StreamTaskTest, PicksThePartitionWithTheLowestHeadTimestamp) {
  for (int64_t offset = 0; int64_t timestamp : {1, 4, 5, 9}) add("left", offset++, timestamp);
  for (int64_t offset = 0; int64_t timestamp : {2, 3, 6, 7, 8}) add("right", offset++, timestamp);
  EXPECT_EQ(task_->buffered(), 9u);
  processAll();
  EXPECT_EQ(seen_, (std::vector<string>{"left:1", "right:2", "right:3", "left:4", "left:5", "right:6", "right:7",
                                        "right:8", "left:9"}));
  EXPECT_EQ(task_->streamTime(), 9);
  EXPECT_EQ(task_->buffered(), 0u);
}

TEST_F(StreamTaskTest, ComparesHeadsOnlySoAPartitionKeepsItsOwnOrder) {
  // An out-of-order record is not moved ahead within its partition: it waits for the
  // records before it, as in Kafka Streams.
  for (int64_t offset = 0; int64_t timestamp : {1, 5, 3}) add("left", offset++, timestamp);
  for (int64_t offset = 0; int64_t timestamp : {2, 4}) add("right", offset++, timestamp);
  processAll();
  EXPECT_EQ(seen_, (std::vector<string>{"left:1", "right:2", "right:4", "left:5", "left:3"}));
  EXPECT_EQ(task_->streamTime(), 5);
  // The next offset to consume, per partition.
  auto offsets = task_->committableOffsets();
  ASSERT_EQ(offsets.size(), 2u);
  for (const auto& o : offsets) EXPECT_EQ(o.offset, o.topic == "left" ? 3 : 2) << o.topic;
}

}  // namespace
}  // namespace runnel::streams
