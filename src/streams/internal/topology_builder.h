#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

#include "common/result.h"
#include "streams/state_store.h"

namespace runnel::streams {
class StreamsConfig;
}  // namespace runnel::streams

namespace runnel::streams::internal {

class Node;

enum class NodeKind { kSource, kProcessor, kSink };

// The types of the records a node receives and forwards; checked when nodes connect.
struct NodeTypes {
  std::type_index key_in = typeid(void);
  std::type_index value_in = typeid(void);
  std::type_index key_out = typeid(void);
  std::type_index value_out = typeid(void);
};

// How to make one node for each task, and where it sits in the graph.
struct NodeFactory {
  std::string name;
  NodeKind kind = NodeKind::kProcessor;
  std::vector<std::string> parents;
  // Sources: the topics read; sinks: the topic written (empty with a topic extractor).
  std::vector<std::string> topics;
  // Source or sink of a repartition topic: named without the application id, which is
  // prefixed when the application runs.
  bool internal_topic = false;
  std::vector<std::string> stores;
  NodeTypes types;
  std::function<std::unique_ptr<Node>()> make;
  int32_t order = 0;  // creation order
};

// A repartition topic the application creates, named without the application id.
struct InternalTopic {
  std::string name;
  int32_t partitions = -1;  // -1: as many as the source topics of the writing sub-topology
};

// A connected part of the graph: the unit of tasks (one task per input partition).
struct SubTopology {
  int32_t id = 0;
  std::vector<const NodeFactory*> nodes;  // parents before children
  std::vector<std::string> source_topics;  // resolved names, sorted
  std::vector<std::string> stores;
  // A store is shared by processors on different paths (a join): the input topics must
  // have as many partitions as each other, so that a key meets its match in one task.
  bool copartitioned = false;
};

// A global store's sub-topology (source and KTABLE-SOURCE processor): it makes no tasks;
// every instance keeps the store as a copy of all partitions of the topic.
struct GlobalStoreTopology {
  int32_t id = 0;  // numbered with the sub-topologies, as Kafka numbers it
  std::string topic;
  std::string store;
  // Resolves the default serdes the store uses, before it opens: no task does.
  std::function<void(const StreamsConfig&)> resolve_serdes;
};

// The topology as the runtime uses it, for one application id.
struct BuiltTopology {
  // Keeps the TopologyBuilder alive: sub-topologies point into its node factories.
  std::shared_ptr<const void> owner;
  std::vector<SubTopology> sub_topologies;  // by id; a global store's id is missing
  std::vector<GlobalStoreTopology> global_stores;
  std::vector<InternalTopic> internal_topics;  // resolved names
  std::map<std::string, std::shared_ptr<const StoreBuilderBase>> stores;
  std::map<std::string, int32_t> sub_topology_of_topic;  // resolved source topic -> id
  std::map<std::string, int32_t> writer_of_topic;        // resolved internal topic -> id

  const SubTopology& subTopology(int32_t id) const;
  const GlobalStoreTopology* globalStore(std::string_view store) const;
};

// Kafka Streams' InternalTopologyBuilder: collects nodes and stores from the DSL or the
// Processor API, names them, groups them into sub-topologies and describes them.
class TopologyBuilder {
 public:
  TopologyBuilder();
  ~TopologyBuilder();

  // "KSTREAM-FILTER-0000000003": the prefix and the next index of this topology.
  std::string newName(std::string_view prefix);
  // The next index, for names that embed it elsewhere (repartition topics).
  int32_t nextIndex() { return index_++; }

  // Validation (unique names, known parents, matching record types, a topic read by
  // one source only) happens here, so that a mistake points at the call that made it.
  [[nodiscard]] Status addNode(NodeFactory factory);
  [[nodiscard]] Status addStateStore(std::shared_ptr<const StoreBuilderBase> builder,
                                     const std::vector<std::string>& processor_names);
  [[nodiscard]] Status connectProcessorAndStateStores(const std::string& processor_name,
                                                      const std::vector<std::string>& store_names);
  void addInternalTopic(InternalTopic topic) { internal_topics_.push_back(std::move(topic)); }
  // A global store fed by `source` through `processor` (Kafka's addGlobalStore): its
  // processor is connected to the store; no other processor may be.
  [[nodiscard]] Status addGlobalStore(std::shared_ptr<const StoreBuilderBase> builder, NodeFactory source,
                                      NodeFactory processor,
                                      std::function<void(const StreamsConfig&)> resolve_serdes);

  const NodeFactory* node(std::string_view name) const;

  Result<BuiltTopology> build(const std::string& application_id) const;
  // Kafka Streams' TopologyDescription text.
  std::string describe() const;

 private:
  // Sub-topologies as Kafka numbers them: by the sorted names of their source nodes.
  std::vector<std::vector<const NodeFactory*>> groups() const;
  // The global store a node group maintains, or nullptr.
  const std::string* globalStoreOf(const std::vector<const NodeFactory*>& group) const;

  int32_t index_ = 0;
  std::vector<std::unique_ptr<NodeFactory>> nodes_;
  std::map<std::string, NodeFactory*, std::less<>> by_name_;
  std::map<std::string, std::shared_ptr<const StoreBuilderBase>> stores_;
  std::vector<InternalTopic> internal_topics_;
  // Global store name -> what resolves its default serdes.
  std::map<std::string, std::function<void(const StreamsConfig&)>, std::less<>> global_stores_;
};

}  // namespace runnel::streams::internal
