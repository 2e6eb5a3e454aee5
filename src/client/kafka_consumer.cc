#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "client/kafka_client.h"
#include "client/rdkafka_support.h"

namespace runnel::client {
namespace {

using rdkafka::toStatus;

TimestampType timestampType(rd_kafka_timestamp_type_t type) {
  switch (type) {
    case RD_KAFKA_TIMESTAMP_CREATE_TIME: return TimestampType::kCreateTime;
    case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: return TimestampType::kLogAppendTime;
    default: return TimestampType::kNotAvailable;
  }
}

// Takes ownership of `error`.
Status takeError(rd_kafka_error_t* error) {
  if (error == nullptr) return Status::ok();
  Status status = toStatus(rd_kafka_error_code(error), rd_kafka_error_string(error));
  rd_kafka_error_destroy(error);
  return status;
}

// Fills `out` with the message's headers, reusing the strings already in it; false when
// the message has none.
bool readHeaders(const rd_kafka_message_t* msg, std::vector<Header>& out) {
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(msg, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR || headers == nullptr) return false;
  size_t count = rd_kafka_header_cnt(headers);
  if (count == 0) return false;
  out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    const char* name;
    const void* value;
    size_t size;
    rd_kafka_header_get_all(headers, i, &name, &value, &size);
    Header& h = out[i];
    h.key.assign(name);
    if (value == nullptr) {
      h.value.reset();
    } else if (h.value) {
      h.value->assign(static_cast<const char*>(value), size);
    } else {
      h.value.emplace(static_cast<const char*>(value), size);
    }
  }
  return true;
}

std::vector<TopicPartition> toPartitions(const rd_kafka_topic_partition_list_t* list) {
  std::vector<TopicPartition> out;
  out.reserve(size_t(list->cnt));
  for (int i = 0; i < list->cnt; ++i) out.push_back({list->elems[i].topic, list->elems[i].partition});
  return out;
}

MessageView toView(const rd_kafka_message_t* msg) {
  MessageView out;
  out.topic = rd_kafka_topic_name(msg->rkt);
  out.partition = msg->partition;
  out.offset = msg->offset;
  rd_kafka_timestamp_type_t type;
  out.timestamp = rd_kafka_message_timestamp(msg, &type);
  out.timestamp_type = timestampType(type);
  if (msg->key) out.key.emplace(static_cast<const char*>(msg->key), msg->key_len);
  if (msg->payload) out.value.emplace(static_cast<const char*>(msg->payload), msg->len);
  return out;
}

Message toMessage(const rd_kafka_message_t* msg) {
  MessageView view = toView(msg);
  Message out;
  out.topic = view.topic;
  out.partition = view.partition;
  out.offset = view.offset;
  out.timestamp = view.timestamp;
  out.timestamp_type = view.timestamp_type;
  if (view.key) out.key.emplace(*view.key);
  if (view.value) out.value.emplace(*view.value);
  readHeaders(msg, out.headers);
  return out;
}

class KafkaConsumer final : public Consumer {
 public:
  explicit KafkaConsumer(RebalanceListener* listener) : listener_(listener) {}
  void attach(rd_kafka_t* rk) { rk_ = rk; }

  ~KafkaConsumer() override {
    if (rk_ == nullptr) return;
    (void)close();
    if (queue_) rd_kafka_queue_destroy(queue_);
    rd_kafka_destroy(rk_);
  }

  static void onRebalance(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                          void* opaque) {
    static_cast<KafkaConsumer*>(opaque)->rebalance(err, partitions);
  }

  Status assign(const std::vector<TopicPartitionOffset>& partitions) override {
    auto list = rdkafka::toList(partitions);
    return toStatus(rd_kafka_assign(rk_, list.get()));
  }

  Status subscribe(const std::vector<std::string>& topics) override {
    rdkafka::PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(topics.size())));
    for (const auto& t : topics) rd_kafka_topic_partition_list_add(list.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
    return toStatus(rd_kafka_subscribe(rk_, list.get()));
  }

  Status seek(const TopicPartitionOffset& position, std::chrono::milliseconds timeout) override {
    auto list = rdkafka::toList(std::vector<TopicPartitionOffset>{position});
    Status sought = takeError(rd_kafka_seek_partitions(rk_, list.get(), static_cast<int>(timeout.count())));
    if (!sought.isOk()) return sought;
    return rdkafka::fromList(list.get()).status();
  }

