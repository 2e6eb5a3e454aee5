#pragma once

// What a foreign-key join (KIP-213) sends through its two internal topics and keeps in
// its subscription store, with their serdes. The formats are ours, smaller than Kafka's
// (which are versioned the same way but laid out differently); byte-for-byte
// compatibility with a Java application is not a goal (docs/streams.md):
//
//   SubscriptionWrapper: the value of "<app>-...-SUBSCRIPTION-REGISTRATION-<n>-topic"
//   (keyed by the foreign key) and of the subscription store.
//     u8 flags: version (0) in the low 6 bits, 0x80 when there is no hash
//     u8 instruction (SubscriptionInstruction)
//     16 bytes hash (h1 then h2, big-endian; absent with 0x80)
//     the primary key's bytes (its serde's), to the end
//
//   SubscriptionResponseWrapper: the value of "<app>-...-SUBSCRIPTION-RESPONSE-<n>-topic"
//   (keyed by the primary key).
//     u8 flags: version (0) in the low 6 bits, 0x80 when there is no hash, 0x40 when
//       there is no foreign value (so that a value serialized to no bytes stays a value)
//     16 bytes hash (absent with 0x80)
//     the foreign value's bytes (its serde's), to the end
//
//   CombinedKey: the key of the subscription store.
//     u32 big-endian length of the foreign key | foreign key bytes | primary key bytes
//   so that all subscribers of a foreign key share the prefix "length | foreign key".

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "streams/internal/murmur3.h"
#include "streams/serde.h"

namespace runnel::streams::internal {

// Kafka's SubscriptionWrapper.Instruction, with its values.
enum class SubscriptionInstruction : uint8_t {
  kDeleteKeyAndPropagate = 0,           // unsubscribe; answer with a null foreign value
  kDeleteKeyNoPropagate = 1,            // unsubscribe; no answer (another subscription answers)
  kPropagateNullIfNoFkValAvailable = 2, // subscribe; always answer, null when the key has no value
  kPropagateOnlyIfFkValAvailable = 3,   // subscribe; answer only when the key has a value
};

// Murmur3 128 of a left value's serialized bytes: a response carries the hash of the value
// that asked for it, and is dropped when the left table has moved on.
using ValueHash = std::array<uint64_t, 2>;

// A left-table row's subscription to a foreign key.
template <class K>
struct SubscriptionWrapper {
  std::optional<ValueHash> hash;  // none for a deleted left row
  SubscriptionInstruction instruction = SubscriptionInstruction::kDeleteKeyNoPropagate;
  K primary_key{};
};

// The right table's answer to a subscriber.
template <class VO>
struct SubscriptionResponseWrapper {
  std::optional<ValueHash> hash;  // the subscription's
  std::optional<VO> foreign_value;
};

// A subscription store key: (foreign key, primary key).
template <class KO, class K>
struct CombinedKey {
  KO foreign_key{};
  K primary_key{};
};

// The hash of `value` as `serde` serializes it; none for a null value. `scratch` is reused.
template <class V>
std::optional<ValueHash> hashOf(const Serde<V>& serde, std::string_view topic, const V& value, std::string& scratch) {
  scratch.clear();
  if (!serde.serialize(topic, value, scratch)) return std::nullopt;
  return murmur3Hash128(scratch);
}

namespace wire {

inline constexpr uint8_t kVersion = 0;
inline constexpr uint8_t kVersionMask = 0x3f;
inline constexpr uint8_t kNoHash = 0x80;
inline constexpr uint8_t kNoValue = 0x40;
inline constexpr size_t kHashSize = 16;

inline void putU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}
inline uint64_t getU64(std::string_view in) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}
inline void putHash(std::string& out, const std::optional<ValueHash>& hash) {
  if (!hash) return;
  putU64(out, (*hash)[0]);
  putU64(out, (*hash)[1]);
}

// Reads the flags byte and the hash that follows it; `data` is left at what comes next.
inline Status readHeader(std::string_view what, std::string_view& data, size_t fixed, uint8_t& flags,
                         std::optional<ValueHash>& hash) {
  if (data.size() < fixed) return Status::invalidArgument(std::string(what) + " is truncated");
  flags = static_cast<uint8_t>(data[0]);
  if ((flags & kVersionMask) != kVersion) {
    return Status::invalidArgument(std::string(what) + " is of an unknown version " +
                                   std::to_string(flags & kVersionMask));
  }
  data.remove_prefix(fixed);
  if (flags & kNoHash) {
    hash.reset();
    return Status::ok();
  }
  if (data.size() < kHashSize) return Status::invalidArgument(std::string(what) + " has a truncated hash");
  hash = ValueHash{getU64(data), getU64(data.substr(8))};
  data.remove_prefix(kHashSize);
  return Status::ok();
}

}  // namespace wire

template <class K>
class SubscriptionWrapperSerde final : public Serde<SubscriptionWrapper<K>> {
 public:
  explicit SubscriptionWrapperSerde(SerdePtr<K> primary_key_serde) : primary_key_serde_(std::move(primary_key_serde)) {}
  std::string name() const override { return "SubscriptionWrapperSerde"; }
  bool serialize(std::string_view topic, const SubscriptionWrapper<K>& data, std::string& out) const override {
    out.push_back(static_cast<char>(wire::kVersion | (data.hash ? 0 : wire::kNoHash)));
    out.push_back(static_cast<char>(data.instruction));
    wire::putHash(out, data.hash);
    return primary_key_serde_->serialize(topic, data.primary_key, out);
  }
  Status deserialize(std::string_view topic, std::optional<std::string_view> data,
                     SubscriptionWrapper<K>& out) const override {
    if (!data) return Status::invalidArgument("a subscription has no value");
    std::string_view rest = *data;
    uint8_t flags = 0;
    RUNNEL_RETURN_IF_ERROR(wire::readHeader("a subscription", rest, 2, flags, out.hash));
    auto instruction = static_cast<uint8_t>((*data)[1]);
    if (instruction > static_cast<uint8_t>(SubscriptionInstruction::kPropagateOnlyIfFkValAvailable)) {
      return Status::invalidArgument("a subscription has an unknown instruction " + std::to_string(instruction));
    }
    out.instruction = static_cast<SubscriptionInstruction>(instruction);
    return primary_key_serde_->deserialize(topic, rest, out.primary_key);
  }

