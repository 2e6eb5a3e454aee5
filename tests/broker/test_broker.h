#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "broker/broker.h"

namespace runnel::testing {

// A broker on a free loopback port over a fresh temporary log dir, removed afterwards.
class TestBroker {
 public:
  // `configure` adjusts the broker config (group timeouts, ...) on every start.
  explicit TestBroker(std::filesystem::path dir = {}, std::function<void(broker::BrokerConfig&)> configure = {})
      : configure_(std::move(configure)) {
    if (dir.empty()) {
      dir = std::filesystem::temp_directory_path() /
            ("runnel-broker-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
      owns_dir_ = true;
    }
    dir_ = dir;
    start();
  }
  ~TestBroker() {
    broker_.reset();
    if (owns_dir_) std::filesystem::remove_all(dir_);
  }

  void start() {
    broker::BrokerConfig config;
    config.listener = {"127.0.0.1", port_};
    config.log_dirs = {dir_.string()};
    config.num_io_threads = 2;
    config.offsets_topic_num_partitions = 3;
    if (configure_) configure_(config);
    auto started = broker::Broker::start(config);
    if (!started) throw std::runtime_error(started.status().toString());
    broker_ = std::move(started).value();
    port_ = broker_->port();
  }
  void restart() {
    broker_.reset();
    start();
  }

  uint16_t port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::function<void(broker::BrokerConfig&)> configure_;
  std::filesystem::path dir_;
  bool owns_dir_ = false;
  uint16_t port_ = 0;
  std::unique_ptr<broker::Broker> broker_;
};

}  // namespace runnel::testing
