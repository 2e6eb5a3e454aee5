#include <gtest/gtest.h>

#include <chrono>
#include <thread>

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

Bytes makeBatch(int count, const std::string& prefix, int64_t timestamp = 1000) {
  RecordBatchBuilder builder;
  for (int i = 0; i < count; ++i) {
    std::string key = "k" + std::to_string(i);
    std::string value = prefix + std::to_string(i);
    builder.add(timestamp + i, asBytes(key), asBytes(value));
  }
  return builder.build();
}

void createTopic(RawClient& client, const std::string& name, int32_t partitions) {
  CreateTopicsRequest request;
  CreateTopicsRequest::CreatableTopic topic;
  topic.name = name;
  topic.num_partitions = partitions;
  topic.replication_factor = 1;
  request.topics.push_back(topic);
  auto response = client.call<CreateTopicsResponse>(request, 4);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->topics.at(0).error_code, 0);
}

std::optional<ProduceResponse> produce(RawClient& client, const std::string& topic, int32_t partition,
                                       const Bytes& batch, int16_t acks = -1) {
  ProduceRequest request;
  request.acks = acks;
  request.timeout_ms = 5000;
  ProduceRequest::TopicProduceData data;
  data.name = topic;
  ProduceRequest::PartitionProduceData pd;
  pd.index = partition;
  pd.records = ByteSpan(batch);
  data.partition_data.push_back(pd);
  request.topic_data.push_back(data);
  return client.call<ProduceResponse>(request, 7);
}

FetchRequest fetchRequest(const std::string& topic, int32_t partition, int64_t offset, int32_t max_wait_ms,
                          int32_t min_bytes) {
  FetchRequest request;
  request.max_wait_ms = max_wait_ms;
  request.min_bytes = min_bytes;
  request.max_bytes = 1 << 20;
  request.isolation_level = 1;
  FetchRequest::FetchTopic t;
  t.topic = topic;
  FetchRequest::FetchPartition p;
  p.partition = partition;
  p.fetch_offset = offset;
  p.partition_max_bytes = 1 << 20;
  t.partitions.push_back(p);
  request.topics.push_back(t);
  return request;
}

int countRecords(ByteSpan records) {
  int n = 0;
  Status s = forEachRecord(records, [&](const storage::BatchHeader&, const RecordView&) {
    ++n;
    return Status::ok();
  });
  EXPECT_TRUE(s.isOk()) << s.toString();
  return n;
}

TEST(BrokerTest, ApiVersionsListsEveryServedApi) {
  TestBroker broker;
  RawClient client(broker.port());
  auto response = client.call<ApiVersionsResponse>(ApiVersionsRequest{}, 3);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->error_code, 0);
  EXPECT_EQ(response->api_keys.size(), supportedApis().size());
}

TEST(BrokerTest, TooNewApiVersionsGetsV0ErrorAndKeepsConnection) {
  TestBroker broker;
  RawClient client(broker.port());
  Bytes frame;
  ApiVersionsRequest request;
  request.client_software_name = "future";
  request.client_software_version = "9";
  encodeRequestFrame(request, 3, 7, std::string("c"), frame);
  storeBe16(frame.data() + 6, 99);  // claim version 99
  ASSERT_TRUE(client.sendRaw(frame));
  int32_t correlation = 0;
  auto body = client.receive(&correlation);
  ASSERT_TRUE(body);
  EXPECT_EQ(correlation, 7);
  ApiVersionsResponse response;
  ASSERT_TRUE(decodeBody(ByteSpan(*body), 0, response).isOk());
  EXPECT_EQ(response.error_code, wire(ErrorCode::kUnsupportedVersion));
  EXPECT_FALSE(response.api_keys.empty());
  // The connection still serves requests.
  EXPECT_TRUE(client.call<ApiVersionsResponse>(ApiVersionsRequest{}, 2));
}

