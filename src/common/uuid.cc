#include "common/uuid.h"

#include <random>

namespace runnel {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

Uuid128 randomUuid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  Uuid128 id;
  for (size_t i = 0; i < id.size(); i += 8) {
    uint64_t word = rng();
    for (size_t j = 0; j < 8; ++j) id[i + j] = uint8_t(word >> (8 * j));
  }
  id[6] = (id[6] & 0x0f) | 0x40;  // version 4
  id[8] = (id[8] & 0x3f) | 0x80;  // IETF variant
  return id;
}

std::string uuidToBase64(const Uuid128& id) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : id) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 63]);
  return out;
}

std::optional<Uuid128> uuidFromBase64(std::string_view text) {
  if (text.size() != 22) return std::nullopt;
  Uuid128 id{};
  uint32_t buffer = 0;
  int bits = 0;
  size_t out = 0;
  for (char c : text) {
    int v = decodeChar(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (out < id.size()) id[out++] = uint8_t(buffer >> bits);
    }
  }
  return id;
}

}  // namespace runnel
