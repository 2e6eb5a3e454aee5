// The group membership APIs: JoinGroup and SyncGroup answer later, when the rebalance
// gets there; Heartbeat and LeaveGroup at once.

#include "broker/group/group_coordinator.h"
#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "protocol/messages/heartbeat.h"
#include "protocol/messages/join_group.h"
#include "protocol/messages/leave_group.h"
#include "protocol/messages/sync_group.h"

namespace runnel::broker {

using protocol::ErrorCode;

namespace {

// What a delayed answer needs of its request; the frame itself is not kept.
struct Pending {
  int16_t version;
  int32_t correlation_id;
  Responder responder;

  template <typename Resp>
  void send(const Resp& response) {
    Bytes frame;
    protocol::encodeResponseFrame(response, version, correlation_id, frame);
    responder.send(std::move(frame));
  }
};

}  // namespace

Status handleJoinGroup(BrokerContext& context, const Request& request, Responder& responder) {
  protocol::JoinGroupRequest req;
  RUNNEL_RETURN_IF_ERROR(protocol::decodeBody(request.body(), request.version(), req));
  group::GroupCoordinator::JoinRequest join;
  join.group_id = std::move(req.group_id);
  join.member_id = std::move(req.member_id);
  join.group_instance_id = std::move(req.group_instance_id);
  join.client_id = request.header.client_id.value_or("");
  join.client_host = request.client_host;
  join.session_timeout_ms = req.session_timeout_ms;
  // v0 has no rebalance timeout: the session timeout served as both.
  join.rebalance_timeout_ms = request.version() >= 1 ? req.rebalance_timeout_ms : req.session_timeout_ms;
  join.protocol_type = std::move(req.protocol_type);
  for (auto& protocol : req.protocols) join.protocols.emplace_back(std::move(protocol.name), std::move(protocol.metadata));
  join.require_known_member_id = request.version() >= 4;
  Pending pending{request.version(), request.header.correlation_id, responder};
  context.groups->join(std::move(join), [pending](group::JoinResult result) mutable {
    protocol::JoinGroupResponse response;
    response.error_code = errorCode(result.error);
    response.generation_id = result.generation_id;
    response.protocol_type = std::move(result.protocol_type);
    // Before v7 the protocol name is not nullable: an error answers it empty.
    response.protocol_name = result.protocol_name ? std::move(result.protocol_name) : std::optional<std::string>("");
    response.leader = std::move(result.leader);
    response.member_id = std::move(result.member_id);
    for (auto& m : result.members) {
      protocol::JoinGroupResponse::Member member;
      member.member_id = std::move(m.member_id);
      member.group_instance_id = std::move(m.group_instance_id);
      member.metadata = std::move(m.metadata);
      response.members.push_back(std::move(member));
    }
    pending.send(response);
  });
  return Status::ok();
}

Status handleSyncGroup(BrokerContext& context, const Request& request, Responder& responder) {
  protocol::SyncGroupRequest req;
  RUNNEL_RETURN_IF_ERROR(protocol::decodeBody(request.body(), request.version(), req));
  group::GroupCoordinator::SyncRequest sync;
  sync.group_id = std::move(req.group_id);
  sync.generation_id = req.generation_id;
  sync.member_id = std::move(req.member_id);
  sync.group_instance_id = std::move(req.group_instance_id);
  sync.protocol_type = std::move(req.protocol_type);
  sync.protocol_name = std::move(req.protocol_name);
  for (auto& a : req.assignments) sync.assignments.emplace_back(std::move(a.member_id), std::move(a.assignment));
  Pending pending{request.version(), request.header.correlation_id, responder};
  context.groups->sync(std::move(sync), [pending](group::SyncResult result) mutable {
    protocol::SyncGroupResponse response;
    response.error_code = errorCode(result.error);
    response.protocol_type = std::move(result.protocol_type);
    response.protocol_name = std::move(result.protocol_name);
    response.assignment = std::move(result.assignment);
    pending.send(response);
  });
  return Status::ok();
}

Status handleHeartbeat(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::HeartbeatRequest;
  using protocol::HeartbeatResponse;
  return answerNow<HeartbeatRequest, HeartbeatResponse>(request, responder, [&](const HeartbeatRequest& req) {
    HeartbeatResponse response;
    response.error_code =
        errorCode(context.groups->heartbeat(req.group_id, req.member_id, req.group_instance_id, req.generation_id));
    return response;
  });
}

Status handleLeaveGroup(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::LeaveGroupRequest;
  using protocol::LeaveGroupResponse;
  return answerNow<LeaveGroupRequest, LeaveGroupResponse>(request, responder, [&](const LeaveGroupRequest& req) {
    std::vector<group::GroupCoordinator::LeavingMember> leaving;
    if (request.version() <= 2) {
      leaving.push_back({req.member_id, std::nullopt});
    } else {
      for (const auto& m : req.members) leaving.push_back({m.member_id, m.group_instance_id});
    }
    std::vector<ErrorCode> errors = context.groups->leave(req.group_id, leaving);
    LeaveGroupResponse response;
    // v0-2 leave one member and answer with its error; v3+ answer per member.
    if (request.version() <= 2) response.error_code = errorCode(errors.front());
    for (size_t i = 0; i < leaving.size(); ++i) {
      response.members.push_back({leaving[i].member_id, leaving[i].group_instance_id, errorCode(errors[i]), {}});
    }
    return response;
  });
}

}  // namespace runnel::broker