TEST(BrokerTest, MalformedFrameClosesConnectionButNotBroker) {
  TestBroker broker;
  {
    RawClient client(broker.port());
    Bytes garbage = {0, 0, 0, 10, 0, 3, 0, 8, 0, 0, 0, 1, 0xff, 0xff};  // Metadata v8, truncated body
    ASSERT_TRUE(client.sendRaw(garbage));
    EXPECT_FALSE(client.receive());
  }
  {
    RawClient client(broker.port());
    Bytes huge = {0x7f, 0xff, 0xff, 0xff};  // larger than socket.request.max.bytes
    ASSERT_TRUE(client.sendRaw(huge));
    EXPECT_FALSE(client.receive());
  }
  RawClient client(broker.port());
  EXPECT_TRUE(client.call<ApiVersionsResponse>(ApiVersionsRequest{}, 3));
}

TEST(BrokerTest, MetadataAutoCreatesRequestedTopic) {
  TestBroker broker;
  RawClient client(broker.port());
  MetadataRequest request;
  request.topics.emplace();
  MetadataRequest::Topic t;
  t.name = "auto-created";
  request.topics->push_back(t);
  auto response = client.call<MetadataResponse>(request, 8);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->brokers.size(), 1u);
  EXPECT_EQ(response->brokers[0].port, broker.port());
  ASSERT_EQ(response->topics.size(), 1u);
  EXPECT_EQ(response->topics[0].error_code, 0);
  EXPECT_EQ(response->topics[0].partitions.size(), 1u);

  request.allow_auto_topic_creation = false;
  request.topics->at(0).name = "not-created";
  response = client.call<MetadataResponse>(request, 8);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->topics[0].error_code, wire(ErrorCode::kUnknownTopicOrPartition));
}

TEST(BrokerTest, ProduceThenFetchReturnsRecordsAndOffsets) {
  TestBroker broker;
  RawClient client(broker.port());
  createTopic(client, "events", 2);
  auto first = produce(client, "events", 1, makeBatch(10, "a"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->responses[0].partition_responses[0].error_code, 0);
  EXPECT_EQ(first->responses[0].partition_responses[0].base_offset, 0);
  auto second = produce(client, "events", 1, makeBatch(5, "b"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->responses[0].partition_responses[0].base_offset, 10);

  auto fetched = client.call<FetchResponse>(fetchRequest("events", 1, 0, 0, 1), 11);
  ASSERT_TRUE(fetched);
  const auto& data = fetched->responses.at(0).partitions.at(0);
  EXPECT_EQ(data.error_code, 0);
  EXPECT_EQ(data.high_watermark, 15);
  EXPECT_EQ(data.last_stable_offset, 15);
  ASSERT_TRUE(data.records);
  EXPECT_EQ(countRecords(*data.records), 15);

  auto out_of_range = client.call<FetchResponse>(fetchRequest("events", 1, 99, 0, 1), 11);
  ASSERT_TRUE(out_of_range);
  EXPECT_EQ(out_of_range->responses[0].partitions[0].error_code, wire(ErrorCode::kOffsetOutOfRange));
}

TEST(BrokerTest, LongPollFetchWakesWhenDataArrives) {
  TestBroker broker;
  RawClient setup(broker.port());
  createTopic(setup, "waiting", 1);
  RawClient consumer(broker.port());
  auto started = std::chrono::steady_clock::now();
  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    RawClient client(broker.port());
    produce(client, "waiting", 0, makeBatch(3, "late"));
  });
  auto fetched = consumer.call<FetchResponse>(fetchRequest("waiting", 0, 0, 10000, 1), 11);
  auto elapsed = std::chrono::steady_clock::now() - started;
  producer.join();
  ASSERT_TRUE(fetched);
  ASSERT_TRUE(fetched->responses[0].partitions[0].records);
  EXPECT_EQ(countRecords(*fetched->responses[0].partitions[0].records), 3);
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(BrokerTest, LongPollFetchTimesOutEmpty) {
  TestBroker broker;
  RawClient client(broker.port());
  createTopic(client, "quiet", 1);
  auto started = std::chrono::steady_clock::now();
  auto fetched = client.call<FetchResponse>(fetchRequest("quiet", 0, 0, 300, 1), 11);
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->responses[0].partitions[0].error_code, 0);
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
}

