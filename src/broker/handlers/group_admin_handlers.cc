// Group administration: ListGroups, DescribeGroups, DeleteGroups, OffsetDelete.

#include <algorithm>
#include <cctype>

#include "broker/group/group_coordinator.h"
#include "broker/handlers/handler_util.h"
#include "broker/handlers/handlers.h"
#include "broker/topic_manager.h"
#include "protocol/messages/delete_groups.h"
#include "protocol/messages/describe_groups.h"
#include "protocol/messages/list_groups.h"
#include "protocol/messages/offset_delete.h"

namespace runnel::broker {

using protocol::ErrorCode;

namespace {

bool equalsIgnoreCase(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(uint8_t(x)) == std::tolower(uint8_t(y));
  });
}

}  // namespace

Status handleListGroups(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::ListGroupsRequest;
  using protocol::ListGroupsResponse;
  return answerNowIgnoringTrailingBytes<ListGroupsRequest, ListGroupsResponse>(
      request, responder, [&](const ListGroupsRequest& req) {
        ListGroupsResponse response;
        for (auto& listing : context.groups->list()) {
          bool wanted =
              req.states_filter.empty() ||
              std::any_of(req.states_filter.begin(), req.states_filter.end(),
                          [&](const std::string& s) { return equalsIgnoreCase(s, listing.state); });
          if (!wanted) continue;
          ListGroupsResponse::ListedGroup group;
          group.group_id = std::move(listing.group_id);
          group.protocol_type = std::move(listing.protocol_type);
          group.group_state = std::move(listing.state);
          group.group_type = "classic";
          response.groups.push_back(std::move(group));
        }
        return response;
      });
}

Status handleDescribeGroups(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::DescribeGroupsRequest;
  using protocol::DescribeGroupsResponse;
  return answerNow<DescribeGroupsRequest, DescribeGroupsResponse>(
      request, responder, [&](const DescribeGroupsRequest& req) {
        DescribeGroupsResponse response;
        for (const auto& group_id : req.groups) {
          auto description = context.groups->describe(group_id);
          DescribeGroupsResponse::DescribedGroup group;
          group.group_id = group_id;
          if (group_id.empty()) group.error_code = errorCode(ErrorCode::kInvalidGroupId);
          group.group_state = std::move(description.state);
          group.protocol_type = std::move(description.protocol_type);
          group.protocol_data = std::move(description.protocol);
          for (auto& m : description.members) {
            DescribeGroupsResponse::DescribedGroupMember member;
            member.member_id = std::move(m.member_id);
            member.group_instance_id = std::move(m.group_instance_id);
            member.client_id = std::move(m.client_id);
            member.client_host = std::move(m.client_host);
            member.member_metadata = std::move(m.metadata);
            member.member_assignment = std::move(m.assignment);
            group.members.push_back(std::move(member));
          }
          response.groups.push_back(std::move(group));
        }
        return response;
      });
}

Status handleDeleteGroups(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::DeleteGroupsRequest;
  using protocol::DeleteGroupsResponse;
  return answerNow<DeleteGroupsRequest,
                   DeleteGroupsResponse>(request, responder, [&](const DeleteGroupsRequest& req) {
    DeleteGroupsResponse response;
    for (const auto& group_id : req.groups_names) {
      response.results.push_back({group_id, errorCode(context.groups->deleteGroup(group_id)), {}});
    }
    return response;
  });
}

Status handleOffsetDelete(BrokerContext& context, const Request& request, Responder& responder) {
  using protocol::OffsetDeleteRequest;
  using protocol::OffsetDeleteResponse;
  return answerNow<OffsetDeleteRequest, OffsetDeleteResponse>(
      request, responder, [&](const OffsetDeleteRequest& req) {
        OffsetDeleteResponse response;
        // Partitions of unknown topics are answered here; the rest go to the coordinator.
        std::vector<std::pair<std::string, int32_t>> known;
        std::vector<bool> is_known;
        for (const auto& topic : req.topics) {
          for (const auto& p : topic.partitions) {
            is_known.push_back(context.topics.partition(topic.name, p.partition_index) != nullptr);
            if (is_known.back()) known.emplace_back(topic.name, p.partition_index);
          }
        }
        auto result = context.groups->deleteOffsets(req.group_id, known);
        if (result.error != ErrorCode::kNone) {
          response.error_code = errorCode(result.error);
          return response;
        }
        size_t next = 0;
        size_t index = 0;
        for (const auto& topic : req.topics) {
          OffsetDeleteResponse::Topic topic_response;
          topic_response.name = topic.name;
          for (const auto& p : topic.partitions) {
            ErrorCode code = ErrorCode::kUnknownTopicOrPartition;
            if (is_known[index++]) code = result.partition_errors[next++];
            topic_response.partitions.push_back({p.partition_index, errorCode(code), {}});
          }
          response.topics.push_back(std::move(topic_response));
        }
        return response;
      });
}

}  // namespace runnel::broker
