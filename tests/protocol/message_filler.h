#pragma once

// A third Io for the message structs, beside Decoder and Encoder: it fills every field a
// version has with pseudo-random values, so that tests (and fuzz seeds) can cover every
// field of every version without writing each message out by hand.

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "protocol/codec.h"

namespace runnel::protocol::testing {

class Filler {
 public:
  static constexpr bool kDecoding = true;

  Filler(int16_t version, bool flexible, uint32_t seed) : version_(version), flexible_(flexible), state_(seed | 1) {}

  int16_t version() const { return version_; }
  bool flexible() const { return flexible_; }

  void int8(int8_t& v) { v = int8_t(next()); }
  void int16(int16_t& v) { v = int16_t(next()); }
  void uint16(uint16_t& v) { v = uint16_t(next()); }
  void int32(int32_t& v) { v = int32_t(next()); }
  void uint32(uint32_t& v) { v = next(); }
  void int64(int64_t& v) { v = int64_t(uint64_t(next()) << 32 | next()); }
  void float64(double& v) { v = double(next()) / 7.0; }
  void boolean(bool& v) { v = next() & 1; }
  void uuid(Uuid& v) {
    for (auto& b : v) b = uint8_t(next());
  }
  void string(std::string& v) { v = "s" + std::to_string(next() % 100000); }
  void nullableString(std::optional<std::string>& v) {
    if (next() % 4 == 0) v.reset();
    else v = "n" + std::to_string(next() % 1000);
  }
  void bytes(Bytes& v) { v.assign(next() % 5, uint8_t(next())); }
  void nullableBytes(std::optional<Bytes>& v) {
    if (next() % 4 == 0) v.reset();
    else v.emplace(next() % 5, uint8_t(next()));
  }
  void records(std::optional<ByteSpan>& v) {
    static const uint8_t kPayload[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    if (next() % 4 == 0) v.reset();
    else v = ByteSpan(kPayload, next() % sizeof(kPayload));
  }

  template <typename T>
  void array(std::vector<T>& v) {
    v.resize(depth_ < 3 ? next() % 3 : 0);
    ++depth_;
    for (auto& e : v) element(e);
    --depth_;
  }
  template <typename T>
  void nullableArray(std::optional<std::vector<T>>& v) {
    if (next() % 4 == 0) {
      v.reset();
      return;
    }
    v.emplace();
    array(*v);
  }

  template <CodecStruct T>
  void structure(T& s) {
    s.io(*this);
    // Unknown tagged fields must survive a round trip untouched.
    if (flexible_ && next() % 3 == 0) s.tagged_fields.push_back(TaggedField{90 + next() % 5, {1, 2, 3}});
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
  uint32_t next() {  // xorshift32: deterministic across platforms
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }

  int16_t version_;
  bool flexible_;
  uint32_t state_;
  int depth_ = 0;
};

}  // namespace runnel::protocol::testing
