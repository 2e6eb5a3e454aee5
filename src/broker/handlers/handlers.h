#pragma once

#include "broker/request_context.h"
#include "common/status.h"

// One handler per Kafka API. Each decodes its request, answers through the responder
// (at once, or later for a delayed Fetch) and returns an error Status only for a
// request it could not decode, which closes the connection.
namespace runnel::broker {

Status handleApiVersions(BrokerContext& context, const Request& request, Responder& responder);
Status handleMetadata(BrokerContext& context, const Request& request, Responder& responder);
Status handleProduce(BrokerContext& context, const Request& request, Responder& responder);
Status handleFetch(BrokerContext& context, const Request& request, Responder& responder);
Status handleListOffsets(BrokerContext& context, const Request& request, Responder& responder);
Status handleCreateTopics(BrokerContext& context, const Request& request, Responder& responder);
Status handleDeleteTopics(BrokerContext& context, const Request& request, Responder& responder);
Status handleCreatePartitions(BrokerContext& context, const Request& request, Responder& responder);
Status handleDescribeConfigs(BrokerContext& context, const Request& request, Responder& responder);
Status handleAlterConfigs(BrokerContext& context, const Request& request, Responder& responder);
Status handleDeleteRecords(BrokerContext& context, const Request& request, Responder& responder);
Status handleFindCoordinator(BrokerContext& context, const Request& request, Responder& responder);
Status handleOffsetCommit(BrokerContext& context, const Request& request, Responder& responder);
Status handleOffsetFetch(BrokerContext& context, const Request& request, Responder& responder);
Status handleInitProducerId(BrokerContext& context, const Request& request, Responder& responder);
Status handleJoinGroup(BrokerContext& context, const Request& request, Responder& responder);
Status handleSyncGroup(BrokerContext& context, const Request& request, Responder& responder);
Status handleHeartbeat(BrokerContext& context, const Request& request, Responder& responder);
Status handleLeaveGroup(BrokerContext& context, const Request& request, Responder& responder);
Status handleListGroups(BrokerContext& context, const Request& request, Responder& responder);
Status handleDescribeGroups(BrokerContext& context, const Request& request, Responder& responder);
Status handleDeleteGroups(BrokerContext& context, const Request& request, Responder& responder);
Status handleOffsetDelete(BrokerContext& context, const Request& request, Responder& responder);

}  // namespace runnel::broker
