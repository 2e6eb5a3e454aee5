#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "sql/value.h"
#include "streams/interactive_queries.h"
#include "streams/record.h"

namespace runnel::streams {
class Topology;
}

namespace runnel::sql {

struct TopicInfo {
  std::string name;
  int32_t partitions = 1;
  int16_t replicas = 1;
};

// A record the engine writes itself (INSERT INTO ... VALUES).
struct OutgoingRecord {
  std::optional<std::string> key;
  std::optional<std::string> value;
  int64_t timestamp = 0;
  streams::Headers headers;
};

// A record of a topic where it is, as a stream's pull query reads it.
struct TopicRecord {
  OutgoingRecord record;
  int32_t partition = 0;
  int64_t offset = 0;
};

// What the engine needs from Kafka: topics, producing, and somewhere to run query
// topologies. The server implements it on a Kafka client and KafkaStreams; the test
// runner on topology test drivers with in-memory topics.
class SqlEnvironment {
 public:
  virtual ~SqlEnvironment() = default;
  virtual std::optional<TopicInfo> describeTopic(const std::string& name) = 0;
  virtual std::vector<std::string> listTopics() = 0;
  virtual Status createTopic(const TopicInfo& topic, const std::map<std::string, std::string>& config) = 0;
  virtual Status deleteTopic(const std::string& name) = 0;
  virtual Status produce(const std::string& topic, OutgoingRecord record) = 0;
  // Runs `topology` as application `<service id prefix><query id>` with `config`
  // (streams properties) until stopQuery.
  virtual Status startQuery(const std::string& query_id, const streams::Topology& topology,
                            const std::map<std::string, std::string>& config) = 0;
  virtual Status stopQuery(const std::string& query_id) = 0;
  // PAUSE / RESUME: the query keeps its place (consumer group, state) but processes no
  // records until resumed; what arrives meanwhile waits in its topics.
  virtual Status pauseQuery(const std::string& query_id) = 0;
  virtual Status resumeQuery(const std::string& query_id) = 0;
  // Read access to the key-value store `store` of the running query `query_id` (this
  // instance's copies of all its partitions), for pull queries.
  virtual Result<streams::ReadOnlyKeyValueStore<GenericKey, GenericRow>> queryStore(const std::string& query_id,
                                                                                     const std::string& store) = 0;
  // Calls `visit` with each record `topic` holds now (up to its end offsets as the scan
  // starts) until `visit` returns false, for a stream's pull query.
  virtual Status scanTopic(const std::string& topic, const std::function<bool(const TopicRecord&)>& visit) = 0;
};

}  // namespace runnel::sql
