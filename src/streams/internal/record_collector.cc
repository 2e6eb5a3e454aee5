#include "streams/internal/log.h"
#include "streams/internal/record_collector.h"

#include <algorithm>

#include "streams/processor.h"

namespace runnel::streams::internal {

RecordCollector::RecordCollector(client::Producer* producer, StreamsConfig::ProductionHandling handling)
    : producer_(producer), handling_(handling) {
  producer_->setDeliveryCallback([this](const client::DeliveryReport& report) {
    if (report.status.isOk()) {
      // Checkpoints need where each changelog got to; other topics need nothing.
      if (report.topic.ends_with("-changelog")) {
        int64_t& end = changelog_offsets_[{std::string(report.topic), report.partition}];
        end = std::max(end, report.offset + 1);
      }
      return;
    }
    if (handling_ == StreamsConfig::ProductionHandling::kContinue) {
      ++skipped_;
      log().warn("Error sending record to topic {} (continuing as the production exception handler says): {}",
                   report.topic, report.status.message());
      return;
    }
    if (first_error_.isOk()) {
      first_error_ = Status::ioError("Error encountered sending record to topic " + std::string(report.topic) +
                                     ": " + report.status.message());
    }
  });
}

void RecordCollector::throwIfFailed() {
  if (!first_error_.isOk()) throw StreamsException(first_error_.message());
}

void RecordCollector::send() {
  throwIfFailed();
  Status status = producer_->send(scratch_);
  if (!status.isOk()) {
    if (handling_ == StreamsConfig::ProductionHandling::kContinue) {
      ++skipped_;
      log().warn("Error sending record to topic {} (continuing): {}", scratch_.topic, status.message());
      return;
    }
    throw StreamsException("Error encountered sending record to topic " + scratch_.topic + ": " + status.message());
  }
}

Status RecordCollector::flush(std::chrono::milliseconds timeout) {
  Status status = producer_->flush(timeout);
  if (!first_error_.isOk()) return first_error_;
  if (status.code() == Status::Code::kTimedOut) return status;
  // Per-record failures were already seen by the delivery callback.
  return Status::ok();
}

}  // namespace runnel::streams::internal