 private:
  SerdePtr<K> primary_key_serde_;
};

template <class VO>
class SubscriptionResponseWrapperSerde final : public Serde<SubscriptionResponseWrapper<VO>> {
 public:
  explicit SubscriptionResponseWrapperSerde(SerdePtr<VO> foreign_value_serde)
      : foreign_value_serde_(std::move(foreign_value_serde)) {}
  std::string name() const override { return "SubscriptionResponseWrapperSerde"; }
  bool serialize(std::string_view topic, const SubscriptionResponseWrapper<VO>& data,
                 std::string& out) const override {
    size_t flags_at = out.size();
    out.push_back(static_cast<char>(wire::kVersion | (data.hash ? 0 : wire::kNoHash)));
    wire::putHash(out, data.hash);
    if (!data.foreign_value || !foreign_value_serde_->serialize(topic, *data.foreign_value, out)) {
      out[flags_at] = static_cast<char>(out[flags_at] | wire::kNoValue);
    }
    return true;
  }
  Status deserialize(std::string_view topic, std::optional<std::string_view> data,
                     SubscriptionResponseWrapper<VO>& out) const override {
    if (!data) return Status::invalidArgument("a subscription response has no value");
    std::string_view rest = *data;
    uint8_t flags = 0;
    RUNNEL_RETURN_IF_ERROR(wire::readHeader("a subscription response", rest, 1, flags, out.hash));
    if (flags & wire::kNoValue) {
      out.foreign_value.reset();
      return Status::ok();
    }
    if (!out.foreign_value) out.foreign_value.emplace();
    return foreign_value_serde_->deserialize(topic, rest, *out.foreign_value);
  }

 private:
  SerdePtr<VO> foreign_value_serde_;
};

// The prefix of a CombinedKey: the subscription store is scanned with it.
template <class KO>
class CombinedKeyPrefixSerde final : public Serde<KO> {
 public:
  explicit CombinedKeyPrefixSerde(SerdePtr<KO> foreign_key_serde) : foreign_key_serde_(std::move(foreign_key_serde)) {}
  std::string name() const override { return "CombinedKeyPrefixSerde"; }
  bool serialize(std::string_view topic, const KO& data, std::string& out) const override {
    size_t length_at = out.size();
    out.append(4, '\0');
    if (!foreign_key_serde_->serialize(topic, data, out)) return false;
    auto length = static_cast<uint32_t>(out.size() - length_at - 4);
    for (int i = 0; i < 4; ++i) out[length_at + i] = static_cast<char>((length >> (24 - 8 * i)) & 0xff);
    return true;
  }
  // Reads the foreign key of a CombinedKey; `data` is left at the primary key.
  Status read(std::string_view topic, std::string_view& data, KO& out) const {
    if (data.size() < 4) return Status::invalidArgument("a subscription key is truncated");
    uint32_t length = 0;
    for (int i = 0; i < 4; ++i) length = (length << 8) | static_cast<unsigned char>(data[i]);
    if (data.size() - 4 < length) return Status::invalidArgument("a subscription key has a truncated foreign key");
    RUNNEL_RETURN_IF_ERROR(foreign_key_serde_->deserialize(topic, data.substr(4, length), out));
    data.remove_prefix(4 + length);
    return Status::ok();
  }
  Status deserialize(std::string_view topic, std::optional<std::string_view> data, KO& out) const override {
    if (!data) return Status::invalidArgument("a subscription key prefix is null");
    return read(topic, *data, out);
  }

 private:
  SerdePtr<KO> foreign_key_serde_;
};

template <class KO, class K>
class CombinedKeySerde final : public Serde<CombinedKey<KO, K>> {
 public:
  CombinedKeySerde(std::shared_ptr<const CombinedKeyPrefixSerde<KO>> prefix_serde, SerdePtr<K> primary_key_serde)
      : prefix_serde_(std::move(prefix_serde)), primary_key_serde_(std::move(primary_key_serde)) {}
  std::string name() const override { return "CombinedKeySerde"; }
  bool serialize(std::string_view topic, const CombinedKey<KO, K>& data, std::string& out) const override {
    return prefix_serde_->serialize(topic, data.foreign_key, out) &&
           primary_key_serde_->serialize(topic, data.primary_key, out);
  }
  Status deserialize(std::string_view topic, std::optional<std::string_view> data,
                     CombinedKey<KO, K>& out) const override {
    if (!data) return Status::invalidArgument("a subscription key is null");
    std::string_view rest = *data;
    RUNNEL_RETURN_IF_ERROR(prefix_serde_->read(topic, rest, out.foreign_key));
    return primary_key_serde_->deserialize(topic, rest, out.primary_key);
  }

 private:
  std::shared_ptr<const CombinedKeyPrefixSerde<KO>> prefix_serde_;
  SerdePtr<K> primary_key_serde_;
};

}  // namespace runnel::streams::internal
