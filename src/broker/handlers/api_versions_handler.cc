#include "broker/handlers/handlers.h"
#include "broker/handlers/handler_util.h"
#include "protocol/messages/api_versions.h"

namespace runnel::broker {

using protocol::ApiVersionsRequest;
using protocol::ApiVersionsResponse;

Status handleApiVersions(BrokerContext&, const Request& request, Responder& responder) {
  const protocol::ApiSupport* api = protocol::findApi(request.header.api_key);
  int16_t version = request.version();
  ApiVersionsResponse response;
  for (const auto& supported : protocol::supportedApis()) {
    ApiVersionsResponse::ApiVersion entry;
    entry.api_key = static_cast<int16_t>(supported.key);
    entry.min_version = supported.min_version;
    entry.max_version = supported.max_version;
    response.api_keys.push_back(entry);
  }
  if (version > api->max_version || version < 0) {
    // Kafka answers an unknown ApiVersions version in v0 with the full list, so that
    // the client can pick a version both sides know.
    response.error_code = errorCode(protocol::ErrorCode::kUnsupportedVersion);
    version = 0;
  } else {
    ApiVersionsRequest req;
    RUNNEL_RETURN_IF_ERROR(protocol::decodeBody(request.body(), version, req));
  }
  Bytes frame;
  protocol::encodeResponseFrame(response, version, request.header.correlation_id, frame);
  responder.send(std::move(frame));
  return Status::ok();
}

}  // namespace runnel::broker
