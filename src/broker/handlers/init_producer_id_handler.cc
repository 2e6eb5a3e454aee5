// InitProducerId for idempotent producers. Transactions are not implemented yet, so a
// request with a transactional id is answered as Kafka answers while no transaction
// coordinator is available (COORDINATOR_NOT_AVAILABLE, retriable: the client's
// init_transactions() times out), and an empty one with Kafka's INVALID_REQUEST.

#include <spdlog/spdlog.h>

#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "broker/producer_ids.h"
#include "protocol/messages/init_producer_id.h"

namespace runnel::broker {

using protocol::ErrorCode;
using protocol::InitProducerIdRequest;
using protocol::InitProducerIdResponse;

Status handleInitProducerId(BrokerContext& context, const Request& request, Responder& responder) {
  return answerNow<InitProducerIdRequest, InitProducerIdResponse>(
      request, responder, [&](const InitProducerIdRequest& req) {
        InitProducerIdResponse resp;
        auto fail = [&](ErrorCode code) {
          resp.error_code = errorCode(code);
          resp.producer_id = -1;
          resp.producer_epoch = -1;
          return resp;
        };
        if (req.transactional_id) {
          return fail(req.transactional_id->empty() ? ErrorCode::kInvalidRequest
                                                    : ErrorCode::kCoordinatorNotAvailable);
        }
        // Without a transactional id Kafka always hands out a fresh producer id at epoch 0,
        // also to a v3+ request naming the producer's current id and epoch (an idempotent
        // producer bumps its epoch itself, or asks for a new id, as librdkafka does).
        auto id = context.producer_ids->next();
        if (!id) {
          spdlog::error("cannot reserve producer ids: {}", id.status().toString());
          // What Kafka answers while its next block of ids is not available: retriable.
          return fail(ErrorCode::kCoordinatorLoadInProgress);
        }
        resp.producer_id = *id;
        resp.producer_epoch = 0;
        return resp;
      });
}

}  // namespace runnel::broker
