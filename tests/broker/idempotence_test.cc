// Idempotent producers over the wire: InitProducerId, and Produce requests carrying
// producer ids, epochs and sequences against a real broker (raw protocol frames).

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "protocol/error_code.h"
#include "protocol/messages.h"
#include "protocol/record_batch.h"
#include "raw_client.h"
#include "test_broker.h"

namespace runnel {
namespace {

using namespace protocol;
using testing::RawClient;
using testing::TestBroker;

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Bytes idempotentBatch(int64_t producer_id, int16_t epoch, int32_t sequence, int count) {
  RecordBatchBuilder builder;
  builder.setProducerId(producer_id);
  builder.setProducerEpoch(epoch);
  builder.setBaseSequence(sequence);
  for (int i = 0; i < count; ++i) {
    std::string value = "seq-" + std::to_string(sequence + i);
    builder.add(nowMs(), std::nullopt, asBytes(value));
  }
  return builder.build();
}

std::optional<InitProducerIdResponse> initProducerId(RawClient& client, int16_t version,
                                                     std::optional<std::string> transactional_id = std::nullopt,
                                                     int64_t producer_id = -1, int16_t epoch = -1) {
  InitProducerIdRequest request;
  request.transactional_id = std::move(transactional_id);
  request.transaction_timeout_ms = 60000;
  request.producer_id = producer_id;
  request.producer_epoch = epoch;
  return client.call<InitProducerIdResponse>(request, version);
}

void createTopic(RawClient& client, const std::string& name) {
  CreateTopicsRequest request;
  CreateTopicsRequest::CreatableTopic topic;
  topic.name = name;
  topic.num_partitions = 1;
  topic.replication_factor = 1;
  request.topics.push_back(topic);
  auto response = client.call<CreateTopicsResponse>(request, 4);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->topics.at(0).error_code, 0);
}

// Produces one batch to partition 0 of `topic` (acks=all) and returns its partition answer.
ProduceResponse::PartitionProduceResponse produce(RawClient& client, const std::string& topic, const Bytes& batch) {
  ProduceRequest request;
  request.acks = -1;
  request.timeout_ms = 5000;
  ProduceRequest::TopicProduceData data;
  data.name = topic;
  ProduceRequest::PartitionProduceData pd;
  pd.index = 0;
  pd.records = ByteSpan(batch);
  data.partition_data.push_back(pd);
  request.topic_data.push_back(data);
  auto response = client.call<ProduceResponse>(request, 7);
  EXPECT_TRUE(response);
  return response ? response->responses.at(0).partition_responses.at(0) : ProduceResponse::PartitionProduceResponse{};
}

// The partition's high watermark and the values of all its records, from one Fetch.
std::pair<int64_t, std::vector<std::string>> readAll(RawClient& client, const std::string& topic) {
  FetchRequest request;
  request.max_bytes = 1 << 20;
  request.isolation_level = 1;
  FetchRequest::FetchTopic t;
  t.topic = topic;
  FetchRequest::FetchPartition p;
  p.partition = 0;
  p.fetch_offset = 0;
  p.partition_max_bytes = 1 << 20;
  t.partitions.push_back(p);
  request.topics.push_back(t);
  auto response = client.call<FetchResponse>(request, 11);
  EXPECT_TRUE(response);
  if (!response) return {};
  const auto& partition = response->responses.at(0).partitions.at(0);
  std::vector<std::string> values;
  if (partition.records) {
    Status s = forEachRecord(*partition.records, [&](const storage::BatchHeader&, const RecordView& r) {
      values.emplace_back(asStringView(*r.value));
      return Status::ok();
    });
    EXPECT_TRUE(s.isOk()) << s.toString();
  }
  return {partition.high_watermark, values};
}

TEST(IdempotenceTest, InitProducerIdHandsOutFreshIdsAtEpochZero) {
  TestBroker broker;
  RawClient client(broker.port());
  std::set<int64_t> ids;
  for (int16_t version = 0; version <= 4; ++version) {
    auto response = initProducerId(client, version);
    ASSERT_TRUE(response) << "version " << version;
    EXPECT_EQ(response->error_code, 0);
    EXPECT_EQ(response->producer_epoch, 0);
    EXPECT_GE(response->producer_id, 0);
    ids.insert(response->producer_id);
  }
  EXPECT_EQ(ids.size(), 5u);
  // Naming the current id and epoch (v3+) still gets a new id without a transactional id,
  // as in Kafka.
  auto again = initProducerId(client, 4, std::nullopt, *ids.begin(), 0);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->error_code, 0);
  EXPECT_EQ(ids.count(again->producer_id), 0u);
  EXPECT_EQ(again->producer_epoch, 0);
}

