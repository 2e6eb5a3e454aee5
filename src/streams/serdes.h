#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/uuid.h"
#include "streams/serde.h"

namespace runnel::streams {

// Kafka's built-in serdes (org.apache.kafka.common.serialization.Serdes), writing the same
// bytes as Java's serializers so that topics are shared with Java applications:
//   String, Bytes  the bytes as they are (Java's StringSerde writes UTF-8; no re-encoding
//                  happens here, the caller's bytes are taken to be UTF-8)
//   ByteArray      the bytes as they are, held in a std::vector<uint8_t>
//   Short, Integer, Long, Float, Double   2, 4, 8, 4, 8 bytes, big-endian (IEEE 754 bits
//                  for Float and Double)
//   Boolean        one byte, 0x00 or 0x01
//   UUID           the 36-character text form, lower-case ("123e4567-e89b-12d3-...")
//   Void           always null
// Bytes() exists for configurations that name Kafka's BytesSerde: Java needs the Bytes
// class to give byte[] equality, hashing and (unsigned) ordering, which std::string
// already has, so its C++ type is std::string, the same as String().
// A wrong size is an InvalidArgument status carrying Kafka's SerializationException text
// ("Size of data received by IntegerDeserializer is not 4"). Null reads as the type's
// zero value (serde.h); use Optional() to keep null apart.
class Serdes {
 public:
  static SerdePtr<std::string> String();
  static SerdePtr<std::string> Bytes();
  static SerdePtr<std::vector<uint8_t>> ByteArray();
  static SerdePtr<int16_t> Short();
  static SerdePtr<int32_t> Integer();
  static SerdePtr<int64_t> Long();
  static SerdePtr<float> Float();
  static SerdePtr<double> Double();
  static SerdePtr<bool> Boolean();
  static SerdePtr<Uuid128> UUID();
  static SerdePtr<streams::Void> Void();

  // Null <-> nullopt around `inner`, which reads and writes the present values. Its name()
  // is inner's: the bytes on the wire are the same.
  template <class T>
  static SerdePtr<std::optional<T>> Optional(SerdePtr<T> inner);
};

// The built-in serde that a configuration (default.key.serde, default.value.serde) names:
// "org.apache.kafka.common.serialization.Serdes$StringSerde", "Serdes$StringSerde" or
// "String". Unknown names give an InvalidArgument status that lists the known ones.
Result<std::shared_ptr<const SerdeBase>> serdeByName(std::string_view class_name);

namespace internal {

template <class T>
class OptionalSerde final : public Serde<std::optional<T>> {
 public:
  explicit OptionalSerde(SerdePtr<T> inner) : inner_(std::move(inner)) {}

  std::string name() const override { return inner_->name(); }

  bool serialize(std::string_view topic, const std::optional<T>& data, std::string& out) const override {
    return data && inner_->serialize(topic, *data, out);
  }

  Status deserialize(std::string_view topic, std::optional<std::string_view> data,
                     std::optional<T>& out) const override {
    if (!data) {
      out.reset();
      return Status::ok();
    }
    if (!out) out.emplace();
    return inner_->deserialize(topic, data, *out);
  }

 private:
  SerdePtr<T> inner_;
};

}  // namespace internal

template <class T>
SerdePtr<std::optional<T>> Serdes::Optional(SerdePtr<T> inner) {
  return std::make_shared<internal::OptionalSerde<T>>(std::move(inner));
}

}  // namespace runnel::streams
