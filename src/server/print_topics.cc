#include "server/print_topics.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "client/consumer.h"
#include "client/kafka_client.h"
#include "net/http_server.h"
#include "server/record_formatter.h"
#include "server/rest_entities.h"
#include "sql/ast.h"

namespace runnel::server {
namespace {

// How long a poll waits before PRINT writes an empty line, as ksqlDB's disconnect check.
constexpr auto kPollInterval = std::chrono::milliseconds(1000);
constexpr auto kMetadataTimeout = std::chrono::seconds(10);
constexpr auto kSlowClientGrace = std::chrono::seconds(30);
constexpr size_t kMaxBatch = 500;

// The key and value formats last printed; a line for each that changed.
struct FormatsTracker {
  std::vector<std::string> keys{"(none printed yet)"};
  std::vector<std::string> values{"(none printed yet)"};

  std::string update(const RecordFormatter& formatter) {
    std::string out;
    auto update = [&out](std::vector<std::string>& previous, std::vector<std::string> current, const char* prefix) {
      if (previous == current) return;
      out += formatsLine(prefix, current) + "\n";
      previous = std::move(current);
    };
    update(keys, formatter.possibleKeyFormats(), "Key format: ");
    update(values, formatter.possibleValueFormats(), "Value format: ");
    return out;
  }
};

}  // namespace

struct PrintTopics::Running {
  sql::Print print;
  std::unique_ptr<client::Consumer> consumer;
  std::shared_ptr<net::ResponseStream> stream;
  std::thread thread;
  std::atomic<bool> finished{false};

  // False once the client is gone (or too slow to keep).
  bool send(const std::string& text) {
    auto result = stream->write(text);
    if (result == net::ResponseStream::WriteResult::kSlowClient && stream->waitForSpace(text.size(), kSlowClientGrace)) {
      result = stream->write(text);
    }
    if (result == net::ResponseStream::WriteResult::kSlowClient) stream->abort();
    return result == net::ResponseStream::WriteResult::kOk;
  }
};

PrintTopics::PrintTopics(client::ClientConfig consumer_config) : consumer_config_(std::move(consumer_config)) {
  consumer_config_["enable.auto.commit"] = "false";
  consumer_config_.try_emplace("group.id", "_confluent-ksql-print");
}

PrintTopics::~PrintTopics() {
  stopping_ = true;
  std::lock_guard lock(mutex_);
  for (auto& running : running_) {
    if (running->thread.joinable()) running->thread.join();
  }
}

net::Response PrintTopics::start(const sql::Print& print, const std::string& statement_text) {
  auto not_found = [&] {
    return net::Response::json(
        400, statementError(fmt::format("Could not find topic '{}', or the KSQL user does not have permissions to "
                                        "list the topic. Topic names are case-sensitive.",
                                        print.topic),
                            statement_text, {}));
  };
  if (print.interval < 1) {
    return net::Response::json(
        400, statementError(fmt::format("INTERVAL must be greater than one, but was: {}", print.interval),
                            statement_text, {}));
  }
  auto consumer = client::makeKafkaConsumer(consumer_config_);
  if (!consumer.isOk()) return net::Response::json(500, genericError(kServerError, consumer.status().message()));
  auto partitions = (*consumer)->partitionsFor(print.topic, kMetadataTimeout);
  if (!partitions.isOk() || partitions->empty()) return not_found();
  std::vector<client::TopicPartitionOffset> assignment;
  for (const auto& partition : *partitions) {
    assignment.push_back({print.topic, partition.partition,
                          print.from_beginning ? client::kOffsetBeginning : client::kOffsetEnd});
  }
  Status assigned = (*consumer)->assign(assignment);
  if (!assigned.isOk()) return net::Response::json(500, genericError(kServerError, assigned.message()));

  reapFinished();
  auto owned = std::make_unique<Running>();
  owned->print = print;
  owned->consumer = std::move(*consumer);
  Running* running = owned.get();
  {
    std::lock_guard lock(mutex_);
    running_.push_back(std::move(owned));
  }
  return net::Response::streaming(200, "application/json", [this, running](std::shared_ptr<net::ResponseStream> stream) {
    std::lock_guard lock(mutex_);  // reapFinished() must not see the thread half-assigned
    running->stream = std::move(stream);
    running->thread = std::thread([this, running] { run(*running); });
  });
}

void PrintTopics::run(Running& running) {
  RecordFormatter formatter;
  FormatsTracker formats;
  int64_t polled = 0;
  int64_t written = 0;
  auto limit_reached = [&] { return running.print.limit && written >= *running.print.limit; };
  std::vector<PrintedRecord> batch;
  while (!stopping_ && running.stream->isOpen() && !limit_reached()) {
    batch.clear();
    auto count = running.consumer->pollBatch(kPollInterval, kMaxBatch, [&](const client::MessageView& message) {
      batch.push_back({message.timestamp, message.key ? std::optional<std::string>(*message.key) : std::nullopt,
                       message.value ? std::optional<std::string>(*message.value) : std::nullopt,
                       message.partition});
    });
    if (!count.isOk()) {
      spdlog::warn("PRINT {}: {}", running.print.topic, count.status().message());
      running.send(count.status().message() + "\n");
      break;
    }
    if (batch.empty()) {
      if (!running.send("\n")) break;
      continue;
    }
    std::vector<std::string> lines = formatter.format(batch);
    std::string records;
    for (const auto& line : lines) {
      if (polled++ % running.print.interval == 0) {
        ++written;
        records += line + "\n";
      }
      if (limit_reached()) break;
    }
    if (!running.send(formats.update(formatter) + records)) break;
  }
  running.stream->close();
  (void)running.consumer->close();
  running.finished = true;
}

void PrintTopics::reapFinished() {
  std::lock_guard lock(mutex_);
  std::erase_if(running_, [](const std::unique_ptr<Running>& running) {
    if (!running->finished) return false;
    running->thread.join();
    return true;
  });
}

}  // namespace runnel::server
