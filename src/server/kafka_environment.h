#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "sql/engine/environment.h"

namespace runnel::client {
class Admin;
class Producer;
}  // namespace runnel::client
namespace runnel::streams {
class KafkaStreams;
}

namespace runnel::server {

// The engine's Kafka: topics through the admin client, INSERT VALUES through a producer,
// and each persistent query as a KafkaStreams application
// `_confluent-ksql-<service id>query_<query id>` (ksqlDB's naming), against the embedded
// broker or any cluster.
class KafkaEnvironment final : public sql::SqlEnvironment {
 public:
  struct Options {
    std::string bootstrap_servers;
    std::string service_id = "default_";
    std::string state_dir;  // the queries' state stores
    std::map<std::string, std::string> client_config;  // extra client properties
  };
  static Result<std::unique_ptr<KafkaEnvironment>> create(Options options);
  ~KafkaEnvironment() override;

  std::optional<sql::TopicInfo> describeTopic(const std::string& name) override;
  std::vector<std::string> listTopics() override;
  Status createTopic(const sql::TopicInfo& topic, const std::map<std::string, std::string>& config) override;
  Status deleteTopic(const std::string& name) override;
  Status produce(const std::string& topic, sql::OutgoingRecord record) override;
  Status startQuery(const std::string& query_id, const streams::Topology& topology,
                    const std::map<std::string, std::string>& config) override;
  Status stopQuery(const std::string& query_id) override;
  Status pauseQuery(const std::string& query_id) override;
  Status resumeQuery(const std::string& query_id) override;
  Result<streams::ReadOnlyKeyValueStore<sql::GenericKey, sql::GenericRow>> queryStore(
      const std::string& query_id, const std::string& store) override;
  Status scanTopic(const std::string& topic, const std::function<bool(const sql::TopicRecord&)>& visit) override;

  // Stops every query (the server is shutting down; their state stays for a restart).
  void closeAll();

 private:
  explicit KafkaEnvironment(Options options);

  Options options_;
  std::unique_ptr<client::Admin> admin_;
  std::unique_ptr<client::Producer> producer_;
  std::mutex queries_mutex_;
  std::map<std::string, std::unique_ptr<streams::KafkaStreams>> queries_;
};

}  // namespace runnel::server
