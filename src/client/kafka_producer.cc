#include <atomic>
#include <string>

#include "client/kafka_client.h"
#include "client/rdkafka_support.h"

namespace runnel::client {
namespace {

using rdkafka::toStatus;

class KafkaProducer final : public Producer {
 public:
  void attach(rd_kafka_t* rk) { rk_ = rk; }

  ~KafkaProducer() override {
    if (rk_ == nullptr) return;
    // Dropping what is still queued lets the process exit now instead of after
    // message.timeout.ms; callers that care flush() first.
    rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(rk_, 0);
    rd_kafka_destroy(rk_);
  }

  static void onDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
    static_cast<KafkaProducer*>(opaque)->delivered(msg);
  }

  void setDeliveryCallback(DeliveryCallback callback) override { callback_ = std::move(callback); }

  Status send(const ProducerRecord& record) override {
    rd_kafka_headers_t* headers = nullptr;
    if (!record.headers.empty()) {
      headers = rd_kafka_headers_new(record.headers.size());
      for (const Header& h : record.headers) {
        rd_kafka_header_add(headers, h.key.data(), static_cast<ssize_t>(h.key.size()),
                            h.value ? h.value->data() : nullptr, h.value ? h.value->size() : 0);
      }
    }
    const void* key = record.key ? record.key->data() : nullptr;
    size_t key_size = record.key ? record.key->size() : 0;
    void* value = record.value ? const_cast<char*>(record.value->data()) : nullptr;
    size_t value_size = record.value ? record.value->size() : 0;
    while (true) {
      rd_kafka_resp_err_t err = rd_kafka_producev(
          rk_, RD_KAFKA_V_TOPIC(record.topic.c_str()), RD_KAFKA_V_PARTITION(record.partition),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key, key_size),
          RD_KAFKA_V_VALUE(value, value_size), RD_KAFKA_V_TIMESTAMP(record.timestamp),
          RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++outstanding_;  // the headers now belong to the message
        return Status::ok();
      }
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        if (headers) rd_kafka_headers_destroy(headers);
        if (err == RD_KAFKA_RESP_ERR__FATAL) return fatalError();
        return toStatus(err, "cannot send to topic " + record.topic + ": " + rd_kafka_err2str(err));
      }
      // The queue drains as deliveries complete; serving them makes room.
      rd_kafka_poll(rk_, 100);
    }
  }

  void poll(std::chrono::milliseconds timeout) override { rd_kafka_poll(rk_, static_cast<int>(timeout.count())); }

  Status flush(std::chrono::milliseconds timeout) override {
    rd_kafka_resp_err_t err = rd_kafka_flush(rk_, static_cast<int>(timeout.count()));
    if (err == RD_KAFKA_RESP_ERR__TIMED_OUT) {
      return Status::timedOut(std::to_string(rd_kafka_outq_len(rk_)) + " records still queued after " +
                              std::to_string(timeout.count()) + " ms");
    }
    if (failures_ == 0) return Status::ok();
    std::string text = std::to_string(failures_) + (failures_ == 1 ? " record was" : " records were") +
                       " not delivered; first error: " + first_failure_.message();
    Status::Code code = first_failure_.code();
    failures_ = 0;
    first_failure_ = Status::ok();
    return code == Status::Code::kTimedOut ? Status::timedOut(text) : Status::ioError(text);
  }

  int64_t outstanding() const override { return outstanding_; }

 private:
  void delivered(const rd_kafka_message_t* msg) {
    --outstanding_;
    DeliveryReport report;
    report.topic = rd_kafka_topic_name(msg->rkt);
    report.partition = msg->partition;
    report.offset = msg->offset;
    report.timestamp = rd_kafka_message_timestamp(msg, nullptr);
    if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      report.status = toStatus(msg->err, std::string(report.topic) + ": " + rd_kafka_err2str(msg->err));
      if (failures_++ == 0) first_failure_ = report.status;
    }
    if (callback_) callback_(report);
  }

  Status fatalError() {
    char errstr[512];
    rd_kafka_resp_err_t err = rd_kafka_fatal_error(rk_, errstr, sizeof errstr);
    return toStatus(err, errstr);
  }

  rd_kafka_t* rk_ = nullptr;
  DeliveryCallback callback_;
  int64_t outstanding_ = 0;
  int64_t failures_ = 0;
  Status first_failure_;
};

}  // namespace

Result<std::unique_ptr<Producer>> makeKafkaProducer(const ClientConfig& config) {
  RUNNEL_ASSIGN_OR_RETURN(rd_kafka_conf_t * conf, rdkafka::makeConf(config, rdkafka::ClientKind::kProducer));
  // The delivery callback finds the producer through the handle's opaque, which must be
  // set before the handle exists.
  auto producer = std::make_unique<KafkaProducer>();
  rd_kafka_conf_set_dr_msg_cb(conf, &KafkaProducer::onDelivery);
  rd_kafka_conf_set_opaque(conf, producer.get());
  RUNNEL_ASSIGN_OR_RETURN(rd_kafka_t * rk, rdkafka::makeHandle(RD_KAFKA_PRODUCER, conf));
  producer->attach(rk);
  return std::unique_ptr<Producer>(std::move(producer));
}

}  // namespace runnel::client
