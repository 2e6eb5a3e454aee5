#pragma once

#include <map>
#include <string>
#include <vector>

#include "broker/broker_config.h"
#include "common/result.h"
#include "storage/partition_log.h"

namespace runnel::broker {

// One entry of a topic's configuration as DescribeConfigs reports it.
struct ConfigEntry {
  std::string name;
  std::string value;
  bool is_default = true;  // no per-topic override
};

// A topic's per-topic overrides (Kafka's topic-level configs) over the broker defaults.
class TopicConfig {
 public:
  using Overrides = std::map<std::string, std::string>;

  TopicConfig() = default;
  // Validates every override (known name, value of the right type and range).
  static Result<TopicConfig> make(Overrides overrides);

  const Overrides& overrides() const { return overrides_; }
  // Every known topic config with its effective value, sorted by name.
  std::vector<ConfigEntry> describe(const BrokerConfig& broker) const;
  std::string effective(const BrokerConfig& broker, const std::string& name) const;
  storage::LogConfig logConfig(const BrokerConfig& broker) const;
  int32_t maxMessageBytes(const BrokerConfig& broker) const;

 private:
  explicit TopicConfig(Overrides overrides) : overrides_(std::move(overrides)) {}

  Overrides overrides_;
};

}  // namespace runnel::broker