  Result<size_t> pollBatch(std::chrono::milliseconds timeout, size_t max_messages,
                           const std::function<void(const MessageView&)>& fn) override {
    if (!rebalance_failure_.isOk()) return std::exchange(rebalance_failure_, Status::ok());
    // The consumer queue also carries the main queue's events (rd_kafka_poll_set_consumer),
    // so this call serves rebalance callbacks too, between records. Messages it gathered
    // for partitions a callback revoked are dropped by librdkafka (since 1.9).
    if (!queue_) queue_ = rd_kafka_queue_get_consumer(rk_);
    batch_.resize(std::max<size_t>(max_messages, 1));
    ssize_t n = rd_kafka_consume_batch_queue(queue_, static_cast<int>(timeout.count()), batch_.data(), batch_.size());
    if (n < 0) return toStatus(rd_kafka_last_error(), "consume failed");
    size_t handed = 0;
    for (ssize_t i = 0; i < n; ++i) {
      rd_kafka_message_t* msg = batch_[size_t(i)];
      if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        MessageView view = toView(msg);
        if (readHeaders(msg, header_scratch_)) view.headers = &header_scratch_;
        fn(view);
        ++handed;
      }
      rd_kafka_message_destroy(msg);
    }
    return handed;
  }

  Result<PollResult> poll(std::chrono::milliseconds timeout) override {
    if (!rebalance_failure_.isOk()) return std::exchange(rebalance_failure_, Status::ok());
    PollResult result;
    rd_kafka_message_t* msg = rd_kafka_consumer_poll(rk_, static_cast<int>(timeout.count()));
    if (msg == nullptr) return result;
    struct Destroy {
      rd_kafka_message_t* m;
      ~Destroy() { rd_kafka_message_destroy(m); }
    } destroy{msg};
    if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      result.kind = PollResult::Kind::kMessage;
      result.message = toMessage(msg);
    } else if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      result.kind = PollResult::Kind::kPartitionEof;
      result.eof = {rd_kafka_topic_name(msg->rkt), msg->partition, msg->offset};
    } else if (msg->err == RD_KAFKA_RESP_ERR__FATAL) {
      char errstr[512];
      rd_kafka_resp_err_t err = rd_kafka_fatal_error(rk_, errstr, sizeof errstr);
      return toStatus(err, errstr);
    } else {
      result.kind = PollResult::Kind::kError;
      result.error = toStatus(msg->err, rd_kafka_message_errstr(msg));
    }
    return result;
  }

  Status commitSync(const std::vector<TopicPartitionOffset>& offsets) override {
    rd_kafka_resp_err_t err;
    if (offsets.empty()) {
      err = rd_kafka_commit(rk_, nullptr, 0);
      // Nothing consumed since the last commit is not a failure.
      if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return Status::ok();
    } else {
      auto list = rdkafka::toList(offsets);
      err = rd_kafka_commit(rk_, list.get(), 0);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return rdkafka::fromList(list.get()).status();
    }
    return toStatus(err);
  }

  Result<std::vector<TopicPartitionOffset>> position(const std::vector<TopicPartition>& partitions) override {
    auto list = rdkafka::toList(partitions);
    if (auto err = rd_kafka_position(rk_, list.get())) return toStatus(err);
    return rdkafka::fromList(list.get());
  }

  Result<std::vector<TopicPartitionOffset>> committed(const std::vector<TopicPartition>& partitions,
                                                      std::chrono::milliseconds timeout) override {
    auto list = rdkafka::toList(partitions);
    if (auto err = rd_kafka_committed(rk_, list.get(), static_cast<int>(timeout.count()))) return toStatus(err);
    return rdkafka::fromList(list.get());
  }

  Result<std::vector<TopicPartition>> assignment() override {
    rd_kafka_topic_partition_list_t* raw = nullptr;
    if (auto err = rd_kafka_assignment(rk_, &raw)) return toStatus(err);
    rdkafka::PartitionList list(raw);
    return toPartitions(list.get());
  }

  Status pause(const std::vector<TopicPartition>& partitions) override {
    auto list = rdkafka::toList(partitions);
    if (auto err = rd_kafka_pause_partitions(rk_, list.get())) return toStatus(err);
    return rdkafka::fromList(list.get()).status();
  }

  Status resume(const std::vector<TopicPartition>& partitions) override {
    auto list = rdkafka::toList(partitions);
    if (auto err = rd_kafka_resume_partitions(rk_, list.get())) return toStatus(err);
    return rdkafka::fromList(list.get()).status();
  }

  Result<std::vector<TopicPartition>> partitionsFor(const std::string& topic,
                                                    std::chrono::milliseconds timeout) override {
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk_, topic.c_str(), nullptr);
    const rd_kafka_metadata_t* raw = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk_, 0, rkt, &raw, static_cast<int>(timeout.count()));
    rd_kafka_topic_destroy(rkt);
    if (err) return toStatus(err);
    rdkafka::MetadataPtr md(raw);
    for (int i = 0; i < md->topic_cnt; ++i) {
      const auto& t = md->topics[i];
      if (topic != t.topic) continue;
      if (t.err) return toStatus(t.err, "topic " + topic + ": " + rd_kafka_err2str(t.err));
      std::vector<TopicPartition> out;
      for (int p = 0; p < t.partition_cnt; ++p) out.push_back({topic, t.partitions[p].id});
      std::sort(out.begin(), out.end());
      return out;
    }
    return toStatus(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, "topic " + topic + " does not exist");
  }

  Status close() override {
    if (closed_) return Status::ok();
    closed_ = true;
    // Closing revokes the assignment through the rebalance callback.
    Status closed = toStatus(rd_kafka_consumer_close(rk_));
    if (!closed.isOk()) return closed;
    return std::exchange(rebalance_failure_, Status::ok());
  }

 private:
  // librdkafka hands the assignment to the application once a rebalance_cb is set: the
  // listener sees partitions only while they are really assigned.
  void rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions) {
    // The protocol reads as NULL once the group handle is shutting down (seen while
    // closing); the assignment being revoked then was made under the last known one.
    if (const char* protocol = rd_kafka_rebalance_protocol(rk_)) {
      cooperative_ = std::string_view(protocol) == "COOPERATIVE";
    }
    const bool cooperative = cooperative_;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      Status assigned = cooperative ? takeError(rd_kafka_incremental_assign(rk_, partitions))
                                    : toStatus(rd_kafka_assign(rk_, partitions));
      if (!assigned.isOk()) {
        noteRebalanceFailure(std::move(assigned));
        return;
      }
      listener_->onPartitionsAssigned(toPartitions(partitions));
    } else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
      // Still assigned while the listener runs, so that it can commit their offsets.
      if (rd_kafka_assignment_lost(rk_)) {
        listener_->onPartitionsLost(toPartitions(partitions));
      } else {
        listener_->onPartitionsRevoked(toPartitions(partitions));
      }
      noteRebalanceFailure(cooperative ? takeError(rd_kafka_incremental_unassign(rk_, partitions))
                                       : toStatus(rd_kafka_assign(rk_, nullptr)));
    } else {
      // The rebalance failed (e.g. the assignment could not be decoded); librdkafka wants
      // the assignment cleared, and whatever was assigned may already be someone else's.
      auto owned = assignment();
      if (owned.isOk() && !owned->empty()) listener_->onPartitionsLost(*owned);
      noteRebalanceFailure(toStatus(rd_kafka_assign(rk_, nullptr)));
    }
  }

  // A failed (incremental) assign leaves librdkafka and the listener disagreeing about the
  // assignment; the next poll(), pollBatch() or close() reports it.
  void noteRebalanceFailure(Status status) {
    if (!status.isOk() && rebalance_failure_.isOk()) rebalance_failure_ = std::move(status);
  }

  rd_kafka_t* rk_ = nullptr;
  RebalanceListener* listener_;
  rd_kafka_queue_t* queue_ = nullptr;
  std::vector<rd_kafka_message_t*> batch_;
  std::vector<Header> header_scratch_;  // the headers of the record pollBatch() is handing over
  Status rebalance_failure_;
  bool cooperative_ = false;
  bool closed_ = false;
};

}  // namespace

Result<std::unique_ptr<Consumer>> makeKafkaConsumer(const ClientConfig& config) {
  return makeKafkaConsumer(config, nullptr);
}

Result<std::unique_ptr<Consumer>> makeKafkaConsumer(const ClientConfig& config, RebalanceListener* listener) {
  RUNNEL_ASSIGN_OR_RETURN(rd_kafka_conf_t * conf, rdkafka::makeConf(config, rdkafka::ClientKind::kConsumer));
  auto consumer = std::make_unique<KafkaConsumer>(listener);
  if (listener != nullptr) {
    // The callback finds the consumer through the handle's opaque, which must be set
    // before the handle exists.
    rd_kafka_conf_set_rebalance_cb(conf, &KafkaConsumer::onRebalance);
    rd_kafka_conf_set_opaque(conf, consumer.get());
  }
  RUNNEL_ASSIGN_OR_RETURN(rd_kafka_t * rk, rdkafka::makeHandle(RD_KAFKA_CONSUMER, conf));
  consumer->attach(rk);
  // Route all events to rd_kafka_consumer_poll() and the consumer queue.
  rd_kafka_poll_set_consumer(rk);
  return std::unique_ptr<Consumer>(std::move(consumer));
}

}  // namespace runnel::client
