#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_manager.h"
#include "protocol/messages/delete_records.h"

namespace runnel::broker {

using protocol::DeleteRecordsRequest;
using protocol::DeleteRecordsResponse;
using protocol::ErrorCode;

Status handleDeleteRecords(BrokerContext& context, const Request& request, Responder& responder) {
  return answerNow<DeleteRecordsRequest, DeleteRecordsResponse>(request, responder, [&](const DeleteRecordsRequest& req) {
    DeleteRecordsResponse response;
    for (const auto& topic : req.topics) {
      DeleteRecordsResponse::DeleteRecordsTopicResult topic_result;
      topic_result.name = topic.name;
      for (const auto& p : topic.partitions) {
        DeleteRecordsResponse::DeleteRecordsPartitionResult result;
        result.partition_index = p.partition_index;
        result.low_watermark = -1;
        auto partition = context.topics.partition(topic.name, p.partition_index);
        if (!partition) {
          result.error_code = errorCode(ErrorCode::kUnknownTopicOrPartition);
        } else {
          storage::PartitionLog& log = *partition->log;
          // -1 means "up to the high watermark".
          int64_t offset = p.offset == -1 ? log.logEndOffset() : p.offset;
          if (offset < 0 || offset > log.logEndOffset()) {
            result.error_code = errorCode(ErrorCode::kOffsetOutOfRange);
          } else if (!log.deleteRecordsBefore(offset).isOk()) {
            result.error_code = errorCode(ErrorCode::kKafkaStorageError);
          }
          result.low_watermark = log.logStartOffset();
        }
        topic_result.partitions.push_back(result);
      }
      response.topics.push_back(std::move(topic_result));
    }
    return response;
  });
}

}  // namespace runnel::broker
