// --list, --describe, --delete and --delete-offsets of `runnel groups`.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "cli/groups_actions.h"
#include "cli/groups_table.h"

namespace runnel::cli {
namespace {

using client::GroupDescription;
using client::GroupState;
using client::TopicPartition;

// Kafka's shouldPrintMemberState: reports the state, says whether there is a table.
bool shouldPrint(GroupsRun& run, const std::string& group, GroupState state, size_t rows) {
  switch (state) {
    case GroupState::kDead:
      run.error("Consumer group '" + group + "' does not exist.");
      return false;
    case GroupState::kEmpty:
      run.err << "\nConsumer group '" << group << "' has no active members.\n";
      break;
    case GroupState::kPreparingRebalance:
    case GroupState::kCompletingRebalance:
      run.err << "\nWarning: Consumer group '" << group << "' is rebalancing.\n";
      break;
    case GroupState::kStable:
      break;
    case GroupState::kUnknown:
      run.error("Expected a valid consumer group state, but found 'Unknown'.");
      return false;
  }
  return rows > 0;
}

// Log-end offsets; a partition whose offset cannot be read is left out (printed "-").
std::map<TopicPartition, int64_t> logEndOffsets(client::Admin& admin, const std::vector<TopicPartition>& partitions) {
  std::map<TopicPartition, int64_t> out;
  auto record = [&](const std::vector<client::TopicPartitionOffset>& offsets) {
    for (const auto& o : offsets) out[{o.topic, o.partition}] = o.offset;
  };
  if (partitions.empty()) return out;
  if (auto all = admin.listOffsets(partitions, client::OffsetSpec::latest())) {
    record(*all);
    return out;
  }
  for (const auto& p : partitions) {
    if (auto one = admin.listOffsets({p}, client::OffsetSpec::latest())) record(*one);
  }
  return out;
}

Result<std::vector<PartitionRow>> offsetRows(GroupsRun& run, const GroupDescription& group) {
  RUNNEL_ASSIGN_OR_RETURN(auto committed_list, run.admin.listGroupOffsets(group.group_id));
  std::map<TopicPartition, int64_t> committed;
  for (const auto& c : committed_list) committed[{c.topic, c.partition}] = c.offset;
  std::vector<const client::GroupMember*> members;
  for (const auto& m : group.members) {
    if (!m.assignment.empty()) members.push_back(&m);
  }
  std::stable_sort(members.begin(), members.end(),
                   [](auto* a, auto* b) { return a->assignment.size() > b->assignment.size(); });
  std::vector<PartitionRow> rows;
  std::set<TopicPartition> assigned;
  auto addRow = [&](const TopicPartition& tp, const std::string& consumer, const std::string& host,
                    const std::string& client_id) {
    PartitionRow row{group.group_id, tp.topic, tp.partition};
    if (auto it = committed.find(tp); it != committed.end()) row.current_offset = it->second;
    row.consumer_id = consumer;
    row.host = host;
    row.client_id = client_id;
    rows.push_back(std::move(row));
  };
  for (const auto* m : members) {
    std::vector<TopicPartition> partitions = m->assignment;
    std::sort(partitions.begin(), partitions.end());
    for (const auto& tp : partitions) {
      assigned.insert(tp);
      addRow(tp, m->consumer_id, m->host, m->client_id);
    }
  }
  for (const auto& [tp, offset] : committed) {
    if (!assigned.contains(tp)) addRow(tp, "-", "-", "-");
  }
  std::vector<TopicPartition> partitions;
  for (const auto& r : rows) partitions.push_back({*r.topic, *r.partition});
  auto ends = logEndOffsets(run.admin, partitions);
  for (auto& r : rows) {
    if (auto it = ends.find({*r.topic, *r.partition}); it != ends.end()) r.log_end_offset = it->second;
    if (r.current_offset && r.log_end_offset) r.lag = *r.log_end_offset - *r.current_offset;
  }
  return rows;
}

Status describeOne(GroupsRun& run, const GroupDescription& group) {
  const auto& o = run.options;
  switch (o.view) {
    case GroupsOptions::View::kOffsets: {
      RUNNEL_ASSIGN_OR_RETURN(auto rows, offsetRows(run, group));
      if (shouldPrint(run, group.group_id, group.state, rows.size())) run.out << formatOffsets(rows);
      break;
    }
    case GroupsOptions::View::kMembers: {
      std::vector<MemberRow> rows;
      for (const auto& m : group.members) {
        rows.push_back({group.group_id, m.consumer_id, m.group_instance_id.value_or(""), m.host, m.client_id,
                        m.assignment});
      }
      if (shouldPrint(run, group.group_id, group.state, rows.size())) run.out << formatMembers(rows, o.verbose);
      break;
    }
    case GroupsOptions::View::kState:
      if (shouldPrint(run, group.group_id, group.state, 1)) {
        run.out << formatState(
            {group.group_id, group.coordinator, group.partition_assignor, group.state, group.members.size()});
      }
      break;
  }
  return Status::ok();
}

// Scala's mkString("'", "', '", "'"), which Kafka uses for lists of groups.
std::string quotedList(const std::vector<std::string>& names) {
  std::string out = "'";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? "', '" : "") + names[i];
  return out + "'";
}

}  // namespace

Result<std::vector<std::string>> selectedGroups(GroupsRun& run) {
  if (!run.options.all_groups) return run.options.groups;
  RUNNEL_ASSIGN_OR_RETURN(auto listings, run.admin.listGroups({}));
  std::vector<std::string> ids;
  for (const auto& l : listings) ids.push_back(l.group_id);
  return ids;
}

