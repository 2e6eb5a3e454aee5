#include "broker/dispatch.h"

#include <chrono>
#include <string>

#include "broker/handlers/handlers.h"

namespace runnel::broker {

using protocol::ApiKey;

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status dispatch(BrokerContext& context, Request request, Responder responder) {
  const protocol::ApiSupport* api = protocol::findApi(request.header.api_key);
  if (!api) return Status::unsupported("unknown API key " + std::to_string(request.header.api_key));
  int16_t version = request.header.api_version;
  if (api->key == ApiKey::kApiVersions) {
    // A too-new ApiVersions is answered (in v0) so that the client can downgrade.
    return handleApiVersions(context, request, responder);
  }
  if (version < api->min_version || version > api->max_version) {
    return Status::unsupported("unsupported version " + std::to_string(version));
  }
  switch (api->key) {
    case ApiKey::kMetadata: return handleMetadata(context, request, responder);
    case ApiKey::kProduce: return handleProduce(context, request, responder);
    case ApiKey::kFetch: return handleFetch(context, request, responder);
    case ApiKey::kListOffsets: return handleListOffsets(context, request, responder);
    case ApiKey::kCreateTopics: return handleCreateTopics(context, request, responder);
    case ApiKey::kDeleteTopics: return handleDeleteTopics(context, request, responder);
    case ApiKey::kCreatePartitions: return handleCreatePartitions(context, request, responder);
    case ApiKey::kDescribeConfigs: return handleDescribeConfigs(context, request, responder);
    case ApiKey::kAlterConfigs: return handleAlterConfigs(context, request, responder);
    case ApiKey::kDeleteRecords: return handleDeleteRecords(context, request, responder);
    case ApiKey::kFindCoordinator: return handleFindCoordinator(context, request, responder);
    case ApiKey::kOffsetCommit: return handleOffsetCommit(context, request, responder);
    case ApiKey::kOffsetFetch: return handleOffsetFetch(context, request, responder);
    case ApiKey::kInitProducerId: return handleInitProducerId(context, request, responder);
    case ApiKey::kJoinGroup: return handleJoinGroup(context, request, responder);
    case ApiKey::kSyncGroup: return handleSyncGroup(context, request, responder);
    case ApiKey::kHeartbeat: return handleHeartbeat(context, request, responder);
    case ApiKey::kLeaveGroup: return handleLeaveGroup(context, request, responder);
    case ApiKey::kListGroups: return handleListGroups(context, request, responder);
    case ApiKey::kDescribeGroups: return handleDescribeGroups(context, request, responder);
    case ApiKey::kDeleteGroups: return handleDeleteGroups(context, request, responder);
    case ApiKey::kOffsetDelete: return handleOffsetDelete(context, request, responder);
    default: break;
  }
  return Status::unsupported("API key " + std::to_string(request.header.api_key) + " has no handler");
}

}  // namespace runnel::broker
