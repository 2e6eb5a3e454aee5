#include "client/partitioner.h"

namespace runnel::client {
namespace {

// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2): MurmurHash2 with Kafka's
// seed, reading 4-byte blocks little-endian. Unsigned arithmetic gives Java's wrapping
// int multiplication and `>>>` without undefined behaviour.
uint32_t murmur2(std::string_view data) {
  constexpr uint32_t kSeed = 0x9747b28c;
  constexpr uint32_t kM = 0x5bd1e995;
  constexpr int kR = 24;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const size_t length = data.size();
  uint32_t h = kSeed ^ static_cast<uint32_t>(length);
  const size_t blocks = length / 4;
  for (size_t i = 0; i < blocks; ++i) {
    const unsigned char* b = bytes + i * 4;
    uint32_t k = uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
    k *= kM;
    k ^= k >> kR;
    k *= kM;
    h *= kM;
    h ^= k;
  }
  const unsigned char* tail = bytes + blocks * 4;
  switch (length % 4) {
    case 3: h ^= uint32_t(tail[2]) << 16; [[fallthrough]];
    case 2: h ^= uint32_t(tail[1]) << 8; [[fallthrough]];
    case 1:
      h ^= uint32_t(tail[0]);
      h *= kM;
  }
  h ^= h >> 13;
  h *= kM;
  h ^= h >> 15;
  return h;
}

}  // namespace

int32_t murmur2Partition(std::string_view key, int32_t num_partitions) {
  // Java's toPositive() masks the sign bit rather than taking the absolute value.
  return static_cast<int32_t>((murmur2(key) & 0x7fffffff) % static_cast<uint32_t>(num_partitions));
}

}  // namespace runnel::client