Status listGroups(GroupsRun& run) {
  RUNNEL_ASSIGN_OR_RETURN(auto listings, run.admin.listGroups(run.options.states));
  if (run.options.with_state) {
    run.out << formatGroupList(listings);
  } else {
    for (const auto& l : listings) run.out << l.group_id << "\n";
  }
  return Status::ok();
}

Status describeGroups(GroupsRun& run) {
  RUNNEL_ASSIGN_OR_RETURN(auto ids, selectedGroups(run));
  if (ids.empty()) return Status::ok();
  RUNNEL_ASSIGN_OR_RETURN(auto described, run.admin.describeGroups(ids));
  std::sort(described.begin(), described.end(), [](auto& a, auto& b) { return a.group_id < b.group_id; });
  for (const auto& group : described) {
    RUNNEL_RETURN_IF_ERROR(group.error);
    RUNNEL_RETURN_IF_ERROR(describeOne(run, group));
  }
  return Status::ok();
}

Status deleteGroups(GroupsRun& run) {
  RUNNEL_ASSIGN_OR_RETURN(auto ids, selectedGroups(run));
  RUNNEL_ASSIGN_OR_RETURN(auto results, run.admin.deleteGroups(ids));
  std::vector<std::string> deleted;
  std::vector<std::pair<std::string, Status>> failed;
  for (auto& [group, status] : results) {
    if (status.isOk()) {
      deleted.push_back(group);
    } else {
      failed.push_back({group, status});
    }
  }
  if (failed.empty()) {
    run.out << "Deletion of requested consumer groups (" << quotedList(deleted) << ") was successful.\n";
    return Status::ok();
  }
  run.error("Deletion of some consumer groups failed:");
  for (const auto& [group, status] : failed) {
    run.err << "* Group '" << group << "' could not be deleted due to: " << javaExceptionText(status) << "\n";
  }
  if (!deleted.empty()) run.out << "\nThese consumer groups were deleted successfully: " << quotedList(deleted) << "\n";
  return Status::ok();
}

Status deleteOffsets(GroupsRun& run) {
  const std::string& group = run.options.groups.front();
  std::vector<DeleteOffsetRow> rows;
  std::vector<TopicPartition> partitions;
  std::optional<client::ClusterMetadata> cluster;
  for (const auto& arg : run.options.topics) {
    RUNNEL_ASSIGN_OR_RETURN(TopicArg topic, parseTopicArg(arg));
    for (int32_t p : topic.partitions) partitions.push_back({topic.topic, p});
    if (!topic.partitions.empty()) continue;
    if (!cluster) {
      RUNNEL_ASSIGN_OR_RETURN(cluster, run.admin.metadata(std::nullopt));
    }
    auto it = std::find_if(cluster->topics.begin(), cluster->topics.end(),
                           [&](auto& t) { return t.name == topic.topic && t.error.isOk(); });
    if (it == cluster->topics.end()) {
      Status missing = Status::notFound("UNKNOWN_TOPIC_OR_PART: This server does not host this topic-partition.");
      rows.push_back({topic.topic, -1, "Error: " + javaExceptionText(missing)});
      continue;
    }
    for (const auto& p : it->partitions) partitions.push_back({topic.topic, p.id});
  }
  client::DeleteGroupOffsetsResult result;
  if (!partitions.empty()) {
    auto deleted = run.admin.deleteGroupOffsets(group, partitions);
    if (deleted) {
      result = std::move(*deleted);
    } else {
      result.error = deleted.status();
    }
  }
  // As Java's all(): the group's error, else the first partition's.
  Status top = result.error;
  for (const auto& [tp, status] : result.partitions) {
    if (top.isOk()) top = status;
  }
  for (const auto& tp : partitions) {
    Status status = result.error;
    for (const auto& [done, partition_status] : result.partitions) {
      if (done == tp && status.isOk()) status = partition_status;
    }
    rows.push_back({tp.topic, tp.partition, status.isOk() ? "Successful" : "Error: " + javaExceptionText(status)});
  }
  std::string name = client::kafkaErrorName(top);
  if (top.isOk()) {
    std::string topics;
    for (const auto& t : run.options.topics) topics += (topics.empty() ? "" : ", ") + t;
    run.out << "Request succeed for deleting offsets with topic " << topics << " group " << group << "\n";
  } else if (name == "INVALID_GROUP_ID") {
    run.error("'" + group + "' is not valid.");
  } else if (name == "GROUP_ID_NOT_FOUND") {
    run.error("'" + group + "' does not exist.");
  } else if (name == "GROUP_AUTHORIZATION_FAILED") {
    run.error("Access to '" + group + "' is not authorized.");
  } else if (name == "NON_EMPTY_GROUP") {
    run.error("Deleting offsets of a consumer group '" + group + "' is forbidden if the group is not empty.");
  } else if (name == "GROUP_SUBSCRIBED_TO_TOPIC" || name == "TOPIC_AUTHORIZATION_FAILED" ||
             name == "UNKNOWN_TOPIC_OR_PART") {
    run.error("Encounter some partition level error, see the follow-up details:");
  } else {
    run.error("Encounter some unknown error: " + (name.empty() ? client::kafkaErrorMessage(top) : name));
  }
  run.out << formatDeleteOffsets(std::move(rows));
  return Status::ok();
}

}  // namespace runnel::cli
