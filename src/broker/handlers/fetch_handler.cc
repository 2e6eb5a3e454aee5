#include <algorithm>
#include <mutex>
#include <chrono>

#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_manager.h"
#include "protocol/messages/fetch.h"

namespace runnel::broker {

using protocol::ErrorCode;
using protocol::FetchRequest;
using protocol::FetchResponse;

namespace {

// A Fetch that may wait: answered at once when min_bytes are there (or on error), else
// when an append to one of its partitions brings enough data, or at max_wait_ms.
class FetchOperation : public std::enable_shared_from_this<FetchOperation> {
 public:
  FetchOperation(BrokerContext& context, const Request& request, Responder responder, FetchRequest req)
      : context_(context),
        version_(request.version()),
        correlation_id_(request.header.correlation_id),
        responder_(std::move(responder)),
        req_(std::move(req)) {
    int64_t wait = std::clamp<int64_t>(req_.max_wait_ms, 0, context.config.fetch_max_wait_cap_ms);
    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait);
  }

  void start() {
    if (attempt(/*final=*/false)) return;
    auto self = shared_from_this();
    waker_ = std::make_shared<AppendWaiters::Waker>([weak = std::weak_ptr<FetchOperation>(self)] {
      if (auto op = weak.lock()) {
        op->context_.scheduler.post([op] { op->attempt(false); });
      }
    });
    // Registering after the first read could miss an append in between: attempt()
    // registers before it reads, and the op stays alive through the timer.
    attempt(false);
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
    context_.scheduler.runAfter(std::max(wait, std::chrono::milliseconds(0)), [self] { self->attempt(true); });
  }

 private:
  // Reads every partition; answers and returns true if the response is due.
  bool attempt(bool final) {
    std::lock_guard lock(mu_);  // a wake-up and the timer may race
    if (done_) return true;
    if (waker_) {
      for (const auto& partition : watched_) partition->waiters.add(waker_);
    }
    FetchResponse response;
    std::vector<Bytes> buffers;
    size_t total_bytes = 0;
    bool has_error = false;
    read(response, buffers, total_bytes, has_error);
    bool due = final || has_error || total_bytes >= size_t(std::max(req_.min_bytes, 0)) ||
               std::chrono::steady_clock::now() >= deadline_;
    if (!due) return false;
    done_ = true;
    Bytes frame;
    protocol::encodeResponseFrame(response, version_, correlation_id_, frame);
    responder_.send(std::move(frame));
    waker_.reset();
    return true;
  }

  void read(FetchResponse& response, std::vector<Bytes>& buffers, size_t& total_bytes, bool& has_error) {
    size_t budget = size_t(std::max(req_.max_bytes, 0));
    bool first_data = true;
    bool collect_watched = !watched_collected_;
    watched_collected_ = true;
    buffers.reserve(64);
    for (const auto& fetch_topic : req_.topics) {
      FetchResponse::FetchableTopicResponse topic_response;
      topic_response.topic = fetch_topic.topic;
      auto topic = context_.topics.find(fetch_topic.topic);
      for (const auto& fetch_partition : fetch_topic.partitions) {
        FetchResponse::PartitionData data;
        data.partition_index = fetch_partition.partition;
        data.aborted_transactions.emplace();
        if (!topic || fetch_partition.partition < 0 ||
            fetch_partition.partition >= int32_t(topic->partitions.size())) {
          data.error_code = errorCode(ErrorCode::kUnknownTopicOrPartition);
          data.high_watermark = -1;
          has_error = true;
          topic_response.partitions.push_back(std::move(data));
          continue;
        }
        const auto& partition = topic->partitions[size_t(fetch_partition.partition)];
        if (collect_watched) watched_.push_back(partition);
        const storage::PartitionLog& log = *partition->log;
        int64_t high_watermark = log.logEndOffset();
        data.high_watermark = high_watermark;
        data.last_stable_offset = high_watermark;  // no transactions yet
        data.log_start_offset = log.logStartOffset();
        size_t limit = std::min(size_t(std::max(fetch_partition.partition_max_bytes, 0)), budget);
        if (limit > 0 || first_data) {
          Bytes buffer;
          Status s = log.read(fetch_partition.fetch_offset, std::max<size_t>(limit, 1), buffer, high_watermark);
          if (s.code() == Status::Code::kOutOfRange) {
            data.error_code = errorCode(ErrorCode::kOffsetOutOfRange);
            has_error = true;
          } else if (!s.isOk()) {
            data.error_code = errorCode(ErrorCode::kKafkaStorageError);
            has_error = true;
          } else if (!buffer.empty()) {
            first_data = false;
            total_bytes += buffer.size();
            budget -= std::min(budget, buffer.size());
            buffers.push_back(std::move(buffer));
            data.records = ByteSpan(buffers.back());
          }
        }
        if (!data.records) data.records = ByteSpan();
        topic_response.partitions.push_back(std::move(data));
      }
      response.responses.push_back(std::move(topic_response));
    }
  }

  BrokerContext& context_;
  int16_t version_;
  int32_t correlation_id_;
  Responder responder_;
  FetchRequest req_;
  std::chrono::steady_clock::time_point deadline_;
  std::vector<std::shared_ptr<Partition>> watched_;
  std::shared_ptr<AppendWaiters::Waker> waker_;
  std::mutex mu_;
  bool done_ = false;
  bool watched_collected_ = false;
};

}  // namespace

Status handleFetch(BrokerContext& context, const Request& request, Responder& responder) {
  FetchRequest req;
  RUNNEL_RETURN_IF_ERROR(protocol::decodeBody(request.body(), request.version(), req));
  std::make_shared<FetchOperation>(context, request, std::move(responder), std::move(req))->start();
  return Status::ok();
}

}  // namespace runnel::broker
