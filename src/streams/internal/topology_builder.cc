#include "streams/internal/topology_builder.h"

#include <algorithm>
#include <numeric>
#include <set>

#include <fmt/format.h>

#include "streams/internal/node.h"

namespace runnel::streams::internal {
namespace {

std::string resolveTopic(const NodeFactory& node, const std::string& topic, const std::string& application_id) {
  return node.internal_topic ? application_id + "-" + topic : topic;
}

std::string joinNames(const std::vector<std::string>& names) {
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
}

// Union-find over node indexes.
struct Components {
  std::vector<size_t> parent;
  explicit Components(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  size_t find(size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }
  void unite(size_t a, size_t b) { parent[find(a)] = find(b); }
};

}  // namespace

TopologyBuilder::TopologyBuilder() = default;
TopologyBuilder::~TopologyBuilder() = default;

std::string TopologyBuilder::newName(std::string_view prefix) { return fmt::format("{}{:010d}", prefix, index_++); }

const NodeFactory* TopologyBuilder::node(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

Status TopologyBuilder::addNode(NodeFactory factory) {
  if (factory.name.empty()) return Status::invalidArgument("a node name must not be empty");
  if (by_name_.contains(factory.name)) {
    return Status::invalidArgument("Processor " + factory.name + " is already added.");
  }
  if (factory.kind == NodeKind::kSource) {
    if (factory.topics.empty()) return Status::invalidArgument("Source " + factory.name + " reads no topic");
    for (const auto& other : nodes_) {
      if (other->kind != NodeKind::kSource) continue;
      for (const auto& topic : factory.topics) {
        if (std::find(other->topics.begin(), other->topics.end(), topic) != other->topics.end()) {
          return Status::invalidArgument("Topic " + topic + " has already been registered by another source.");
        }
      }
    }
  } else if (factory.parents.empty()) {
    return Status::invalidArgument("Processor " + factory.name + " must have at least one parent");
  }
  for (const auto& parent_name : factory.parents) {
    const NodeFactory* parent = node(parent_name);
    if (parent == nullptr) return Status::invalidArgument("Parent processor " + parent_name + " is not added yet.");
    if (parent->kind == NodeKind::kSink) return Status::invalidArgument("Sink " + parent_name + " cannot be a parent.");
    // A processor that forwards nothing (Void output) may still be a parent of nodes
    // that never receive records from it; any other mismatch is a programming error.
    bool forwards_nothing = parent->types.key_out == typeid(void);
    if (!forwards_nothing &&
        (parent->types.key_out != factory.types.key_in || parent->types.value_out != factory.types.value_in)) {
      return Status::invalidArgument("Processor " + factory.name + " takes records of other types than its parent " +
                                     parent_name + " forwards");
    }
  }
  factory.order = static_cast<int32_t>(nodes_.size());
  nodes_.push_back(std::make_unique<NodeFactory>(std::move(factory)));
  by_name_[nodes_.back()->name] = nodes_.back().get();
  return Status::ok();
}

Status TopologyBuilder::addStateStore(std::shared_ptr<const StoreBuilderBase> builder,
                                      const std::vector<std::string>& processor_names) {
  const std::string& name = builder->name();
  if (stores_.contains(name)) return Status::invalidArgument("StateStore " + name + " is already added.");
  stores_[name] = std::move(builder);
  for (const auto& processor : processor_names) {
    RUNNEL_RETURN_IF_ERROR(connectProcessorAndStateStores(processor, {name}));
  }
  return Status::ok();
}

Status TopologyBuilder::connectProcessorAndStateStores(const std::string& processor_name,
                                                       const std::vector<std::string>& store_names) {
  if (store_names.empty()) return Status::ok();
  auto it = by_name_.find(processor_name);
  if (it == by_name_.end() || it->second->kind != NodeKind::kProcessor) {
    return Status::invalidArgument("Processor " + processor_name + " is not added yet.");
  }
  for (const auto& store : store_names) {
    if (!stores_.contains(store)) return Status::invalidArgument("StateStore " + store + " is not added yet.");
    if (global_stores_.contains(store)) {
      return Status::invalidArgument("Global StateStore " + store +
                                     " can be used by a Processor without being specified; it should not be "
                                     "explicitly passed.");
    }
    auto& stores = it->second->stores;
    if (std::find(stores.begin(), stores.end(), store) == stores.end()) stores.push_back(store);
  }
  return Status::ok();
}

Status TopologyBuilder::addGlobalStore(std::shared_ptr<const StoreBuilderBase> builder, NodeFactory source,
                                       NodeFactory processor,
                                       std::function<void(const StreamsConfig&)> resolve_serdes) {
  if (builder->loggingEnabled()) {
    return Status::invalidArgument("StateStore " + builder->name() + " for global table must not have logging enabled.");
  }
  if (source.topics.size() != 1) return Status::invalidArgument("a global store reads exactly one topic");
  std::string processor_name = processor.name;
  RUNNEL_RETURN_IF_ERROR(addNode(std::move(source)));
  RUNNEL_RETURN_IF_ERROR(addNode(std::move(processor)));
  RUNNEL_RETURN_IF_ERROR(addStateStore(builder, {processor_name}));
  global_stores_[builder->name()] = std::move(resolve_serdes);
  return Status::ok();
}

const std::string* TopologyBuilder::globalStoreOf(const std::vector<const NodeFactory*>& group) const {
  for (const NodeFactory* n : group) {
    for (const auto& store : n->stores) {
      if (auto it = global_stores_.find(store); it != global_stores_.end()) return &it->first;
    }
  }
  return nullptr;
}

const SubTopology& BuiltTopology::subTopology(int32_t id) const {
  return *std::find_if(sub_topologies.begin(), sub_topologies.end(),
                       [id](const SubTopology& sub) { return sub.id == id; });
}

const GlobalStoreTopology* BuiltTopology::globalStore(std::string_view store) const {
  for (const auto& global : global_stores) {
    if (global.store == store) return &global;
  }
  return nullptr;
}

std::vector<std::vector<const NodeFactory*>> TopologyBuilder::groups() const {
  Components components(nodes_.size());
  std::map<std::string, size_t> first_user_of_store;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    for (const auto& parent : nodes_[i]->parents) components.unite(i, static_cast<size_t>(by_name_.at(parent)->order));
    for (const auto& store : nodes_[i]->stores) {
      auto [it, inserted] = first_user_of_store.emplace(store, i);
      if (!inserted) components.unite(i, it->second);
    }
  }
  // Numbered as Kafka does: source nodes by sorted name first, then the other nodes.
  std::vector<const NodeFactory*> sorted;
  for (const auto& n : nodes_) sorted.push_back(n.get());
  std::stable_sort(sorted.begin(), sorted.end(), [](const NodeFactory* a, const NodeFactory* b) {
    bool a_source = a->kind == NodeKind::kSource, b_source = b->kind == NodeKind::kSource;
    if (a_source != b_source) return a_source;
    return a->name < b->name;
  });
  std::map<size_t, size_t> group_of_root;
  std::vector<std::vector<const NodeFactory*>> out;
  for (const NodeFactory* n : sorted) {
    size_t root = components.find(static_cast<size_t>(n->order));
    auto [it, inserted] = group_of_root.emplace(root, out.size());
    if (inserted) out.emplace_back();
  }
  for (const auto& n : nodes_) {
    out[group_of_root.at(components.find(static_cast<size_t>(n->order)))].push_back(n.get());
  }
  return out;
}

Result<BuiltTopology> TopologyBuilder::build(const std::string& application_id) const {
  BuiltTopology built;
  auto node_groups = groups();
  for (size_t id = 0; id < node_groups.size(); ++id) {
    if (const std::string* store = globalStoreOf(node_groups[id])) {
      // Its source reads the topic as it is named: global topics are never internal.
      built.global_stores.push_back(
          {static_cast<int32_t>(id), node_groups[id].front()->topics.front(), *store, global_stores_.at(*store)});
      continue;
    }
    SubTopology sub;
    sub.id = static_cast<int32_t>(id);
    sub.nodes = node_groups[id];
    std::set<std::string> stores;
    std::map<std::string, int> users_of_store;
    for (const NodeFactory* n : sub.nodes) {
      for (const auto& store : n->stores) {
        stores.insert(store);
        sub.copartitioned = sub.copartitioned || ++users_of_store[store] > 1;
      }
      if (n->kind == NodeKind::kSource) {
        for (const auto& topic : n->topics) {
          std::string resolved = resolveTopic(*n, topic, application_id);
          built.sub_topology_of_topic[resolved] = sub.id;
          sub.source_topics.push_back(std::move(resolved));
        }
      } else if (n->kind == NodeKind::kSink && n->internal_topic) {
        built.writer_of_topic[resolveTopic(*n, n->topics.front(), application_id)] = sub.id;
      }
    }
    if (sub.source_topics.empty()) {
      return Status::invalidArgument("sub-topology " + std::to_string(id) + " reads no topic");
    }
    std::sort(sub.source_topics.begin(), sub.source_topics.end());
    sub.stores.assign(stores.begin(), stores.end());
    built.sub_topologies.push_back(std::move(sub));
  }
  for (const auto& topic : internal_topics_) {
    built.internal_topics.push_back({application_id + "-" + topic.name, topic.partitions});
  }
  built.stores = stores_;
  return built;
}

std::string TopologyBuilder::describe() const {
  std::string out = "Topologies:\n";
  auto node_groups = groups();
  for (size_t id = 0; id < node_groups.size(); ++id) {
    bool global = globalStoreOf(node_groups[id]) != nullptr;
    fmt::format_to(std::back_inserter(out), "   Sub-topology: {}{}\n", id,
                   global ? " for global store (will not generate tasks)" : "");
    for (const NodeFactory* n : node_groups[id]) {
      std::vector<std::string> children;
      for (const auto& other : nodes_) {
        if (std::find(other->parents.begin(), other->parents.end(), n->name) != other->parents.end()) {
          children.push_back(other->name);
        }
      }
      switch (n->kind) {
        case NodeKind::kSource:
          fmt::format_to(std::back_inserter(out), "    Source: {} (topics: [{}])\n      --> {}\n", n->name,
                         fmt::join(n->topics, ", "), joinNames(children));
          break;
        case NodeKind::kProcessor:
          fmt::format_to(std::back_inserter(out), "    Processor: {} (stores: [{}])\n      --> {}\n      <-- {}\n",
                         n->name, fmt::join(n->stores, ", "), joinNames(children), joinNames(n->parents));
          break;
        case NodeKind::kSink:
          if (n->topics.empty()) {
            fmt::format_to(std::back_inserter(out), "    Sink: {} (extractor class: TopicNameExtractor)\n", n->name);
          } else {
            fmt::format_to(std::back_inserter(out), "    Sink: {} (topic: {})\n", n->name, n->topics.front());
          }
          fmt::format_to(std::back_inserter(out), "      <-- {}\n", joinNames(n->parents));
          break;
      }
    }
    // As Kafka's TopologyDescription: no blank line after a global store.
    if (!global) out += "\n";
  }
  return out;
}

}  // namespace runnel::streams::internal
