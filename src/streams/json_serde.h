#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/json_bind.h"
#include "streams/serde.h"

namespace runnel::streams {

// JSON values of a struct described with RUNNEL_JSON_FIELDS (common/json_bind.h), read
// and written as Jackson's ObjectMapper does with default settings: unknown fields are
// ignored, a missing field or a null leaves the member's default, a wrong type is an
// error naming the field. Serialization never yields null; a null record (a tombstone)
// reads as T{}, as serde.h prescribes; wrap in Serdes::Optional() to tell it apart.
//
// Deserialization parses with this thread's shared simdjson parser and reads into the
// reused `out`, so a steady stream of records allocates nothing once buffers have grown.
template <class T>
class JsonSerde final : public Serde<T> {
 public:
  std::string name() const override { return "runnel.streams.JsonSerde"; }

  bool serialize(std::string_view, const T& data, std::string& out) const override {
    json::appendJson(data, out);
    return true;
  }

  Status deserialize(std::string_view topic, std::optional<std::string_view> data, T& out) const override {
    if (!data) {
      out = T{};
      return Status::ok();
    }
    Status status = json::fromJson(*data, out);
    if (status.isOk()) return status;
    return Status::invalidArgument("JSON value from topic '" + std::string(topic) + "': " + status.message());
  }
};

template <class T>
SerdePtr<T> jsonSerde() {
  return std::make_shared<JsonSerde<T>>();
}

}  // namespace runnel::streams
