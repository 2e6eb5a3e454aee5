#include "client/kafka_group_admin.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "client/admin_request.h"
#include "client/rdkafka_support.h"

namespace runnel::client {

namespace {

struct StateName {
  GroupState state;
  const char* name;
};
constexpr StateName kStateNames[] = {
    {GroupState::kUnknown, "Unknown"},
    {GroupState::kPreparingRebalance, "PreparingRebalance"},
    {GroupState::kCompletingRebalance, "CompletingRebalance"},
    {GroupState::kStable, "Stable"},
    {GroupState::kDead, "Dead"},
    {GroupState::kEmpty, "Empty"},
};

}  // namespace

const char* groupStateName(GroupState state) {
  for (const auto& entry : kStateNames) {
    if (entry.state == state) return entry.name;
  }
  return "Unknown";
}

GroupState parseGroupState(std::string_view name) {
  for (const auto& entry : kStateNames) {
    std::string_view candidate = entry.name;
    if (candidate.size() == name.size() &&
        std::equal(name.begin(), name.end(), candidate.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return entry.state;
    }
  }
  return GroupState::kUnknown;
}

namespace rdkafka {
namespace {

// librdkafka's state enum follows the same order as ours.
GroupState fromRdState(rd_kafka_consumer_group_state_t state) {
  return parseGroupState(rd_kafka_consumer_group_state_name(state));
}

rd_kafka_consumer_group_state_t toRdState(GroupState state) {
  return rd_kafka_consumer_group_state_code(groupStateName(state));
}

Status fromError(const rd_kafka_error_t* error) {
  if (error == nullptr) return Status::ok();
  return toStatus(rd_kafka_error_code(error), rd_kafka_error_string(error));
}

// Per-partition statuses of a group result; the offsets themselves are left to the caller.
std::vector<std::pair<TopicPartition, Status>> partitionStatuses(const rd_kafka_topic_partition_list_t* list) {
  std::vector<std::pair<TopicPartition, Status>> out;
  if (list == nullptr) return out;
  for (int i = 0; i < list->cnt; ++i) {
    const auto& p = list->elems[i];
    out.push_back({{p.topic, p.partition}, toStatus(p.err)});
  }
  return out;
}

// The single group result of a one-group request, or null.
template <typename ResultT>
const rd_kafka_group_result_t* onlyGroup(const ResultT* result,
                                         const rd_kafka_group_result_t** (*groups)(const ResultT*, size_t*)) {
  size_t count = 0;
  const rd_kafka_group_result_t** all = groups(result, &count);
  return count == 1 ? all[0] : nullptr;
}

}  // namespace

Result<std::vector<GroupListing>> GroupAdmin::listGroups(const std::vector<GroupState>& states) {
  std::vector<GroupListing> out;
  std::vector<rd_kafka_consumer_group_state_t> rd_states;
  for (GroupState s : states) rd_states.push_back(toRdState(s));
  Status status = runAdminRequest(
      rk_, timeout_, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT,
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        if (!rd_states.empty()) {
          rd_kafka_error_t* error =
              rd_kafka_AdminOptions_set_match_consumer_group_states(options, rd_states.data(), rd_states.size());
          if (error) rd_kafka_error_destroy(error);  // only fails on invalid states, which we never pass
        }
        rd_kafka_ListConsumerGroups(rk_, options, queue);
      },
      [&](rd_kafka_event_t* event) {
        const auto* result = rd_kafka_event_ListConsumerGroups_result(event);
        size_t error_count = 0;
        const rd_kafka_error_t** errors = rd_kafka_ListConsumerGroups_result_errors(result, &error_count);
        if (error_count > 0) return fromError(errors[0]);
        size_t count = 0;
        const rd_kafka_ConsumerGroupListing_t** listings = rd_kafka_ListConsumerGroups_result_valid(result, &count);
        for (size_t i = 0; i < count; ++i) {
          out.push_back({rd_kafka_ConsumerGroupListing_group_id(listings[i]),
                         fromRdState(rd_kafka_ConsumerGroupListing_state(listings[i])),
                         rd_kafka_ConsumerGroupListing_is_simple_consumer_group(listings[i]) != 0});
        }
        return Status::ok();
      });
  RUNNEL_RETURN_IF_ERROR(status);
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.group_id < b.group_id; });
  return out;
}