TEST(BrokerTest, AcksZeroGetsNoResponseButIsWritten) {
  TestBroker broker;
  RawClient client(broker.port());
  createTopic(client, "fire-and-forget", 1);
  Bytes batch = makeBatch(4, "x");
  ProduceRequest request;
  request.acks = 0;
  ProduceRequest::TopicProduceData data;
  data.name = "fire-and-forget";
  data.partition_data.push_back({0, ByteSpan(batch), {}});
  request.topic_data.push_back(data);
  Bytes frame;
  encodeRequestFrame(request, 7, 1, std::string("c"), frame);
  ASSERT_TRUE(client.sendRaw(frame));
  // The next response on the connection answers the next request.
  auto fetched = client.call<FetchResponse>(fetchRequest("fire-and-forget", 0, 0, 0, 1), 11);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->responses[0].partitions[0].high_watermark, 4);
}

TEST(BrokerTest, CorruptBatchIsRejectedWithCorruptMessage) {
  TestBroker broker;
  RawClient client(broker.port());
  createTopic(client, "strict", 1);
  Bytes batch = makeBatch(3, "v");
  batch.back() ^= 0xff;  // break the CRC
  auto response = produce(client, "strict", 0, batch);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->responses[0].partition_responses[0].error_code, wire(ErrorCode::kCorruptMessage));
  auto fetched = client.call<FetchResponse>(fetchRequest("strict", 0, 0, 0, 1), 11);
  EXPECT_EQ(fetched->responses[0].partitions[0].high_watermark, 0);
}

TEST(BrokerTest, ListOffsetsEarliestLatestAndByTime) {
  TestBroker broker;
  RawClient client(broker.port());
  createTopic(client, "timed", 1);
  produce(client, "timed", 0, makeBatch(10, "t", 1000));
  produce(client, "timed", 0, makeBatch(10, "u", 5000));
  auto query = [&](int64_t timestamp) {
    ListOffsetsRequest request;
    request.replica_id = -1;
    ListOffsetsRequest::ListOffsetsTopic topic;
    topic.name = "timed";
    ListOffsetsRequest::ListOffsetsPartition p;
    p.partition_index = 0;
    p.timestamp = timestamp;
    topic.partitions.push_back(p);
    request.topics.push_back(topic);
    auto response = client.call<ListOffsetsResponse>(request, 3);
    EXPECT_TRUE(response);
    return response->topics[0].partitions[0].offset;
  };
  EXPECT_EQ(query(-2), 0);
  EXPECT_EQ(query(-1), 20);
  EXPECT_EQ(query(5003), 13);
  EXPECT_EQ(query(1005), 5);
  EXPECT_EQ(query(99999), -1);
}

TEST(BrokerTest, CommittedOffsetsSurviveRestart) {
  TestBroker broker;
  {
    RawClient client(broker.port());
    createTopic(client, "orders", 3);
    OffsetCommitRequest request;
    request.group_id = "billing";
    OffsetCommitRequest::Topic topic;
    topic.name = "orders";
    OffsetCommitRequest::Partition p;
    p.partition_index = 2;
    p.committed_offset = 42;
    p.committed_metadata = "meta";
    topic.partitions.push_back(p);
    request.topics.push_back(topic);
    auto response = client.call<OffsetCommitResponse>(request, 7);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->topics[0].partitions[0].error_code, 0);
  }
  broker.restart();
  RawClient client(broker.port());
  OffsetFetchRequest request;
  request.group_id = "billing";
  request.topics.emplace();
  OffsetFetchRequest::Topic topic;
  topic.name = "orders";
  topic.partition_indexes = {1, 2};
  request.topics->push_back(topic);
  auto response = client.call<OffsetFetchResponse>(request, 7);
  ASSERT_TRUE(response);
  const auto& partitions = response->topics.at(0).partitions;
  ASSERT_EQ(partitions.size(), 2u);
  EXPECT_EQ(partitions[0].committed_offset, -1);
  EXPECT_EQ(partitions[1].committed_offset, 42);
  EXPECT_EQ(partitions[1].metadata, "meta");
}

