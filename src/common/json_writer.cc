#include "common/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace runnel::json {
namespace {

// 0: copy as is; 'u': \u00XX; otherwise the letter after the backslash.
constexpr auto kEscapes = [] {
  struct Table {
    char code[256] = {};
  } table;
  for (int c = 0; c < 0x20; ++c) table.code[c] = 'u';
  table.code['\b'] = 'b';
  table.code['\t'] = 't';
  table.code['\n'] = 'n';
  table.code['\f'] = 'f';
  table.code['\r'] = 'r';
  table.code['"'] = '"';
  table.code['\\'] = '\\';
  return table;
}();

// The position of the first byte at or after `from` that needs escaping, or text.size().
// Most strings need none, so it tests eight bytes at a time (SWAR: a byte below 0x20,
// '"' or '\\' sets the high bit of its lane) and looks byte by byte only near a hit.
size_t findEscape(std::string_view text, size_t from) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHighBits = 0x8080808080808080;
  size_t i = from;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    uint64_t quote = word ^ (kOnes * '"');
    uint64_t backslash = word ^ (kOnes * '\\');
    uint64_t hits = ((word - kOnes * 0x20) & ~word) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
    if (hits & kHighBits) break;
  }
  for (; i < text.size(); ++i) {
    if (kEscapes.code[static_cast<unsigned char>(text[i])] != 0) return i;
  }
  return i;
}

}  // namespace

void Writer::writeKey(std::string_view name) {
  if (needs_comma_) out_.push_back(',');
  appendQuoted(name);
  out_.push_back(':');
  needs_comma_ = false;
}

void Writer::writeString(std::string_view value) {
  separate();
  appendQuoted(value);
}

void Writer::writeInt64(int64_t value) {
  separate();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
}

void Writer::writeUint64(uint64_t value) {
  separate();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
}

void Writer::writeDouble(double value) {
  if (std::isnan(value)) return writeString("NaN");
  if (std::isinf(value)) return writeString(value > 0 ? "Infinity" : "-Infinity");
  separate();
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
  // Keeps the value a floating-point number for readers that type by the text, as
  // Java's Double.toString does (40.0).
  if (std::memchr(buf, '.', end - buf) == nullptr && std::memchr(buf, 'e', end - buf) == nullptr) {
    out_.append(".0");
  }
}

void Writer::appendQuoted(std::string_view text) {
  out_.push_back('"');
  size_t run_start = 0;
  for (size_t i = findEscape(text, 0); i < text.size(); i = findEscape(text, run_start)) {
    out_.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    char code = kEscapes.code[static_cast<unsigned char>(text[i])];
    if (code == 'u') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      unsigned char c = static_cast<unsigned char>(text[i]);
      char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      out_.append(escaped, sizeof escaped);
    } else {
      char escaped[2] = {'\\', code};
      out_.append(escaped, sizeof escaped);
    }
  }
  out_.append(text.data() + run_start, text.size() - run_start);
  out_.push_back('"');
}

}  // namespace runnel::json
