#include "server/command_log.h"

#include <fmt/format.h>

#include "client/kafka_client.h"
#include "common/json_reader.h"
#include "common/json_writer.h"

namespace runnel::server {
namespace {

constexpr auto kTimeout = std::chrono::seconds(30);

std::string encode(const Command& command) {
  std::string out;
  json::Writer writer(out);
  writer.startObject();
  writer.writeKey("statement");
  writer.writeString(command.statement);
  writer.writeKey("streamsProperties");
  writer.startObject();
  for (const auto& [name, value] : command.properties) {
    writer.writeKey(name);
    writer.writeString(value);
  }
  writer.endObject();
  writer.writeKey("origin");
  writer.writeString(command.origin);
  writer.endObject();
  return out;
}

Result<Command> decode(std::string_view text) {
  json::Parser parser;
  RUNNEL_ASSIGN_OR_RETURN(auto root, parser.parse(text));
  RUNNEL_ASSIGN_OR_RETURN(auto object, root.getObject());
  Command command;
  auto statement = object.find("statement");
  if (!statement) return Status::corruption("a command without a statement");
  RUNNEL_ASSIGN_OR_RETURN(auto statement_text, statement->getString());
  command.statement = std::string(statement_text);
  if (auto properties = object.find("streamsProperties")) {
    RUNNEL_ASSIGN_OR_RETURN(auto members, properties->getObject());
    for (auto [name, value] : members) {
      RUNNEL_ASSIGN_OR_RETURN(auto value_text, value.getString());
      command.properties[std::string(name)] = std::string(value_text);
    }
  }
  if (auto origin = object.find("origin")) {
    RUNNEL_ASSIGN_OR_RETURN(auto origin_text, origin->getString());
    command.origin = std::string(origin_text);
  }
  return command;
}

}  // namespace

CommandLog::CommandLog(std::string bootstrap_servers, std::string topic)
    : bootstrap_servers_(std::move(bootstrap_servers)), topic_(std::move(topic)) {}
CommandLog::~CommandLog() = default;

Result<std::unique_ptr<CommandLog>> CommandLog::open(const std::string& bootstrap_servers,
                                                    const std::string& service_id) {
  std::unique_ptr<CommandLog> log(
      new CommandLog(bootstrap_servers, fmt::format("_confluent-ksql-{}_command_topic", service_id)));
  client::ClientConfig config{{"bootstrap.servers", bootstrap_servers}};
  RUNNEL_ASSIGN_OR_RETURN(log->admin_, client::makeKafkaAdmin(config));
  auto metadata = log->admin_->metadata(std::vector<std::string>{log->topic_});
  bool exists = metadata.isOk() && !metadata->topics.empty() && metadata->topics.front().error.isOk() &&
                !metadata->topics.front().partitions.empty();
  if (!exists) {
    // One partition keeps the commands in order; they are never deleted.
    RUNNEL_RETURN_IF_ERROR(log->admin_->createTopics({{log->topic_, 1, -1, {{"retention.ms", "-1"}}}}));
  }
  RUNNEL_ASSIGN_OR_RETURN(log->reader_, client::makeKafkaConsumer(config));
  RUNNEL_RETURN_IF_ERROR(log->reader_->assign({{log->topic_, 0, client::kOffsetBeginning}}));
  config["enable.idempotence"] = "true";
  RUNNEL_ASSIGN_OR_RETURN(log->producer_, client::makeKafkaProducer(config));
  return log;
}

Result<std::vector<Command>> CommandLog::readAll() {
  RUNNEL_ASSIGN_OR_RETURN(auto ends, admin_->listOffsets({{topic_, 0}}, client::OffsetSpec::latest()));
  int64_t end = ends.empty() ? 0 : ends.front().offset;
  std::vector<Command> commands;
  auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (next_offset_ < end) {
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::timedOut(
          fmt::format("reading the command topic {} stopped at offset {} of {}", topic_, next_offset_, end));
    }
    RUNNEL_ASSIGN_OR_RETURN(auto more, readNew(std::chrono::milliseconds(200)));
    for (auto& command : more) commands.push_back(std::move(command));
  }
  return commands;
}

Result<std::vector<Command>> CommandLog::readNew(std::chrono::milliseconds timeout) {
  std::vector<Command> commands;
  for (;;) {
    RUNNEL_ASSIGN_OR_RETURN(auto polled, reader_->poll(commands.empty() ? timeout : std::chrono::milliseconds(0)));
    if (polled.kind != client::PollResult::Kind::kMessage) return commands;
    next_offset_ = polled.message.offset + 1;
    if (!polled.message.value) continue;
    auto command = decode(*polled.message.value);
    if (!command.isOk()) {
      return Status::corruption(fmt::format("command {} of {}: {}", polled.message.offset, topic_,
                                            command.status().message()));
    }
    commands.push_back(std::move(*command));
  }
}

Status CommandLog::append(const Command& command) {
  client::ProducerRecord record;
  record.topic = topic_;
  record.partition = 0;
  record.key = "statement";
  record.value = encode(command);
  RUNNEL_RETURN_IF_ERROR(producer_->send(record));
  return producer_->flush(kTimeout);
}

}  // namespace runnel::server
