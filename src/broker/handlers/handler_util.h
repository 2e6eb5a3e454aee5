#pragma once

#include "broker/request_context.h"
#include "protocol/error_code.h"

namespace runnel::broker {

// Encodes `resp` as the answer to `request` and sends it.
template <typename Resp>
void sendResponse(const Request& request, Responder& responder, const Resp& resp) {
  Bytes frame;
  protocol::encodeResponseFrame(resp, request.version(), request.header.correlation_id, frame);
  responder.send(std::move(frame));
}

// Decodes the request body as Req, lets `answer` build the response and sends it: the
// shape of every handler that answers at once.
template <typename Req, typename Resp, typename Answer>
Status answerNow(const Request& request, Responder& responder, Answer&& answer) {
  Req req;
  RUNNEL_RETURN_IF_ERROR(protocol::decodeBody(request.body(), request.version(), req));
  sendResponse<Resp>(request, responder, answer(req));
  return Status::ok();
}

inline int16_t errorCode(protocol::ErrorCode code) { return protocol::wire(code); }

// Like decodeBody, but ignores bytes after the body, as Kafka does for every request.
// librdkafka 2.0 relies on it: it ends flexible ListGroups requests with the tagged-field
// section twice, and sends OffsetFetch v6+ for all of a group's offsets with an
// unfinished 4-byte array count (read as a null array, then three stray bytes).
template <typename Req>
Status decodeIgnoringTrailingBytes(const Request& request, Req& req) {
  protocol::Decoder decoder(request.body(), request.version(), request.version() >= Req::kFirstFlexibleVersion);
  decoder.structure(req);
  if (!decoder.ok()) return Status::corruption("truncated or malformed request body");
  return Status::ok();
}

// answerNow for the requests that need decodeIgnoringTrailingBytes.
template <typename Req, typename Resp, typename Answer>
Status answerNowIgnoringTrailingBytes(const Request& request, Responder& responder, Answer&& answer) {
  Req req;
  RUNNEL_RETURN_IF_ERROR(decodeIgnoringTrailingBytes(request, req));
  sendResponse<Resp>(request, responder, answer(req));
  return Status::ok();
}

}  // namespace runnel::broker
