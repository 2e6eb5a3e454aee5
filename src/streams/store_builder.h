#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "streams/state_store.h"

namespace runnel::streams {

// Builds a store of type T per task, as Kafka Streams' StoreBuilder<T>, and records how
// the store is to be logged and cached. Made by Stores::keyValueStoreBuilder() and
// shared with the topology; the with...() calls chain as in Kafka:
//   Stores::keyValueStoreBuilder(supplier, keys, values)->withCachingEnabled()
// Defaults as Kafka's: logging enabled with no topic configs, caching disabled.
template <class T>
class StoreBuilder final : public StoreBuilderBase, public std::enable_shared_from_this<StoreBuilder<T>> {
 public:
  using Factory = std::function<std::unique_ptr<T>()>;
  using LogConfig = std::map<std::string, std::string>;

  static std::shared_ptr<StoreBuilder> make(std::string name, Factory factory) {
    return std::shared_ptr<StoreBuilder>(new StoreBuilder(std::move(name), std::move(factory)));
  }

  const std::string& name() const override { return name_; }
  // A fresh, unopened store on every call.
  std::unique_ptr<StateStore> build() const override { return factory_(); }
  std::unique_ptr<T> buildStore() const { return factory_(); }

  // `config`: topic configs of the changelog ("cleanup.policy", ...).
  std::shared_ptr<StoreBuilder> withLoggingEnabled(LogConfig config) {
    logging_enabled_ = true;
    log_config_ = std::move(config);
    return this->shared_from_this();
  }
  std::shared_ptr<StoreBuilder> withLoggingDisabled() {
    logging_enabled_ = false;
    log_config_.clear();
    return this->shared_from_this();
  }
  std::shared_ptr<StoreBuilder> withCachingEnabled() {
    caching_enabled_ = true;
    return this->shared_from_this();
  }
  std::shared_ptr<StoreBuilder> withCachingDisabled() {
    caching_enabled_ = false;
    return this->shared_from_this();
  }

  bool loggingEnabled() const override { return logging_enabled_; }
  const LogConfig& logConfig() const override { return log_config_; }
  bool cachingEnabled() const override { return caching_enabled_; }

 private:
  StoreBuilder(std::string name, Factory factory) : name_(std::move(name)), factory_(std::move(factory)) {}

  std::string name_;
  Factory factory_;
  bool logging_enabled_ = true;
  LogConfig log_config_;
  bool caching_enabled_ = false;
};

}  // namespace runnel::streams
