#include "sql/testing/driver_environment.h"

#include <fmt/format.h>

#include "streams/processor_error.h"

namespace runnel::sql::testing {

DriverEnvironment::~DriverEnvironment() = default;

std::optional<TopicInfo> DriverEnvironment::describeTopic(const std::string& name) {
  auto it = topics_.find(name);
  if (it == topics_.end()) {
    // As ksqlDB's test tools, which create every topic a test's statements name.
    if (!auto_create_topics_) return std::nullopt;
    it = topics_.emplace(name, TopicInfo{name, 1, 1}).first;
  }
  return it->second;
}

std::vector<std::string> DriverEnvironment::listTopics() {
  std::vector<std::string> out;
  for (const auto& [name, topic] : topics_) out.push_back(name);
  return out;
}

Status DriverEnvironment::createTopic(const TopicInfo& topic, const std::map<std::string, std::string>&) {
  topics_.emplace(topic.name, topic);
  return Status::ok();
}

Status DriverEnvironment::deleteTopic(const std::string& name) {
  topics_.erase(name);
  logs_.erase(name);
  return Status::ok();
}

Status DriverEnvironment::produce(const std::string& topic, OutgoingRecord record) {
  if (!topics_.contains(topic)) return Status::notFound(fmt::format("Topic {} does not exist", topic));
  return deliver(topic, record);
}

Status DriverEnvironment::pipe(RunningQuery& query, const std::string& topic, const OutgoingRecord& record) {
  try {
    query.driver->pipeRecord(topic, {record.key, record.value, record.timestamp, record.headers});
  } catch (const std::exception& e) {
    return Status::internal(e.what());
  }
  // What the query wrote goes on to its topics and their readers.
  for (const auto& produced : query.driver->producedTopicNames()) {
    auto& queue = query.driver->output(produced);
    while (!queue.empty()) {
      streams::internal::DriverRecord out = std::move(queue.front());
      queue.pop_front();
      if (produced.ends_with("-changelog")) continue;
      RUNNEL_RETURN_IF_ERROR(deliver(produced, {std::move(out.key), std::move(out.value), out.timestamp,
                                                std::move(out.headers)}));
    }
  }
  return Status::ok();
}

Status DriverEnvironment::deliver(const std::string& topic, const OutgoingRecord& record) {
  logs_[topic].push_back(record);
  for (auto& [id, query] : queries_) {
    if (!query.inputs.contains(topic)) continue;
    if (query.paused) {
      query.held.emplace_back(topic, record);
    } else {
      RUNNEL_RETURN_IF_ERROR(pipe(query, topic, record));
    }
  }
  return Status::ok();
}

Status DriverEnvironment::startQuery(const std::string& query_id, const streams::Topology& topology,
                                     const std::map<std::string, std::string>& config) {
  std::map<std::string, std::string> driver_config = config;
  driver_config["statestore.cache.max.bytes"] = "0";
  driver_config["default.deserialization.exception.handler"] = "LogAndContinueExceptionHandler";
  driver_config["application.id"] = "_confluent-ksql-default_query_" + query_id;
  RUNNEL_ASSIGN_OR_RETURN(auto driver, streams::TopologyTestDriver::create(topology, driver_config));
  RunningQuery query;
  query.driver = std::move(driver);
  for (const auto& topic : query.driver->inputTopicNames()) query.inputs.insert(topic);
  auto [it, inserted] = queries_.emplace(query_id, std::move(query));
  if (!inserted) return Status::alreadyExists("query " + query_id + " is already running");
  // Queries read from the earliest offset: what is already in the topics comes first.
  for (const auto& topic : it->second.inputs) {
    std::vector<OutgoingRecord> existing = logs_[topic];
    for (const auto& record : existing) RUNNEL_RETURN_IF_ERROR(pipe(it->second, topic, record));
  }
  return Status::ok();
}

Status DriverEnvironment::stopQuery(const std::string& query_id) {
  queries_.erase(query_id);
  return Status::ok();
}

Status DriverEnvironment::pauseQuery(const std::string& query_id) {
  auto it = queries_.find(query_id);
  if (it == queries_.end()) return Status::notFound(fmt::format("Query {} is not running", query_id));
  it->second.paused = true;
  return Status::ok();
}

Status DriverEnvironment::resumeQuery(const std::string& query_id) {
  auto it = queries_.find(query_id);
  if (it == queries_.end()) return Status::notFound(fmt::format("Query {} is not running", query_id));
  RunningQuery& query = it->second;
  query.paused = false;
  std::vector<std::pair<std::string, OutgoingRecord>> held;
  held.swap(query.held);
  for (const auto& [topic, record] : held) RUNNEL_RETURN_IF_ERROR(pipe(query, topic, record));
  return Status::ok();
}

Result<streams::ReadOnlyKeyValueStore<GenericKey, GenericRow>> DriverEnvironment::queryStore(
    const std::string& query_id, const std::string& store) {
  auto it = queries_.find(query_id);
  if (it == queries_.end()) return Status::notFound(fmt::format("Query {} is not running", query_id));
  streams::StateStore* state = it->second.driver->getStateStore(store);
  if (state == nullptr) return Status::notFound(fmt::format("Query {} has no store {}", query_id, store));
  return streams::ReadOnlyKeyValueStore<GenericKey, GenericRow>(
      [state](const std::function<void(streams::StateStore&)>& visit) { visit(*state); });
}

Status DriverEnvironment::scanTopic(const std::string& topic, const std::function<bool(const TopicRecord&)>& visit) {
  if (!topics_.contains(topic)) return Status::notFound(fmt::format("Topic {} does not exist", topic));
  const auto& log = records(topic);
  for (size_t offset = 0; offset < log.size(); ++offset) {
    if (!visit({log[offset], 0, static_cast<int64_t>(offset)})) break;
  }
  return Status::ok();
}

const std::vector<OutgoingRecord>& DriverEnvironment::records(const std::string& topic) const {
  static const std::vector<OutgoingRecord> kNone;
  auto it = logs_.find(topic);
  return it == logs_.end() ? kNone : it->second;
}

}  // namespace runnel::sql::testing
