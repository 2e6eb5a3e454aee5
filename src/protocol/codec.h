#pragma once

// The table-driven codec. Every Kafka message is a struct with one member template,
//
//   template <typename Io> void io(Io& io) { io.int32(throttle_time_ms); ... }
//
// that lists its fields in wire order, with plain `if (io.version() >= N)` conditions
// for the versions a field exists in. The same function drives Decoder and Encoder, so
// the two can never disagree. Fields absent from a version keep their default value.
// Flexible versions (compact lengths, tagged fields) are handled here, not per message:
// every struct gets its tagged-field section appended by the codec.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "common/bytes.h"

namespace runnel::protocol {

using Uuid = std::array<uint8_t, 16>;

// An unknown tagged field kept as raw bytes so that it round-trips.
struct TaggedField {
  uint32_t tag = 0;
  Bytes data;
  bool operator==(const TaggedField&) const = default;
};

template <typename T>
concept CodecStruct = requires(T t) { t.tagged_fields; };

class Decoder {
 public:
  static constexpr bool kDecoding = true;

  Decoder(ByteSpan data, int16_t version, bool flexible)
      : in_(data), version_(version), flexible_(flexible) {}

  int16_t version() const { return version_; }
  bool flexible() const { return flexible_; }
  bool ok() const { return in_.ok(); }
  size_t position() const { return in_.position(); }
  bool atEnd() const { return in_.atEnd(); }
  void fail() { in_.fail(); }

  void int8(int8_t& v) { v = int8_t(in_.u8()); }
  void int16(int16_t& v) { v = int16_t(in_.be16()); }
  void uint16(uint16_t& v) { v = in_.be16(); }
  void int32(int32_t& v) { v = int32_t(in_.be32()); }
  void uint32(uint32_t& v) { v = in_.be32(); }
  void int64(int64_t& v) { v = int64_t(in_.be64()); }
  void float64(double& v);
  void boolean(bool& v) { v = in_.u8() != 0; }
  void uuid(Uuid& v);
  void string(std::string& v);
  void nullableString(std::optional<std::string>& v);
  void bytes(Bytes& v);
  void nullableBytes(std::optional<Bytes>& v);
  // Record batches stay a view into the request frame: no copy on the produce path.
  void records(std::optional<ByteSpan>& v);

  template <typename T>
  void array(std::vector<T>& v) {
    int64_t n = arrayLength();
    if (n < 0) {
      if (n == -1) v.clear();  // null where non-nullable: treat as empty
      return;
    }
    v.resize(size_t(n));
    for (auto& e : v) element(e);
  }
  template <typename T>
  void nullableArray(std::optional<std::vector<T>>& v) {
    int64_t n = arrayLength();
    if (n < 0) {
      v.reset();
      return;
    }
    v.emplace(size_t(n));
    for (auto& e : *v) element(e);
  }

  // Reads a whole struct: its fields, then (in flexible versions) its tagged fields.
  template <CodecStruct T>
  void structure(T& s) {
    s.io(*this);
    if (flexible_) taggedFields(s.tagged_fields);
  }

 private:
  template <typename T>
  void element(T& e) {
    if constexpr (std::is_same_v<T, int32_t>) int32(e);
    else if constexpr (std::is_same_v<T, int64_t>) int64(e);
    else if constexpr (std::is_same_v<T, int16_t>) int16(e);
    else if constexpr (std::is_same_v<T, std::string>) string(e);
    else if constexpr (std::is_same_v<T, Uuid>) uuid(e);
    else structure(e);
  }
  // -1 for null, -2 after a failure; checks the count against the bytes left so that a
  // malformed frame cannot make us allocate gigabytes.
  int64_t arrayLength();
  int64_t stringLength();
  void taggedFields(std::vector<TaggedField>& out);

  ByteReader in_;
  int16_t version_;
  bool flexible_;
};

class Encoder {
 public:
  static constexpr bool kDecoding = false;

  Encoder(Bytes& out, int16_t version, bool flexible) : out_(out), version_(version), flexible_(flexible) {}

  int16_t version() const { return version_; }
  bool flexible() const { return flexible_; }

  void int8(const int8_t& v) { out_.u8(uint8_t(v)); }
  void int16(const int16_t& v) { out_.be16(uint16_t(v)); }
  void uint16(const uint16_t& v) { out_.be16(v); }
  void int32(const int32_t& v) { out_.be32(uint32_t(v)); }
  void uint32(const uint32_t& v) { out_.be32(v); }
  void int64(const int64_t& v) { out_.be64(uint64_t(v)); }
  void float64(const double& v);
  void boolean(const bool& v) { out_.u8(v ? 1 : 0); }
  void uuid(const Uuid& v) { out_.raw(v.data(), v.size()); }
  void string(const std::string& v);
  void nullableString(const std::optional<std::string>& v);
  void bytes(const Bytes& v);
  void nullableBytes(const std::optional<Bytes>& v);
  void records(const std::optional<ByteSpan>& v);

  template <typename T>
  void array(const std::vector<T>& v) {
    arrayLength(int64_t(v.size()));
    for (const auto& e : v) element(e);
  }
  template <typename T>
  void nullableArray(const std::optional<std::vector<T>>& v) {
    if (!v) {
      arrayLength(-1);
      return;
    }
    array(*v);
  }

  template <CodecStruct T>
  void structure(const T& s) {
    // io() is written once for both directions and so takes a non-const reference;
    // the encoder only reads through it.
    const_cast<T&>(s).io(*this);
    if (flexible_) taggedFields(s.tagged_fields);
  }

 private:
  template <typename T>
  void element(const T& e) {
    if constexpr (std::is_same_v<T, int32_t>) int32(e);
    else if constexpr (std::is_same_v<T, int64_t>) int64(e);
    else if constexpr (std::is_same_v<T, int16_t>) int16(e);
    else if constexpr (std::is_same_v<T, std::string>) string(e);
    else if constexpr (std::is_same_v<T, Uuid>) uuid(e);
    else structure(e);
  }
  void arrayLength(int64_t n);
  void stringLength(int64_t n);
  void taggedFields(const std::vector<TaggedField>& fields);

  ByteWriter out_;
  int16_t version_;
  bool flexible_;
};

}  // namespace runnel::protocol
