#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "streams/internal/node.h"

namespace runnel::streams::internal {

// A fetched record before deserialization; every view points into the task's buffer.
struct RawRecord {
  std::string_view topic;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp = -1;
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
  const Headers* headers = nullptr;
};

// The root of a sub-topology for some of its topics. Deserializes each partition's head
// record into a slot of its own (so that its storage is reused record after record),
// extracts its timestamp, and forwards it when the task picks it.
class SourceNodeBase : public Node {
 public:
  using Node::Node;

  class Slot {
   public:
    virtual ~Slot() = default;
  };
  enum class Decoded { kOk, kSkip };

  virtual std::unique_ptr<Slot> makeSlot() const = 0;
  // Fills `slot` from `raw` and sets `timestamp`. kSkip drops the record (a bad record
  // under LogAndContinue, a negative timestamp); a fatal problem throws StreamsException.
  virtual Decoded decode(const RawRecord& raw, int64_t partition_time, Slot& slot, int64_t& timestamp) = 0;
  virtual void forwardSlot(const Slot& slot) = 0;

  void process(const void*) final;  // sources are fed through slots only
};

}  // namespace runnel::streams::internal
