#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_manager.h"
#include "protocol/messages/produce.h"
#include "protocol/record_batch.h"

namespace runnel::broker {

using protocol::ErrorCode;
using protocol::ProduceRequest;
using protocol::ProduceResponse;

namespace {

// Kafka checks every batch against max.message.bytes (the whole batch, header included).
bool batchesFit(ByteSpan records, int32_t max_message_bytes) {
  bool fits = true;
  Status walked = protocol::forEachBatch(records, [&](const storage::BatchHeader& header, ByteSpan) {
    if (header.totalSize() > size_t(max_message_bytes)) fits = false;
    return Status::ok();
  });
  return fits && walked.isOk();
}

// Kafka's LogValidator: a compacted topic keeps the latest record per key, so a record
// without a key has no place in it. Decodes the records, but only for compacted topics.
bool keysPresent(ByteSpan records) {
  bool present = true;
  Status walked = protocol::forEachRecord(records, [&](const storage::BatchHeader& header, const protocol::RecordView& r) {
    if (!r.key && !(header.attributes & storage::kControlFlag)) present = false;
    return Status::ok();
  });
  return present && walked.isOk();
}

ProduceResponse::PartitionProduceResponse produceToPartition(BrokerContext& context, const std::string& topic_name,
                                                              const ProduceRequest::PartitionProduceData& data,
                                                              int64_t now_ms) {
  ProduceResponse::PartitionProduceResponse out;
  out.index = data.index;
  auto fail = [&](ErrorCode code, std::string message) {
    out.error_code = errorCode(code);
    out.base_offset = -1;
    out.error_message = std::move(message);
    return out;
  };
  auto topic = context.topics.find(topic_name);
  if (!topic || data.index < 0 || data.index >= int32_t(topic->partitions.size())) {
    return fail(ErrorCode::kUnknownTopicOrPartition, "This server does not host this topic-partition.");
  }
  if (!data.records || data.records->empty()) {
    return fail(ErrorCode::kInvalidRecord, "Produce request has no records");
  }
  if (!batchesFit(*data.records, topic->config.maxMessageBytes(context.config))) {
    return fail(ErrorCode::kMessageTooLarge, "The request included a message larger than the max message size "
                                             "the server will accept.");
  }
  if (topic->config.effective(context.config, "cleanup.policy").find("compact") != std::string::npos &&
      !keysPresent(*data.records)) {
    return fail(ErrorCode::kInvalidRecord, "Compacted topic cannot accept message without key in topic partition " +
                                               topic_name + "-" + std::to_string(data.index) + ".");
  }
  Partition& partition = *topic->partitions[size_t(data.index)];
  // The frame is owned by the request and not read again: the log rewrites base
  // offsets (and LogAppendTime timestamps) in place instead of copying.
  auto* bytes = const_cast<uint8_t*>(data.records->data());
  auto appended = partition.log->append(std::span<uint8_t>(bytes, data.records->size()), now_ms);
  if (!appended) {
    const Status& s = appended.status();
    ErrorCode code = s.code() == Status::Code::kCorruption ? ErrorCode::kCorruptMessage
                                                           : ErrorCode::kKafkaStorageError;
    return fail(code, s.message());
  }
  if (appended->producer_error != storage::ProducerError::kNone) {
    bool epoch = appended->producer_error == storage::ProducerError::kInvalidProducerEpoch;
    return fail(epoch ? ErrorCode::kInvalidProducerEpoch : ErrorCode::kOutOfOrderSequenceNumber,
                std::move(appended->error_message));
  }
  // A duplicate is answered with the original offsets (what Kafka does since
  // DUPLICATE_SEQUENCE_NUMBER went out of use); it appended nothing to wake readers for.
  if (!appended->duplicate) partition.waiters.wakeAll();
  out.base_offset = appended->base_offset;
  out.log_append_time_ms = appended->log_append_time;
  out.log_start_offset = appended->log_start_offset;
  return out;
}

}  // namespace

Status handleProduce(BrokerContext& context, const Request& request, Responder& responder) {
  ProduceRequest req;
  RUNNEL_RETURN_IF_ERROR(protocol::decodeBody(request.body(), request.version(), req));
  int64_t now_ms = nowMs();
  ProduceResponse response;
  bool acks_valid = req.acks == -1 || req.acks == 0 || req.acks == 1;
  for (const auto& topic_data : req.topic_data) {
    ProduceResponse::TopicProduceResponse topic_response;
    topic_response.name = topic_data.name;
    for (const auto& partition_data : topic_data.partition_data) {
      if (!acks_valid) {
        ProduceResponse::PartitionProduceResponse invalid;
        invalid.index = partition_data.index;
        invalid.error_code = errorCode(ErrorCode::kInvalidRequiredAcks);
        invalid.base_offset = -1;
        topic_response.partition_responses.push_back(std::move(invalid));
        continue;
      }
      topic_response.partition_responses.push_back(produceToPartition(context, topic_data.name, partition_data, now_ms));
    }
    response.responses.push_back(std::move(topic_response));
  }
  if (req.acks == 0) {
    responder.noResponse();
    return Status::ok();
  }
  Bytes frame;
  protocol::encodeResponseFrame(response, request.version(), request.header.correlation_id, frame);
  responder.send(std::move(frame));
  return Status::ok();
}

}  // namespace runnel::broker