TEST(IdempotenceTest, TransactionalIdsAreNotServed) {
  TestBroker broker;
  RawClient client(broker.port());
  auto transactional = initProducerId(client, 4, "my-transactions");
  ASSERT_TRUE(transactional);
  EXPECT_EQ(transactional->error_code, wire(ErrorCode::kCoordinatorNotAvailable));
  EXPECT_EQ(transactional->producer_id, -1);
  auto empty = initProducerId(client, 1, "");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->error_code, wire(ErrorCode::kInvalidRequest));
}

TEST(IdempotenceTest, ProducerIdsAreNeverReusedAfterARestart) {
  TestBroker broker;
  int64_t highest = -1;
  for (int run = 0; run < 3; ++run) {
    RawClient client(broker.port());
    for (int i = 0; i < 3; ++i) {
      auto response = initProducerId(client, 2);
      ASSERT_TRUE(response);
      EXPECT_GT(response->producer_id, highest);
      highest = response->producer_id;
    }
    broker.restart();
  }
}

TEST(IdempotenceTest, DuplicateBatchIsAnsweredWithItsOriginalOffsetAndNotWrittenTwice) {
  TestBroker broker;
  RawClient client(broker.port());
  createTopic(client, "idem");
  auto init = initProducerId(client, 4);
  ASSERT_TRUE(init);
  int64_t pid = init->producer_id;
  EXPECT_EQ(produce(client, "idem", idempotentBatch(pid, 0, 0, 3)).base_offset, 0);
  EXPECT_EQ(produce(client, "idem", idempotentBatch(pid, 0, 3, 2)).base_offset, 3);
  auto retried = produce(client, "idem", idempotentBatch(pid, 0, 0, 3));
  EXPECT_EQ(retried.error_code, 0);
  EXPECT_EQ(retried.base_offset, 0);
  auto [high_watermark, values] = readAll(client, "idem");
  EXPECT_EQ(high_watermark, 5);
  EXPECT_EQ(values, (std::vector<std::string>{"seq-0", "seq-1", "seq-2", "seq-3", "seq-4"}));
}

TEST(IdempotenceTest, GapsAndOldEpochsAreRefused) {
  TestBroker broker;
  RawClient client(broker.port());
  createTopic(client, "strict");
  int64_t pid = initProducerId(client, 4)->producer_id;
  EXPECT_EQ(produce(client, "strict", idempotentBatch(pid, 1, 0, 2)).error_code, 0);
  auto gap = produce(client, "strict", idempotentBatch(pid, 1, 5, 1));
  EXPECT_EQ(gap.error_code, wire(ErrorCode::kOutOfOrderSequenceNumber));
  EXPECT_EQ(gap.base_offset, -1);
  EXPECT_EQ(produce(client, "strict", idempotentBatch(pid, 0, 2, 1)).error_code,
            wire(ErrorCode::kInvalidProducerEpoch));
  EXPECT_EQ(produce(client, "strict", idempotentBatch(pid, 2, 3, 1)).error_code,
            wire(ErrorCode::kOutOfOrderSequenceNumber));  // a new epoch starts at 0
  EXPECT_EQ(produce(client, "strict", idempotentBatch(pid, 2, 0, 1)).base_offset, 2);
  EXPECT_EQ(readAll(client, "strict").first, 3);
}

TEST(IdempotenceTest, ProducerStateSurvivesARestart) {
  TestBroker broker;
  int64_t pid;
  {
    RawClient client(broker.port());
    createTopic(client, "durable");
    pid = initProducerId(client, 4)->producer_id;
    for (int i = 0; i < 4; ++i) produce(client, "durable", idempotentBatch(pid, 0, 2 * i, 2));
  }
  broker.restart();
  RawClient client(broker.port());
  auto retried = produce(client, "durable", idempotentBatch(pid, 0, 4, 2));
  EXPECT_EQ(retried.error_code, 0);
  EXPECT_EQ(retried.base_offset, 4);
  EXPECT_EQ(produce(client, "durable", idempotentBatch(pid, 0, 9, 1)).error_code,
            wire(ErrorCode::kOutOfOrderSequenceNumber));
  EXPECT_EQ(produce(client, "durable", idempotentBatch(pid, 0, 8, 1)).base_offset, 8);
  EXPECT_EQ(readAll(client, "durable").first, 9);
}

}  // namespace
}  // namespace runnel
