#pragma once

#include "broker/request_context.h"
#include "protocol/error_code.h"

namespace runnel::broker {

// Decodes the request body as Req, lets `answer` build the response and sends it: the
// shape of every handler that answers at once.
template <typename Req, typename Resp, typename Answer>
Status answerNow(const Request& request, Responder& responder, Answer&& answer) {
  Req req;
  RUNNEL_RETURN_IF_ERROR(protocol::decodeBody(request.body(), request.version(), req));
  Resp resp = answer(req);
  Bytes frame;
  protocol::encodeResponseFrame(resp, request.version(), request.header.correlation_id, frame);
  responder.send(std::move(frame));
  return Status::ok();
}

inline int16_t errorCode(protocol::ErrorCode code) { return protocol::wire(code); }

}  // namespace runnel::broker
