#include "broker/topic_config.h"

#include <algorithm>
#include <array>
#include <functional>
#include <sstream>

namespace runnel::broker {
namespace {

enum class Kind { kLong, kInt, kDouble, kBool, kChoice, kList };

// A topic-level config: its name, type, the broker setting it defaults to, and for
// choices the allowed values.
struct ConfigDef {
  const char* name;
  Kind kind;
  int64_t min;
  std::function<std::string(const BrokerConfig&)> broker_default;
  std::vector<std::string> choices;
};

std::string str(int64_t v) { return std::to_string(v); }

// "0.5", not std::to_string's "0.500000", as Kafka prints it.
std::string shortestDouble(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

const std::vector<ConfigDef>& definitions() {
  static const std::vector<ConfigDef> defs = {
      {"cleanup.policy", Kind::kList, 0, [](const BrokerConfig& b) { return b.log_cleanup_policy; },
       {"delete", "compact"}},
      {"compression.type", Kind::kChoice, 0, [](const BrokerConfig&) { return std::string("producer"); },
       {"producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"}},
      {"delete.retention.ms", Kind::kLong, 0,
       [](const BrokerConfig& b) { return str(b.log_cleaner_delete_retention_ms); }, {}},
      {"file.delete.delay.ms", Kind::kLong, 0, [](const BrokerConfig&) { return std::string("60000"); }, {}},
      {"flush.messages", Kind::kLong, 1,
       [](const BrokerConfig& b) { return str(b.log_flush_interval_messages); }, {}},
      {"flush.ms", Kind::kLong, 0, [](const BrokerConfig& b) { return str(b.log_flush_interval_ms); }, {}},
      {"index.interval.bytes", Kind::kInt, 0,
       [](const BrokerConfig& b) { return str(b.log_index_interval_bytes); }, {}},
      {"max.compaction.lag.ms", Kind::kLong, 1,
       [](const BrokerConfig& b) { return str(b.log_cleaner_max_compaction_lag_ms); }, {}},
      {"max.message.bytes", Kind::kInt, 0, [](const BrokerConfig& b) { return str(b.message_max_bytes); }, {}},
      {"message.timestamp.type", Kind::kChoice, 0,
       [](const BrokerConfig& b) { return b.log_message_timestamp_type; }, {"CreateTime", "LogAppendTime"}},
      {"min.cleanable.dirty.ratio", Kind::kDouble, 0,
       [](const BrokerConfig& b) { return shortestDouble(b.log_cleaner_min_cleanable_ratio); }, {}},
      {"min.compaction.lag.ms", Kind::kLong, 0,
       [](const BrokerConfig& b) { return str(b.log_cleaner_min_compaction_lag_ms); }, {}},
      {"min.insync.replicas", Kind::kInt, 1, [](const BrokerConfig&) { return std::string("1"); }, {}},
      {"preallocate", Kind::kBool, 0, [](const BrokerConfig&) { return std::string("false"); }, {}},
      {"retention.bytes", Kind::kLong, -1, [](const BrokerConfig& b) { return str(b.log_retention_bytes); }, {}},
      {"retention.ms", Kind::kLong, -1, [](const BrokerConfig& b) { return str(b.log_retention_ms); }, {}},
      {"segment.bytes", Kind::kInt, 14, [](const BrokerConfig& b) { return str(b.log_segment_bytes); }, {}},
      {"segment.index.bytes", Kind::kInt, 8,
       [](const BrokerConfig& b) { return str(b.log_index_size_max_bytes); }, {}},
      {"segment.ms", Kind::kLong, 1, [](const BrokerConfig& b) { return str(b.log_roll_ms); }, {}},
      {"unclean.leader.election.enable", Kind::kBool, 0,
       [](const BrokerConfig&) { return std::string("false"); }, {}},
  };
  return defs;
}

const ConfigDef* findDef(const std::string& name) {
  for (const auto& def : definitions()) {
    if (name == def.name) return &def;
  }
  return nullptr;
}

Status validate(const ConfigDef& def, const std::string& value) {
  auto bad = [&](const std::string& why) {
    return Status::invalidArgument("Invalid value " + value + " for configuration " + def.name + ": " + why);
  };
  switch (def.kind) {
    case Kind::kLong:
    case Kind::kInt: {
      auto v = parseInt64(value);
      if (!v) return bad("Not a number of type " + std::string(def.kind == Kind::kInt ? "INT" : "LONG"));
      if (def.kind == Kind::kInt && (*v > INT32_MAX || *v < INT32_MIN)) return bad("Not a number of type INT");
      if (*v < def.min) return bad("Value must be at least " + std::to_string(def.min));
      return Status::ok();
    }
    case Kind::kDouble: {
      char* end = nullptr;
      std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0') return bad("Not a number of type DOUBLE");
      return Status::ok();
    }
    case Kind::kBool:
      if (value != "true" && value != "false") return bad("Expected value to be either true or false");
      return Status::ok();
    case Kind::kChoice:
      if (std::find(def.choices.begin(), def.choices.end(), value) == def.choices.end()) {
        return bad("String must be one of the allowed values");
      }
      return Status::ok();
    case Kind::kList: {
      size_t start = 0;
      while (start <= value.size()) {
        size_t end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        std::string item = value.substr(start, end - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (std::find(def.choices.begin(), def.choices.end(), item) == def.choices.end()) {
          return bad("Invalid value " + item + " in list");
        }
        start = end + 1;
      }
      return Status::ok();
    }
  }
  return Status::ok();
}

int64_t asLong(const std::string& v, int64_t fallback) { return parseInt64(v).value_or(fallback); }

}  // namespace

Result<TopicConfig> TopicConfig::make(Overrides overrides) {
  for (const auto& [name, value] : overrides) {
    const ConfigDef* def = findDef(name);
    if (!def) return Status::invalidArgument("Unknown topic config name: " + name);
    RUNNEL_RETURN_IF_ERROR(validate(*def, value));
  }
  return TopicConfig(std::move(overrides));
}

std::string TopicConfig::effective(const BrokerConfig& broker, const std::string& name) const {
  if (auto it = overrides_.find(name); it != overrides_.end()) return it->second;
  const ConfigDef* def = findDef(name);
  return def ? def->broker_default(broker) : std::string();
}

std::vector<ConfigEntry> TopicConfig::describe(const BrokerConfig& broker) const {
  std::vector<ConfigEntry> entries;
  for (const auto& def : definitions()) {
    auto it = overrides_.find(def.name);
    bool overridden = it != overrides_.end();
    entries.push_back({def.name, overridden ? it->second : def.broker_default(broker), !overridden});
  }
  return entries;
}

storage::LogConfig TopicConfig::logConfig(const BrokerConfig& broker) const {
  storage::LogConfig c;
  auto get = [&](const char* name, int64_t fallback) { return asLong(effective(broker, name), fallback); };
  c.segment_bytes = get("segment.bytes", c.segment_bytes);
  c.segment_ms = get("segment.ms", c.segment_ms);
  c.retention_ms = get("retention.ms", c.retention_ms);
  c.retention_bytes = get("retention.bytes", c.retention_bytes);
  c.flush_messages = get("flush.messages", c.flush_messages);
  c.flush_ms = get("flush.ms", c.flush_ms);
  c.index_interval_bytes = int32_t(get("index.interval.bytes", c.index_interval_bytes));
  c.segment_index_bytes = int32_t(get("segment.index.bytes", c.segment_index_bytes));
  c.log_append_time = effective(broker, "message.timestamp.type") == "LogAppendTime";
  c.delete_retention = effective(broker, "cleanup.policy").find("delete") != std::string::npos;
  c.producer_id_expiration_ms = broker.producer_id_expiration_ms;
  return c;
}

int32_t TopicConfig::maxMessageBytes(const BrokerConfig& broker) const {
  return int32_t(asLong(effective(broker, "max.message.bytes"), broker.message_max_bytes));
}

}  // namespace runnel::broker
