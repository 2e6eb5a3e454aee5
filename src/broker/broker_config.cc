#include "broker/broker_config.h"

#include <cstdlib>
#include <thread>

namespace runnel::broker {
namespace {

std::vector<std::string> splitCommas(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

// Kafka lets some settings be given in ms or in coarser units; the finest one wins.
Result<int64_t> durationMs(const Properties& props, const std::string& ms_key,
                           const std::string& hours_key, int64_t fallback) {
  if (props.get(ms_key)) return props.getInt(ms_key, fallback);
  if (props.get(hours_key)) {
    RUNNEL_ASSIGN_OR_RETURN(int64_t hours, props.getInt(hours_key, 0));
    return hours < 0 ? -1 : hours * 3600000;
  }
  return fallback;
}

Status readCleanerConfig(const Properties& props, BrokerConfig& c) {
  RUNNEL_ASSIGN_OR_RETURN(c.log_cleaner_enable, props.getBool("log.cleaner.enable", c.log_cleaner_enable));
  RUNNEL_ASSIGN_OR_RETURN(int64_t threads, props.getInt("log.cleaner.threads", c.log_cleaner_threads));
  if (threads < 0) return Status::invalidArgument("log.cleaner.threads must be at least 0");
  c.log_cleaner_threads = int32_t(threads);
  RUNNEL_ASSIGN_OR_RETURN(c.log_cleaner_backoff_ms, props.getInt("log.cleaner.backoff.ms", c.log_cleaner_backoff_ms));
  if (auto ratio = props.get("log.cleaner.min.cleanable.ratio")) {
    char* end = nullptr;
    c.log_cleaner_min_cleanable_ratio = std::strtod(ratio->c_str(), &end);
    if (ratio->empty() || *end != '\0' || c.log_cleaner_min_cleanable_ratio < 0 ||
        c.log_cleaner_min_cleanable_ratio > 1) {
      return Status::invalidArgument("log.cleaner.min.cleanable.ratio must be a number in [0, 1]");
    }
  }
  RUNNEL_ASSIGN_OR_RETURN(c.log_cleaner_delete_retention_ms,
                          props.getInt("log.cleaner.delete.retention.ms", c.log_cleaner_delete_retention_ms));
  RUNNEL_ASSIGN_OR_RETURN(c.log_cleaner_min_compaction_lag_ms,
                          props.getInt("log.cleaner.min.compaction.lag.ms", c.log_cleaner_min_compaction_lag_ms));
  RUNNEL_ASSIGN_OR_RETURN(c.log_cleaner_max_compaction_lag_ms,
                          props.getInt("log.cleaner.max.compaction.lag.ms", c.log_cleaner_max_compaction_lag_ms));
  RUNNEL_ASSIGN_OR_RETURN(c.log_cleaner_dedupe_buffer_size,
                          props.getInt("log.cleaner.dedupe.buffer.size", c.log_cleaner_dedupe_buffer_size));
  return Status::ok();
}

}  // namespace

Result<Endpoint> parseListener(const std::string& text) {
  std::vector<std::string> listeners = splitCommas(text);
  if (listeners.empty()) return Status::invalidArgument("listeners is empty");
  const std::string& first = listeners.front();
  size_t scheme = first.find("://");
  if (scheme == std::string::npos) {
    return Status::invalidArgument("listener '" + first + "' must look like PLAINTEXT://host:port");
  }
  std::string protocol = first.substr(0, scheme);
  if (protocol != "PLAINTEXT") {
    return Status::unsupported("listener security protocol " + protocol +
                               " is not supported; use PLAINTEXT");
  }
  std::string host_port = first.substr(scheme + 3);
  size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) {
    return Status::invalidArgument("listener '" + first + "' has no port");
  }
  Endpoint endpoint;
  endpoint.host = host_port.substr(0, colon);
  if (endpoint.host.size() >= 2 && endpoint.host.front() == '[') {
    endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
  }
  if (endpoint.host.empty()) endpoint.host = "0.0.0.0";
  auto port = parseInt64(host_port.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) {
    return Status::invalidArgument("listener '" + first + "' has a bad port");
  }
  endpoint.port = uint16_t(*port);
  return endpoint;
}

Result<BrokerConfig> BrokerConfig::fromProperties(const Properties& props) {
  BrokerConfig c;
  RUNNEL_ASSIGN_OR_RETURN(int64_t broker_id, props.getInt("broker.id", c.node_id));
  RUNNEL_ASSIGN_OR_RETURN(int64_t node_id, props.getInt("node.id", broker_id));
  c.node_id = int32_t(node_id);
  if (auto listeners = props.get("listeners")) {
    RUNNEL_ASSIGN_OR_RETURN(c.listener, parseListener(*listeners));
  }
  if (auto advertised = props.get("advertised.listeners")) {
    RUNNEL_ASSIGN_OR_RETURN(Endpoint endpoint, parseListener(*advertised));
    c.advertised_host = endpoint.host;
    c.advertised_port = endpoint.port;
  }
  if (auto dirs = props.get("log.dirs")) c.log_dirs = splitCommas(*dirs);
  else if (auto dir = props.get("log.dir")) c.log_dirs = splitCommas(*dir);
  if (c.log_dirs.empty()) return Status::invalidArgument("log.dirs is empty");

  RUNNEL_ASSIGN_OR_RETURN(int64_t partitions, props.getInt("num.partitions", c.num_partitions));
  if (partitions < 1) return Status::invalidArgument("num.partitions must be at least 1");
  c.num_partitions = int32_t(partitions);
  RUNNEL_ASSIGN_OR_RETURN(int64_t rf, props.getInt("default.replication.factor", 1));
  c.default_replication_factor = int16_t(rf);
  RUNNEL_ASSIGN_OR_RETURN(c.auto_create_topics_enable,
                          props.getBool("auto.create.topics.enable", c.auto_create_topics_enable));
  RUNNEL_ASSIGN_OR_RETURN(c.delete_topic_enable,
                          props.getBool("delete.topic.enable", c.delete_topic_enable));
  RUNNEL_ASSIGN_OR_RETURN(int64_t io_threads, props.getInt("num.io.threads", 0));
  c.num_io_threads = int32_t(io_threads);
  if (c.num_io_threads <= 0) c.num_io_threads = int32_t(std::max(1u, std::thread::hardware_concurrency()));
  RUNNEL_ASSIGN_OR_RETURN(int64_t max_bytes, props.getInt("message.max.bytes", c.message_max_bytes));
  c.message_max_bytes = int32_t(max_bytes);
  RUNNEL_ASSIGN_OR_RETURN(int64_t request_max,
                          props.getInt("socket.request.max.bytes", c.socket_request_max_bytes));
  c.socket_request_max_bytes = int32_t(request_max);
  RUNNEL_ASSIGN_OR_RETURN(int64_t offsets_partitions,
                          props.getInt("offsets.topic.num.partitions", c.offsets_topic_num_partitions));
  if (offsets_partitions < 1) return Status::invalidArgument("offsets.topic.num.partitions must be at least 1");
  c.offsets_topic_num_partitions = int32_t(offsets_partitions);
  RUNNEL_ASSIGN_OR_RETURN(c.log_retention_check_interval_ms,
                          props.getInt("log.retention.check.interval.ms", c.log_retention_check_interval_ms));
  RUNNEL_ASSIGN_OR_RETURN(c.producer_id_expiration_ms,
                          props.getInt("producer.id.expiration.ms", c.producer_id_expiration_ms));
  RUNNEL_ASSIGN_OR_RETURN(c.log_initial_task_delay_ms,
                          props.getInt("log.initial.task.delay.ms", c.log_initial_task_delay_ms));
  RUNNEL_ASSIGN_OR_RETURN(c.group_initial_rebalance_delay_ms,
                          props.getInt("group.initial.rebalance.delay.ms", c.group_initial_rebalance_delay_ms));
  RUNNEL_ASSIGN_OR_RETURN(int64_t min_session,
                          props.getInt("group.min.session.timeout.ms", c.group_min_session_timeout_ms));
  c.group_min_session_timeout_ms = int32_t(min_session);
  RUNNEL_ASSIGN_OR_RETURN(int64_t max_session,
                          props.getInt("group.max.session.timeout.ms", c.group_max_session_timeout_ms));
  c.group_max_session_timeout_ms = int32_t(max_session);
  RUNNEL_ASSIGN_OR_RETURN(int64_t retention_minutes,
                          props.getInt("offsets.retention.minutes", c.offsets_retention_ms / 60000));
  c.offsets_retention_ms = retention_minutes * 60000;
  RUNNEL_ASSIGN_OR_RETURN(c.offsets_retention_check_interval_ms,
                          props.getInt("offsets.retention.check.interval.ms", c.offsets_retention_check_interval_ms));

  RUNNEL_ASSIGN_OR_RETURN(c.log_segment_bytes, props.getInt("log.segment.bytes", c.log_segment_bytes));
  RUNNEL_ASSIGN_OR_RETURN(c.log_roll_ms, durationMs(props, "log.roll.ms", "log.roll.hours", c.log_roll_ms));
  if (props.get("log.retention.minutes") && !props.get("log.retention.ms")) {
    RUNNEL_ASSIGN_OR_RETURN(int64_t minutes, props.getInt("log.retention.minutes", 0));
    c.log_retention_ms = minutes < 0 ? -1 : minutes * 60000;
  } else {
    RUNNEL_ASSIGN_OR_RETURN(c.log_retention_ms, durationMs(props, "log.retention.ms", "log.retention.hours",
                                                           c.log_retention_ms));
  }
  RUNNEL_ASSIGN_OR_RETURN(c.log_retention_bytes, props.getInt("log.retention.bytes", c.log_retention_bytes));
  RUNNEL_ASSIGN_OR_RETURN(c.log_flush_interval_messages,
                          props.getInt("log.flush.interval.messages", c.log_flush_interval_messages));
  RUNNEL_ASSIGN_OR_RETURN(c.log_flush_interval_ms,
                          props.getInt("log.flush.interval.ms", c.log_flush_interval_ms));
  RUNNEL_ASSIGN_OR_RETURN(int64_t index_interval,
                          props.getInt("log.index.interval.bytes", c.log_index_interval_bytes));
  c.log_index_interval_bytes = int32_t(index_interval);
  RUNNEL_ASSIGN_OR_RETURN(int64_t index_max,
                          props.getInt("log.index.size.max.bytes", c.log_index_size_max_bytes));
  c.log_index_size_max_bytes = int32_t(index_max);
  c.log_cleanup_policy = props.getOr("log.cleanup.policy", c.log_cleanup_policy);
  c.log_message_timestamp_type = props.getOr("log.message.timestamp.type", c.log_message_timestamp_type);
  RUNNEL_RETURN_IF_ERROR(readCleanerConfig(props, c));
  return c;
}

}  // namespace runnel::broker
