#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace runnel::streams::internal {

// The seed of Kafka Streams' Murmur3.hash128, which the foreign-key join hashes values with.
inline constexpr uint64_t kMurmur3Seed = 104729;

// MurmurHash3_x64_128 (Austin Appleby's reference algorithm) of `data`: {h1, h2}.
std::array<uint64_t, 2> murmur3Hash128(std::string_view data, uint64_t seed = kMurmur3Seed);

}  // namespace runnel::streams::internal