namespace {

GroupMember toMember(const rd_kafka_MemberDescription_t* m) {
  GroupMember member;
  member.consumer_id = rd_kafka_MemberDescription_consumer_id(m);
  if (const char* id = rd_kafka_MemberDescription_group_instance_id(m)) member.group_instance_id = id;
  member.client_id = rd_kafka_MemberDescription_client_id(m);
  member.host = rd_kafka_MemberDescription_host(m);
  if (const auto* list = rd_kafka_MemberAssignment_partitions(rd_kafka_MemberDescription_assignment(m))) {
    for (int i = 0; i < list->cnt; ++i) member.assignment.push_back({list->elems[i].topic, list->elems[i].partition});
  }
  return member;
}

GroupDescription toDescription(const rd_kafka_ConsumerGroupDescription_t* d) {
  GroupDescription group;
  group.group_id = rd_kafka_ConsumerGroupDescription_group_id(d);
  group.error = fromError(rd_kafka_ConsumerGroupDescription_error(d));
  if (!group.error.isOk()) return group;
  group.state = fromRdState(rd_kafka_ConsumerGroupDescription_state(d));
  if (const char* assignor = rd_kafka_ConsumerGroupDescription_partition_assignor(d)) {
    group.partition_assignor = assignor;
  }
  if (const rd_kafka_Node_t* node = rd_kafka_ConsumerGroupDescription_coordinator(d)) {
    group.coordinator = {rd_kafka_Node_id(node), rd_kafka_Node_host(node), rd_kafka_Node_port(node)};
  }
  size_t members = rd_kafka_ConsumerGroupDescription_member_count(d);
  for (size_t i = 0; i < members; ++i) group.members.push_back(toMember(rd_kafka_ConsumerGroupDescription_member(d, i)));
  return group;
}

}  // namespace

Result<std::vector<GroupDescription>> GroupAdmin::describeGroups(const std::vector<std::string>& groups) {
  std::vector<const char*> names;
  for (const auto& g : groups) names.push_back(g.c_str());
  std::vector<GroupDescription> described;
  Status status = runAdminRequest(
      rk_, timeout_, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT,
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_DescribeConsumerGroups(rk_, names.data(), names.size(), options, queue);
      },
      [&](rd_kafka_event_t* event) {
        size_t count = 0;
        const auto** results =
            rd_kafka_DescribeConsumerGroups_result_groups(rd_kafka_event_DescribeConsumerGroups_result(event), &count);
        for (size_t i = 0; i < count; ++i) described.push_back(toDescription(results[i]));
        return Status::ok();
      });
  RUNNEL_RETURN_IF_ERROR(status);
  // librdkafka answers in its own order; callers get theirs.
  std::vector<GroupDescription> out;
  for (const auto& name : groups) {
    auto it = std::find_if(described.begin(), described.end(), [&](auto& d) { return d.group_id == name; });
    if (it == described.end()) return Status::internal("no description of group " + name + " in the response");
    out.push_back(*it);
  }
  return out;
}

Result<std::vector<TopicPartitionOffset>> GroupAdmin::listGroupOffsets(const std::string& group) {
  rd_kafka_ListConsumerGroupOffsets_t* request = rd_kafka_ListConsumerGroupOffsets_new(group.c_str(), nullptr);
  std::vector<TopicPartitionOffset> out;
  Status status = runAdminRequest(
      rk_, timeout_, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT,
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_ListConsumerGroupOffsets(rk_, &request, 1, options, queue);
      },
      [&](rd_kafka_event_t* event) {
        const auto* result =
            onlyGroup(rd_kafka_event_ListConsumerGroupOffsets_result(event), rd_kafka_ListConsumerGroupOffsets_result_groups);
        if (result == nullptr) return Status::internal("no offsets of group " + group + " in the response");
        RUNNEL_RETURN_IF_ERROR(fromError(rd_kafka_group_result_error(result)));
        const rd_kafka_topic_partition_list_t* list = rd_kafka_group_result_partitions(result);
        if (list == nullptr) return Status::ok();
        RUNNEL_ASSIGN_OR_RETURN(auto offsets, fromList(list));
        for (auto& o : offsets) {
          if (o.offset >= 0) out.push_back(std::move(o));
        }
        return Status::ok();
      });
  rd_kafka_ListConsumerGroupOffsets_destroy(request);
  RUNNEL_RETURN_IF_ERROR(status);
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) {
    return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
  });
  return out;
}

