#include "server/kafka_environment.h"

#include <fmt/format.h>

#include "client/kafka_client.h"
#include "streams/kafka_streams.h"

namespace runnel::server {
namespace {

constexpr auto kClientTimeout = std::chrono::seconds(30);

}  // namespace

KafkaEnvironment::KafkaEnvironment(Options options) : options_(std::move(options)) {}

KafkaEnvironment::~KafkaEnvironment() { closeAll(); }

Result<std::unique_ptr<KafkaEnvironment>> KafkaEnvironment::create(Options options) {
  std::unique_ptr<KafkaEnvironment> environment(new KafkaEnvironment(std::move(options)));
  client::ClientConfig config = environment->options_.client_config;
  config["bootstrap.servers"] = environment->options_.bootstrap_servers;
  RUNNEL_ASSIGN_OR_RETURN(environment->admin_, client::makeKafkaAdmin(config));
  config["linger.ms"] = "0";
  RUNNEL_ASSIGN_OR_RETURN(environment->producer_, client::makeKafkaProducer(config));
  return environment;
}

std::optional<sql::TopicInfo> KafkaEnvironment::describeTopic(const std::string& name) {
  auto metadata = admin_->metadata(std::vector<std::string>{name});
  if (!metadata.isOk()) return std::nullopt;
  for (const auto& topic : metadata->topics) {
    if (topic.name != name || !topic.error.isOk() || topic.partitions.empty()) continue;
    sql::TopicInfo info{name, static_cast<int32_t>(topic.partitions.size()), 1};
    info.replicas = static_cast<int16_t>(topic.partitions.front().replicas.size());
    return info;
  }
  return std::nullopt;
}

std::vector<std::string> KafkaEnvironment::listTopics() {
  std::vector<std::string> out;
  auto metadata = admin_->metadata(std::nullopt);
  if (!metadata.isOk()) return out;
  for (const auto& topic : metadata->topics) out.push_back(topic.name);
  return out;
}

Status KafkaEnvironment::createTopic(const sql::TopicInfo& topic, const std::map<std::string, std::string>& config) {
  return admin_->createTopics({{topic.name, topic.partitions, topic.replicas, config}});
}

Status KafkaEnvironment::deleteTopic(const std::string& name) { return admin_->deleteTopics({name}); }

Status KafkaEnvironment::produce(const std::string& topic, sql::OutgoingRecord record) {
  client::ProducerRecord out;
  out.topic = topic;
  out.key = std::move(record.key);
  out.value = std::move(record.value);
  out.timestamp = record.timestamp;
  out.headers = std::move(record.headers);
  RUNNEL_RETURN_IF_ERROR(producer_->send(out));
  return producer_->flush(kClientTimeout);
}

Status KafkaEnvironment::startQuery(const std::string& query_id, const streams::Topology& topology,
                                    const std::map<std::string, std::string>& config) {
  std::map<std::string, std::string> streams_config = options_.client_config;
  for (const auto& [name, value] : config) streams_config[name] = value;
  streams_config["application.id"] = fmt::format("_confluent-ksql-{}query_{}", options_.service_id, query_id);
  streams_config["bootstrap.servers"] = options_.bootstrap_servers;
  if (!options_.state_dir.empty()) streams_config["state.dir"] = options_.state_dir;
  streams_config.try_emplace("auto.offset.reset", "earliest");
  streams_config.try_emplace("default.deserialization.exception.handler", "LogAndContinueExceptionHandler");
  RUNNEL_ASSIGN_OR_RETURN(auto app, streams::KafkaStreams::create(topology, streams_config));
  RUNNEL_RETURN_IF_ERROR(app->start());
  std::lock_guard lock(queries_mutex_);
  queries_[query_id] = std::move(app);
  return Status::ok();
}

Status KafkaEnvironment::stopQuery(const std::string& query_id) {
  std::unique_ptr<streams::KafkaStreams> app;
  {
    std::lock_guard lock(queries_mutex_);
    auto it = queries_.find(query_id);
    if (it == queries_.end()) return Status::ok();
    app = std::move(it->second);
    queries_.erase(it);
  }
  app->close();
  return Status::ok();
}

Status KafkaEnvironment::pauseQuery(const std::string& query_id) {
  std::lock_guard lock(queries_mutex_);
  auto it = queries_.find(query_id);
  if (it == queries_.end()) return Status::notFound(fmt::format("Query {} is not running", query_id));
  it->second->pause();
  return Status::ok();
}

Status KafkaEnvironment::resumeQuery(const std::string& query_id) {
  std::lock_guard lock(queries_mutex_);
  auto it = queries_.find(query_id);
  if (it == queries_.end()) return Status::notFound(fmt::format("Query {} is not running", query_id));
  it->second->resume();
  return Status::ok();
}

Result<streams::ReadOnlyKeyValueStore<sql::GenericKey, sql::GenericRow>> KafkaEnvironment::queryStore(
    const std::string& query_id, const std::string& store) {
  std::lock_guard lock(queries_mutex_);
  auto it = queries_.find(query_id);
  if (it == queries_.end()) return Status::notFound(fmt::format("Query {} is not running", query_id));
  return it->second->store<sql::GenericKey, sql::GenericRow>(store);
}

Status KafkaEnvironment::scanTopic(const std::string& topic,
                                   const std::function<bool(const sql::TopicRecord&)>& visit) {
  auto info = describeTopic(topic);
  if (!info) return Status::notFound(fmt::format("Topic {} does not exist", topic));
  std::vector<client::TopicPartition> partitions;
  for (int32_t p = 0; p < info->partitions; ++p) partitions.push_back({topic, p});
  RUNNEL_ASSIGN_OR_RETURN(auto ends, admin_->listOffsets(partitions, client::OffsetSpec::latest()));
  std::map<int32_t, int64_t> remaining;  // partition -> its end offset, while records remain before it
  std::vector<client::TopicPartitionOffset> assignment;
  for (const auto& end : ends) {
    if (end.offset <= 0) continue;
    remaining[end.partition] = end.offset;
    assignment.push_back({topic, end.partition, client::kOffsetBeginning});
  }
  if (remaining.empty()) return Status::ok();
  client::ClientConfig config = options_.client_config;
  config["bootstrap.servers"] = options_.bootstrap_servers;
  config["group.id"] = fmt::format("_confluent-ksql-{}pull_scan", options_.service_id);
  config["enable.auto.commit"] = "false";
  RUNNEL_ASSIGN_OR_RETURN(auto consumer, client::makeKafkaConsumer(config));
  RUNNEL_RETURN_IF_ERROR(consumer->assign(assignment));
  auto deadline = std::chrono::steady_clock::now() + kClientTimeout;
  bool more = true;
  while (more && !remaining.empty()) {
    if (std::chrono::steady_clock::now() > deadline) {
      (void)consumer->close();
      return Status::timedOut(fmt::format("reading topic {} took longer than {} s", topic, kClientTimeout.count()));
    }
    RUNNEL_ASSIGN_OR_RETURN(auto polled, consumer->poll(std::chrono::milliseconds(100)));
    if (polled.kind != client::PollResult::Kind::kMessage) continue;
    client::Message& message = polled.message;
    auto end = remaining.find(message.partition);
    if (end == remaining.end() || message.offset >= end->second) continue;
    if (message.offset + 1 >= end->second) remaining.erase(end);
    sql::TopicRecord record{{std::move(message.key), std::move(message.value), message.timestamp,
                             std::move(message.headers)},
                            message.partition, message.offset};
    more = visit(record);
  }
  return consumer->close();
}

void KafkaEnvironment::closeAll() {
  std::map<std::string, std::unique_ptr<streams::KafkaStreams>> queries;
  {
    std::lock_guard lock(queries_mutex_);
    queries.swap(queries_);
  }
  for (auto& [id, app] : queries) app->close();
}

}  // namespace runnel::server