TEST(BrokerTest, TopicsAndConfigsSurviveRestart) {
  TestBroker broker;
  {
    RawClient client(broker.port());
    CreateTopicsRequest request;
    CreateTopicsRequest::CreatableTopic topic;
    topic.name = "configured";
    topic.num_partitions = 4;
    topic.replication_factor = 1;
    topic.configs.push_back({"retention.ms", std::string("12345"), {}});
    request.topics.push_back(topic);
    auto response = client.call<CreateTopicsResponse>(request, 4);
    ASSERT_TRUE(response);
    ASSERT_EQ(response->topics[0].error_code, 0);
    produce(client, "configured", 3, makeBatch(7, "p"));
  }
  broker.restart();
  RawClient client(broker.port());
  DescribeConfigsRequest request;
  DescribeConfigsRequest::DescribeConfigsResource resource;
  resource.resource_type = 2;
  resource.resource_name = "configured";
  request.resources.push_back(resource);
  auto response = client.call<DescribeConfigsResponse>(request, 2);
  ASSERT_TRUE(response);
  bool found = false;
  for (const auto& config : response->results[0].configs) {
    if (config.name == "retention.ms") {
      found = true;
      EXPECT_EQ(config.value, "12345");
      EXPECT_EQ(config.config_source, 1);
    }
  }
  EXPECT_TRUE(found);
  auto fetched = client.call<FetchResponse>(fetchRequest("configured", 3, 0, 0, 1), 11);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(countRecords(*fetched->responses[0].partitions[0].records), 7);
}

TEST(BrokerTest, CreateTopicErrorsUseKafkaCodes) {
  TestBroker broker;
  RawClient client(broker.port());
  createTopic(client, "dup", 1);
  CreateTopicsRequest request;
  auto add = [&](const std::string& name, int32_t partitions, int16_t rf) {
    CreateTopicsRequest::CreatableTopic topic;
    topic.name = name;
    topic.num_partitions = partitions;
    topic.replication_factor = rf;
    request.topics.push_back(topic);
  };
  add("dup", 1, 1);
  add("bad name!", 1, 1);
  add("replicated", 1, 3);
  add("no-partitions", 0, 1);
  request.topics.push_back({"bad-config", 1, 1, {}, {{"retention.ms", std::string("soon"), {}}}, {}});
  auto response = client.call<CreateTopicsResponse>(request, 4);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->topics[0].error_code, wire(ErrorCode::kTopicAlreadyExists));
  EXPECT_EQ(response->topics[1].error_code, wire(ErrorCode::kInvalidTopicException));
  EXPECT_EQ(response->topics[2].error_code, wire(ErrorCode::kInvalidReplicationFactor));
  EXPECT_EQ(response->topics[3].error_code, wire(ErrorCode::kInvalidPartitions));
  EXPECT_EQ(response->topics[4].error_code, wire(ErrorCode::kInvalidConfig));
}

TEST(BrokerTest, DeleteRecordsAdvancesLogStart) {
  TestBroker broker;
  RawClient client(broker.port());
  createTopic(client, "trim", 1);
  produce(client, "trim", 0, makeBatch(10, "a"));
  produce(client, "trim", 0, makeBatch(10, "b"));
  DeleteRecordsRequest request;
  request.topics.push_back({"trim", {{0, 10, {}}}, {}});
  auto response = client.call<DeleteRecordsResponse>(request, 1);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->topics[0].partitions[0].error_code, 0);
  EXPECT_EQ(response->topics[0].partitions[0].low_watermark, 10);
  auto fetched = client.call<FetchResponse>(fetchRequest("trim", 0, 0, 0, 1), 11);
  EXPECT_EQ(fetched->responses[0].partitions[0].error_code, wire(ErrorCode::kOffsetOutOfRange));
}

}  // namespace
}  // namespace runnel
