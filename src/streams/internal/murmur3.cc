#include "streams/internal/murmur3.h"

namespace runnel::streams::internal {
namespace {

constexpr uint64_t kC1 = 0x87c37b91114253d5ULL;
constexpr uint64_t kC2 = 0x4cf5ad432745937fULL;

uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

uint64_t fmix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

// `n` bytes from `p` as a little-endian number, whatever the host's byte order.
uint64_t loadLittleEndian(const unsigned char* p, size_t n) {
  uint64_t value = 0;
  for (size_t i = 0; i < n; ++i) value |= static_cast<uint64_t>(p[i]) << (8 * i);
  return value;
}

uint64_t mixK1(uint64_t k1) { return rotl(k1 * kC1, 31) * kC2; }
uint64_t mixK2(uint64_t k2) { return rotl(k2 * kC2, 33) * kC1; }

}  // namespace

std::array<uint64_t, 2> murmur3Hash128(std::string_view data, uint64_t seed) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const size_t blocks = data.size() / 16;
  uint64_t h1 = seed;
  uint64_t h2 = seed;
  for (size_t i = 0; i < blocks; ++i) {
    h1 ^= mixK1(loadLittleEndian(bytes + 16 * i, 8));
    h1 = rotl(h1, 27) + h2;
    h1 = h1 * 5 + 0x52dce729;
    h2 ^= mixK2(loadLittleEndian(bytes + 16 * i + 8, 8));
    h2 = rotl(h2, 31) + h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  const unsigned char* tail = bytes + 16 * blocks;
  const size_t rest = data.size() % 16;
  if (rest > 8) h2 ^= mixK2(loadLittleEndian(tail + 8, rest - 8));
  if (rest > 0) h1 ^= mixK1(loadLittleEndian(tail, rest < 8 ? rest : 8));
  h1 ^= data.size();
  h2 ^= data.size();
  h1 += h2;
  h2 += h1;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 += h2;
  h2 += h1;
  return {h1, h2};
}

}  // namespace runnel::streams::internal