Status GroupAdmin::alterGroupOffsets(const std::string& group, const std::vector<TopicPartitionOffset>& offsets) {
  PartitionList list = toList(offsets);
  rd_kafka_AlterConsumerGroupOffsets_t* request = rd_kafka_AlterConsumerGroupOffsets_new(group.c_str(), list.get());
  Status status = runAdminRequest(
      rk_, timeout_, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT,
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_AlterConsumerGroupOffsets(rk_, &request, 1, options, queue);
      },
      [&](rd_kafka_event_t* event) {
        const auto* result =
            onlyGroup(rd_kafka_event_AlterConsumerGroupOffsets_result(event), rd_kafka_AlterConsumerGroupOffsets_result_groups);
        if (result == nullptr) return Status::internal("no result for group " + group + " in the response");
        RUNNEL_RETURN_IF_ERROR(fromError(rd_kafka_group_result_error(result)));
        for (const auto& [partition, partition_status] : partitionStatuses(rd_kafka_group_result_partitions(result))) {
          RUNNEL_RETURN_IF_ERROR(partition_status);
        }
        return Status::ok();
      });
  rd_kafka_AlterConsumerGroupOffsets_destroy(request);
  return status;
}

Result<std::vector<std::pair<std::string, Status>>> GroupAdmin::deleteGroups(const std::vector<std::string>& groups) {
  std::vector<rd_kafka_DeleteGroup_t*> requests;
  for (const auto& g : groups) requests.push_back(rd_kafka_DeleteGroup_new(g.c_str()));
  std::vector<std::pair<std::string, Status>> out;
  Status status = runAdminRequest(
      rk_, timeout_, RD_KAFKA_ADMIN_OP_DELETEGROUPS, RD_KAFKA_EVENT_DELETEGROUPS_RESULT,
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_DeleteGroups(rk_, requests.data(), requests.size(), options, queue);
      },
      [&](rd_kafka_event_t* event) {
        size_t count = 0;
        const auto** results = rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(event), &count);
        for (const auto& name : groups) {
          Status group_status = Status::internal("no result for group " + name + " in the response");
          for (size_t i = 0; i < count; ++i) {
            if (name == rd_kafka_group_result_name(results[i])) {
              group_status = fromError(rd_kafka_group_result_error(results[i]));
            }
          }
          out.push_back({name, group_status});
        }
        return Status::ok();
      });
  rd_kafka_DeleteGroup_destroy_array(requests.data(), requests.size());
  RUNNEL_RETURN_IF_ERROR(status);
  return out;
}

Result<DeleteGroupOffsetsResult> GroupAdmin::deleteGroupOffsets(const std::string& group,
                                                                const std::vector<TopicPartition>& partitions) {
  PartitionList list = toList(partitions);
  rd_kafka_DeleteConsumerGroupOffsets_t* request = rd_kafka_DeleteConsumerGroupOffsets_new(group.c_str(), list.get());
  DeleteGroupOffsetsResult out;
  Status status = runAdminRequest(
      rk_, timeout_, RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS, RD_KAFKA_EVENT_DELETECONSUMERGROUPOFFSETS_RESULT,
      [&](rd_kafka_AdminOptions_t* options, rd_kafka_queue_t* queue) {
        rd_kafka_DeleteConsumerGroupOffsets(rk_, &request, 1, options, queue);
      },
      [&](rd_kafka_event_t* event) {
        const auto* result =
            onlyGroup(rd_kafka_event_DeleteConsumerGroupOffsets_result(event), rd_kafka_DeleteConsumerGroupOffsets_result_groups);
        if (result == nullptr) return Status::internal("no result for group " + group + " in the response");
        out.error = fromError(rd_kafka_group_result_error(result));
        out.partitions = partitionStatuses(rd_kafka_group_result_partitions(result));
        return Status::ok();
      });
  rd_kafka_DeleteConsumerGroupOffsets_destroy(request);
  RUNNEL_RETURN_IF_ERROR(status);
  return out;
}

}  // namespace rdkafka
}  // namespace runnel::client
