// --reset-offsets of `runnel groups`: plans new committed offsets for inactive groups
// and, with --execute, commits them.
#include <algorithm>
#include <map>

#include "cli/groups_actions.h"
#include "cli/groups_table.h"

namespace runnel::cli {
namespace {

using client::OffsetSpec;
using client::TopicPartition;
using client::TopicPartitionOffset;
using Offsets = std::map<TopicPartition, int64_t>;

std::string name(const TopicPartition& tp) { return tp.topic + "-" + std::to_string(tp.partition); }

Result<Offsets> logOffsets(GroupsRun& run, const std::vector<TopicPartition>& partitions, OffsetSpec spec) {
  Offsets out;
  if (partitions.empty()) return out;
  RUNNEL_ASSIGN_OR_RETURN(auto offsets, run.admin.listOffsets(partitions, spec));
  for (const auto& o : offsets) out[{o.topic, o.partition}] = o.offset;
  return out;
}

Result<Offsets> committedOffsets(GroupsRun& run, const std::string& group) {
  RUNNEL_ASSIGN_OR_RETURN(auto list, run.admin.listGroupOffsets(group));
  Offsets out;
  for (const auto& o : list) out[{o.topic, o.partition}] = o.offset;
  return out;
}

// The partitions --all-topics or --topic designate, all checked to exist.
Result<std::vector<TopicPartition>> partitionsToReset(GroupsRun& run, const std::string& group) {
  std::vector<TopicPartition> out;
  if (run.options.all_topics) {
    RUNNEL_ASSIGN_OR_RETURN(auto committed, committedOffsets(run, group));
    for (const auto& [tp, offset] : committed) out.push_back(tp);
    return out;
  }
  RUNNEL_ASSIGN_OR_RETURN(auto cluster, run.admin.metadata(std::nullopt));
  auto find = [&](const std::string& topic) -> const client::TopicMetadata* {
    for (const auto& t : cluster.topics) {
      if (t.name == topic && t.error.isOk()) return &t;
    }
    return nullptr;
  };
  std::vector<std::string> missing;
  for (const auto& text : run.options.topics) {
    RUNNEL_ASSIGN_OR_RETURN(TopicArg arg, parseTopicArg(text));
    const client::TopicMetadata* topic = find(arg.topic);
    if (arg.partitions.empty()) {
      if (topic == nullptr) {
        return Status::notFound(javaExceptionText(Status::notFound("UNKNOWN_TOPIC_OR_PART: ")));
      }
      for (const auto& p : topic->partitions) out.push_back({arg.topic, p.id});
      continue;
    }
    for (int32_t p : arg.partitions) {
      bool exists = topic != nullptr && std::any_of(topic->partitions.begin(), topic->partitions.end(),
                                                    [&](auto& pm) { return pm.id == p; });
      if (!exists) missing.push_back(name({arg.topic, p}));
      out.push_back({arg.topic, p});
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ",") + m;
    return Status::notFound("The partitions \"" + list + "\" do not exist");
  }
  return out;
}

// Kafka's checkOffsetsRange: requested offsets are clamped into [log start, log end].
Result<Offsets> clampToLog(GroupsRun& run, const Offsets& requested) {
  std::vector<TopicPartition> partitions;
  for (const auto& [tp, offset] : requested) partitions.push_back(tp);
  RUNNEL_ASSIGN_OR_RETURN(auto starts, logOffsets(run, partitions, OffsetSpec::earliest()));
  RUNNEL_ASSIGN_OR_RETURN(auto ends, logOffsets(run, partitions, OffsetSpec::latest()));
  Offsets out;
  for (const auto& [tp, offset] : requested) {
    int64_t value = offset;
    if (offset > ends[tp]) {
      value = ends[tp];
      run.err << "WARN New offset (" << offset << ") is higher than latest offset for topic partition " << name(tp)
              << ". Value will be set to " << value << "\n";
    } else if (offset < starts[tp]) {
      value = starts[tp];
      run.err << "WARN New offset (" << offset << ") is lower than earliest offset for topic partition " << name(tp)
              << ". Value will be set to " << value << "\n";
    }
    out[tp] = value;
  }
  return out;
}

Result<Offsets> offsetsForDatetime(GroupsRun& run, const std::vector<TopicPartition>& partitions) {
  RUNNEL_ASSIGN_OR_RETURN(int64_t timestamp, parseKafkaDateTime(run.options.reset_datetime));
  RUNNEL_ASSIGN_OR_RETURN(auto found, logOffsets(run, partitions, OffsetSpec::forTimestamp(timestamp)));
  std::vector<TopicPartition> empty;
  for (const auto& [tp, offset] : found) {
    if (offset >= 0) continue;
    run.out << "\nWarn: Partition " << tp.partition << " from topic " << tp.topic
            << " is empty. Falling back to latest known offset.\n";
    empty.push_back(tp);
  }
  RUNNEL_ASSIGN_OR_RETURN(auto ends, logOffsets(run, empty, OffsetSpec::latest()));
  for (const auto& [tp, offset] : ends) found[tp] = offset;
  return found;
}

Result<Offsets> planGroup(GroupsRun& run, const std::string& group) {
  RUNNEL_ASSIGN_OR_RETURN(auto partitions, partitionsToReset(run, group));
  const auto& o = run.options;
  switch (o.reset) {
    case GroupsOptions::Reset::kToEarliest: return logOffsets(run, partitions, OffsetSpec::earliest());
    case GroupsOptions::Reset::kToLatest: return logOffsets(run, partitions, OffsetSpec::latest());
    case GroupsOptions::Reset::kToDatetime: return offsetsForDatetime(run, partitions);
    case GroupsOptions::Reset::kToOffset: {
      Offsets requested;
      for (const auto& tp : partitions) requested[tp] = o.reset_value;
      return clampToLog(run, requested);
    }
    case GroupsOptions::Reset::kShiftBy: {
      RUNNEL_ASSIGN_OR_RETURN(auto committed, committedOffsets(run, group));
      Offsets requested;
      for (const auto& tp : partitions) {
        auto it = committed.find(tp);
        if (it == committed.end()) {
          return Status::invalidArgument("Cannot shift offset for partition " + name(tp) +
                                         " since there is no current committed offset");
        }
        requested[tp] = it->second + o.reset_value;
      }
      return clampToLog(run, requested);
    }
    case GroupsOptions::Reset::kToCurrent: {
      RUNNEL_ASSIGN_OR_RETURN(auto committed, committedOffsets(run, group));
      std::vector<TopicPartition> uncommitted;
      Offsets out;
      for (const auto& tp : partitions) {
        if (auto it = committed.find(tp); it != committed.end()) {
          out[tp] = it->second;
        } else {
          uncommitted.push_back(tp);
        }
      }
      RUNNEL_ASSIGN_OR_RETURN(auto ends, logOffsets(run, uncommitted, OffsetSpec::latest()));
      out.insert(ends.begin(), ends.end());
      return out;
    }
  }
  return Status::internal("unknown reset scenario");
}

}  // namespace

Status resetOffsets(GroupsRun& run) {
  RUNNEL_ASSIGN_OR_RETURN(auto ids, selectedGroups(run));
  if (ids.empty()) return Status::ok();
  RUNNEL_ASSIGN_OR_RETURN(auto described, run.admin.describeGroups(ids));
  std::vector<ResetRow> plan;
  for (const auto& group : described) {
    // A group the coordinator has never heard of can be given offsets, as a dead one.
    client::GroupState state = group.state;
    if (!group.error.isOk()) {
      if (client::kafkaErrorName(group.error) != "GROUP_ID_NOT_FOUND") return group.error;
      state = client::GroupState::kDead;
    }
    if (state != client::GroupState::kEmpty && state != client::GroupState::kDead) {
      run.error("Assignments can only be reset if the group '" + group.group_id +
                "' is inactive, but the current state is " + client::groupStateName(state) + ".");
      continue;
    }
    RUNNEL_ASSIGN_OR_RETURN(auto offsets, planGroup(run, group.group_id));
    if (run.options.execute && !offsets.empty()) {
      std::vector<TopicPartitionOffset> commit;
      for (const auto& [tp, offset] : offsets) commit.push_back({tp.topic, tp.partition, offset});
      RUNNEL_RETURN_IF_ERROR(run.admin.alterGroupOffsets(group.group_id, commit));
    }
    for (const auto& [tp, offset] : offsets) plan.push_back({group.group_id, tp, offset});
  }
  std::stable_sort(plan.begin(), plan.end(), [](auto& a, auto& b) { return a.group < b.group; });
  if (run.options.export_csv) {
    // Kafka writes the group column unless exactly one --group was given.
    run.out << formatResetCsv(plan, run.options.groups.size() != 1) << "\n";
  } else {
    run.out << formatResetPlan(plan, !described.empty());
  }
  return Status::ok();
}

}  // namespace runnel::cli
