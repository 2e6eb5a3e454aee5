#include "sql/format/base64.h"

#include <fmt/format.h>

#include <array>

namespace runnel::sql {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr auto kSextets = [] {
  std::array<signed char, 256> table{};
  table.fill(-1);
  for (int i = 0; i < 64; ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
  return table;
}();

}  // namespace

void appendBase64(std::string_view bytes, std::string& out) {
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8 |
                 uint8_t(bytes[i + 2]);
    char quad[4] = {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63],
                    kAlphabet[n & 63]};
    out.append(quad, 4);
  }
  size_t rest = bytes.size() - i;
  if (rest == 0) return;
  uint32_t n =
      uint32_t(uint8_t(bytes[i])) << 16 | (rest == 2 ? uint32_t(uint8_t(bytes[i + 1])) << 8 : 0);
  char quad[4] = {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63],
                  rest == 2 ? kAlphabet[(n >> 6) & 63] : '=', '='};
  out.append(quad, 4);
}

Status decodeBase64(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t bits = 0;
  int bit_count = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '='; ++i) {
    int sextet = kSextets[static_cast<unsigned char>(text[i])];
    if (sextet < 0) {
      return Status::invalidArgument(
          fmt::format("Illegal base64 character {:x}", static_cast<unsigned char>(text[i])));
    }
    bits = bits << 6 | static_cast<uint32_t>(sextet);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xff));
    }
  }
  // Java rejects a lone trailing sextet and padding that does not complete the last quad.
  size_t data_chars = i;
  size_t padding = text.size() - i;
  if (data_chars % 4 == 1) {
    return Status::invalidArgument("Last unit does not have enough valid bits");
  }
  if (padding > 0) {
    bool complete = (data_chars + padding) % 4 == 0 && padding <= 2 && data_chars % 4 != 0 &&
                    text.substr(i).find_first_not_of('=') == std::string_view::npos;
    if (!complete) return Status::invalidArgument("Input byte array has incorrect ending byte");
  }
  return Status::ok();
}

}  // namespace runnel::sql
