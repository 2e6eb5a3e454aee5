#include "broker/group/group.h"

#include <algorithm>

#include "broker/group/group_codec.h"

namespace runnel::broker::group {

const char* stateName(GroupState state) {
  switch (state) {
    case GroupState::kEmpty: return "Empty";
    case GroupState::kPreparingRebalance: return "PreparingRebalance";
    case GroupState::kCompletingRebalance: return "CompletingRebalance";
    case GroupState::kStable: return "Stable";
    case GroupState::kDead: return "Dead";
  }
  return "Dead";
}

const Bytes* Member::metadataFor(const std::string& protocol) const {
  for (const auto& [name, metadata] : protocols) {
    if (name == protocol) return &metadata;
  }
  return nullptr;
}

void Group::transitionTo(GroupState state, int64_t now_ms) {
  state_ = state;
  state_timestamp_ms_ = now_ms;
}

Member* Group::member(const std::string& member_id) {
  auto it = members_.find(member_id);
  return it == members_.end() ? nullptr : &it->second;
}

void Group::add(Member member) {
  if (members_.empty()) protocol_type_ = member.protocol_type;
  if (leader_.empty()) leader_ = member.member_id;
  if (member.group_instance_id) static_members_[*member.group_instance_id] = member.member_id;
  std::string id = member.member_id;
  members_.insert_or_assign(id, std::move(member));
}

void Group::remove(const std::string& member_id) {
  auto it = members_.find(member_id);
  if (it == members_.end()) return;
  if (it->second.group_instance_id) static_members_.erase(*it->second.group_instance_id);
  members_.erase(it);
  if (leader_ != member_id) return;
  // Prefer a member that is already waiting to join, as Kafka does, so that the next
  // generation's leader is one that will get the JoinGroup response with the members.
  leader_.clear();
  for (const auto& [id, m] : members_) {
    if (m.awaiting_join) {
      leader_ = id;
      return;
    }
  }
  if (!members_.empty()) leader_ = members_.begin()->first;
}

std::optional<std::string> Group::staticMember(const std::string& instance_id) const {
  auto it = static_members_.find(instance_id);
  if (it == static_members_.end()) return std::nullopt;
  return it->second;
}

bool Group::isStaticMemberFenced(const std::string& member_id, const std::optional<std::string>& instance_id) const {
  if (!instance_id) return false;
  auto current = staticMember(*instance_id);
  return current && *current != member_id;
}

void Group::replaceStaticMember(const std::string& instance_id, const std::string& old_id, const std::string& new_id) {
  auto node = members_.extract(old_id);
  node.key() = new_id;
  node.mapped().member_id = new_id;
  members_.insert(std::move(node));
  static_members_[instance_id] = new_id;
  if (leader_ == old_id) leader_ = new_id;
}

bool Group::supportsProtocols(const std::string& protocol_type,
                              const std::vector<std::pair<std::string, Bytes>>& protocols) const {
  if (protocol_type.empty() || protocols.empty()) return false;
  if (members_.empty()) return true;
  if (protocol_type != protocol_type_) return false;
  return std::any_of(protocols.begin(), protocols.end(), [&](const auto& protocol) {
    return std::all_of(members_.begin(), members_.end(),
                       [&](const auto& m) { return m.second.metadataFor(protocol.first) != nullptr; });
  });
}

std::string Group::selectProtocol() const {
  if (members_.empty()) return {};
  const Member& any = members_.begin()->second;
  std::vector<std::string> candidates;
  for (const auto& [name, metadata] : any.protocols) {
    bool everyone = std::all_of(members_.begin(), members_.end(),
                                [&](const auto& m) { return m.second.metadataFor(name) != nullptr; });
    if (everyone) candidates.push_back(name);
  }
  std::map<std::string, int> votes;
  for (const auto& [id, m] : members_) {
    for (const auto& [name, metadata] : m.protocols) {
      if (std::find(candidates.begin(), candidates.end(), name) != candidates.end()) {
        ++votes[name];
        break;
      }
    }
  }
  std::string best;
  int best_votes = -1;
  for (const auto& name : candidates) {
    if (votes[name] > best_votes) {
      best = name;
      best_votes = votes[name];
    }
  }
  return best;
}

void Group::initNextGeneration(int64_t now_ms) {
  ++generation_;
  if (members_.empty()) {
    protocol_name_.reset();
    transitionTo(GroupState::kEmpty, now_ms);
  } else {
    protocol_name_ = selectProtocol();
    transitionTo(GroupState::kCompletingRebalance, now_ms);
  }
}

void Group::restore(std::string protocol_type, int32_t generation, std::optional<std::string> protocol_name,
                    std::string leader, int64_t state_timestamp_ms) {
  protocol_type_ = std::move(protocol_type);
  generation_ = generation;
  protocol_name_ = std::move(protocol_name);
  leader_ = std::move(leader);
  transitionTo(members_.empty() ? GroupState::kEmpty : GroupState::kStable, state_timestamp_ms);
}

size_t Group::awaitingJoinCount() const {
  return size_t(std::count_if(members_.begin(), members_.end(), [](const auto& m) { return bool(m.second.awaiting_join); }));
}

bool Group::allMembersJoined() const { return awaitingJoinCount() == members_.size() && pending_members_.empty(); }

std::set<std::string> Group::subscribedTopics() const {
  std::set<std::string> topics;
  if (protocol_type_ != "consumer" || !protocol_name_) return topics;
  for (const auto& [id, m] : members_) {
    if (const Bytes* metadata = m.metadataFor(*protocol_name_)) {
      for (auto& topic : subscriptionTopics(*metadata)) topics.insert(std::move(topic));
    }
  }
  return topics;
}

}  // namespace runnel::broker::group
