#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sql/engine/environment.h"
#include "streams/topology_test_driver.h"

namespace runnel::sql::testing {

// Runs the engine without a broker: topics are in-memory logs, each query runs on its
// own topology test driver, and what one query writes is piped into every query that
// reads it, in order - as ksqlDB's query-validation tests run. Record caching is off, so
// every update is emitted.
class DriverEnvironment final : public SqlEnvironment {
 public:
  // auto_create_topics: a topic that does not exist is created when first described.
  explicit DriverEnvironment(bool auto_create_topics = true) : auto_create_topics_(auto_create_topics) {}
  ~DriverEnvironment() override;

  std::optional<TopicInfo> describeTopic(const std::string& name) override;
  std::vector<std::string> listTopics() override;
  Status createTopic(const TopicInfo& topic, const std::map<std::string, std::string>& config) override;
  Status deleteTopic(const std::string& name) override;
  Status produce(const std::string& topic, OutgoingRecord record) override;
  Status startQuery(const std::string& query_id, const streams::Topology& topology,
                    const std::map<std::string, std::string>& config) override;
  Status stopQuery(const std::string& query_id) override;
  // A paused query's input is held back and piped in, in order, when it resumes.
  Status pauseQuery(const std::string& query_id) override;
  Status resumeQuery(const std::string& query_id) override;
  Result<streams::ReadOnlyKeyValueStore<GenericKey, GenericRow>> queryStore(const std::string& query_id,
                                                                             const std::string& store) override;
  Status scanTopic(const std::string& topic, const std::function<bool(const TopicRecord&)>& visit) override;

  // Everything written to `topic` so far, in order.
  const std::vector<OutgoingRecord>& records(const std::string& topic) const;

 private:
  struct RunningQuery {
    std::unique_ptr<streams::TopologyTestDriver> driver;
    std::set<std::string> inputs;
    bool paused = false;
    std::vector<std::pair<std::string, OutgoingRecord>> held;  // topic, record; while paused
  };

  // Appends to the topic's log and pipes into the readers, then routes what they wrote.
  Status deliver(const std::string& topic, const OutgoingRecord& record);
  Status pipe(RunningQuery& query, const std::string& topic, const OutgoingRecord& record);

  bool auto_create_topics_;
  std::map<std::string, TopicInfo> topics_;
  std::map<std::string, std::vector<OutgoingRecord>> logs_;
  std::map<std::string, RunningQuery> queries_;
};

}  // namespace runnel::sql::testing
