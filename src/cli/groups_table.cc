#include "cli/groups_table.h"

#include <algorithm>
#include <map>
#include <type_traits>

namespace runnel::cli {
namespace {

constexpr const char* kMissing = "-";

// Java's "%-Ns": left-justified in at least `width` characters.
std::string pad(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

template <typename T>
std::string orMissing(const std::optional<T>& value) {
  if (!value) return kMissing;
  if constexpr (std::is_same_v<T, std::string>) {
    return *value;
  } else {
    return std::to_string(*value);
  }
}

// Joins padded columns with single spaces; the last column is not padded.
std::string line(const std::vector<std::pair<std::string, size_t>>& columns, const std::string& last) {
  std::string out;
  for (const auto& [text, width] : columns) out += pad(text, width) + " ";
  return out + last;
}

std::string assignmentText(const std::vector<client::TopicPartition>& assignment) {
  if (assignment.empty()) return kMissing;
  std::map<std::string, std::vector<int32_t>> by_topic;
  for (const auto& tp : assignment) by_topic[tp.topic].push_back(tp.partition);
  std::string out;
  for (auto& [topic, partitions] : by_topic) {
    std::sort(partitions.begin(), partitions.end());
    if (!out.empty()) out += ", ";
    out += topic + "(";
    for (size_t i = 0; i < partitions.size(); ++i) out += (i ? "," : "") + std::to_string(partitions[i]);
    out += ")";
  }
  return out;
}

}  // namespace

std::string formatOffsets(const std::vector<PartitionRow>& rows) {
  size_t group_w = 15, topic_w = 15, consumer_w = 15, host_w = 15;
  for (const auto& r : rows) {
    group_w = std::max(group_w, r.group.size());
    topic_w = std::max(topic_w, orMissing(r.topic).size());
    consumer_w = std::max(consumer_w, r.consumer_id.size());
    host_w = std::max(host_w, r.host.size());
  }
  auto row = [&](const std::string& g, const std::string& t, const std::string& p, const std::string& cur,
                 const std::string& end, const std::string& lag, const std::string& c, const std::string& h,
                 const std::string& client) {
    return line({{g, group_w}, {t, topic_w}, {p, 10}, {cur, 15}, {end, 15}, {lag, 15}, {c, consumer_w}, {h, host_w}},
                client) +
           "\n";
  };
  std::string out = "\n" + row("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                               "CONSUMER-ID", "HOST", "CLIENT-ID");
  for (const auto& r : rows) {
    out += row(r.group, orMissing(r.topic), orMissing(r.partition), orMissing(r.current_offset),
               orMissing(r.log_end_offset), orMissing(r.lag), r.consumer_id, r.host, r.client_id);
  }
  return out;
}

std::string formatMembers(const std::vector<MemberRow>& rows, bool verbose) {
  size_t group_w = 15, consumer_w = 15, instance_w = 17, host_w = 15, client_w = 15;
  bool with_instance = false;
  for (const auto& r : rows) {
    group_w = std::max(group_w, r.group.size());
    consumer_w = std::max(consumer_w, r.consumer_id.size());
    instance_w = std::max(instance_w, r.group_instance_id.size());
    host_w = std::max(host_w, r.host.size());
    client_w = std::max(client_w, r.client_id.size());
    with_instance = with_instance || !r.group_instance_id.empty();
  }
  auto row = [&](const std::string& g, const std::string& c, const std::string& i, const std::string& h,
                 const std::string& client, const std::string& n) {
    std::vector<std::pair<std::string, size_t>> columns{{g, group_w}, {c, consumer_w}};
    if (with_instance) columns.push_back({i, instance_w});
    columns.insert(columns.end(), {{h, host_w}, {client, client_w}, {n, 15}});
    return line(columns, "");
  };
  std::string out = "\n" + row("GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS");
  if (verbose) out += "ASSIGNMENT";
  out += "\n";
  for (const auto& r : rows) {
    out += row(r.group, r.consumer_id, r.group_instance_id, r.host, r.client_id, std::to_string(r.assignment.size()));
    if (verbose) out += assignmentText(r.assignment);
    out += "\n";
  }
  return out;
}

std::string formatState(const GroupStateRow& r) {
  std::string coordinator =
      r.coordinator.host + ":" + std::to_string(r.coordinator.port) + " (" + std::to_string(r.coordinator.id) + ")";
  // Kafka sizes the first column by the coordinator's text, not the group's.
  size_t first_w = std::max<size_t>(25, coordinator.size());
  auto row = [&](const std::string& g, const std::string& c, const std::string& a, const std::string& s,
                 const std::string& n) { return "\n" + line({{g, first_w}, {c, 25}, {a, 20}, {s, 15}}, n); };
  return row("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS") +
         row(r.group, coordinator, r.assignment_strategy, client::groupStateName(r.state), std::to_string(r.members)) +
         "\n";
}

std::string formatGroupList(const std::vector<client::GroupListing>& groups) {
  size_t group_w = 15;
  for (const auto& g : groups) group_w = std::max(group_w, g.group_id.size());
  group_w += 10;
  std::string out = pad("GROUP", group_w) + " " + pad("STATE", 20) + "\n";
  for (const auto& g : groups) out += pad(g.group_id, group_w) + " " + pad(client::groupStateName(g.state), 20) + "\n";
  return out;
}

std::string formatResetPlan(const std::vector<ResetRow>& rows, bool any_group) {
  if (!any_group) return "";
  auto row = [](const std::string& g, const std::string& t, const std::string& p, const std::string& o) {
    return line({{g, 30}, {t, 30}, {p, 10}}, pad(o, 15)) + "\n";
  };
  std::string out = "\n" + row("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
  for (const auto& r : rows) {
    out += row(r.group, r.partition.topic, std::to_string(r.partition.partition), std::to_string(r.new_offset));
  }
  return out;
}

std::string formatResetCsv(const std::vector<ResetRow>& rows, bool with_group) {
  std::string out;
  for (const auto& r : rows) {
    if (with_group) out += r.group + ",";
    out += r.partition.topic + "," + std::to_string(r.partition.partition) + "," + std::to_string(r.new_offset) + "\n";
  }
  return out;
}

std::string formatDeleteOffsets(std::vector<DeleteOffsetRow> rows) {
  // Kafka orders by topic name followed by the partition number, as one string.
  std::stable_sort(rows.begin(), rows.end(), [](const DeleteOffsetRow& a, const DeleteOffsetRow& b) {
    return a.topic + std::to_string(a.partition) < b.topic + std::to_string(b.partition);
  });
  auto row = [](const std::string& t, const std::string& p, const std::string& s) {
    return line({{t, 30}, {p, 15}}, pad(s, 15)) + "\n";
  };
  std::string out = "\n" + row("TOPIC", "PARTITION", "STATUS");
  for (const auto& r : rows) {
    out += row(r.topic, r.partition >= 0 ? std::to_string(r.partition) : "Not Provided", r.status);
  }
  return out;
}

}  // namespace runnel::cli
