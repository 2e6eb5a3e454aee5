#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "sql/format/base64.h"
#include "sql/functions/catalog.h"
#include "sql/functions/utf8.h"

// TO_BYTES, FROM_BYTES, ENCODE and INT/BIGINT/DOUBLE_FROM_BYTES. The encodings are
// ksqlDB's: 'hex', 'utf8', 'ascii' and 'base64', case-insensitive. Input that does not
// decode in its encoding, an unknown encoding or byte order, or a wrong number of bytes
// throw, which makes the call NULL, as ksqlDB logs the error and moves on.
namespace runnel::sql::functions {
namespace {

enum class Encoding : unsigned char { kHex, kUtf8, kAscii, kBase64 };

Encoding encodingNamed(std::string name) {
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "hex") return Encoding::kHex;
  if (name == "utf8") return Encoding::kUtf8;
  if (name == "ascii") return Encoding::kAscii;
  if (name == "base64") return Encoding::kBase64;
  throw std::invalid_argument("Unknown encoding: " + name);
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw std::invalid_argument("Illegal hexadecimal character");
}

std::string decodeHexDigits(std::string_view digits) {
  if (digits.size() % 2 != 0) throw std::invalid_argument("Odd number of hexadecimal digits");
  std::string out;
  out.reserve(digits.size() / 2);
  for (size_t i = 0; i < digits.size(); i += 2)
    out += static_cast<char>(hexDigit(digits[i]) << 4 | hexDigit(digits[i + 1]));
  return out;
}

// ENCODE's hex input may be written as a SQL literal: 0x... (an odd digit count gets a
// leading 0) or X'...'.
std::string decodeHexLiteral(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::string digits(text.substr(2));
    if (digits.size() % 2 != 0) digits.insert(digits.begin(), '0');
    return decodeHexDigits(digits);
  }
  if (!text.empty() && (text[0] == 'x' || text[0] == 'X')) {
    if (text.size() < 3 || text[1] != '\'' || text.back() != '\'')
      throw std::invalid_argument("Malformed hexadecimal literal");
    return decodeHexDigits(text.substr(2, text.size() - 3));
  }
  return decodeHexDigits(text);
}

std::string encodeHex(std::string_view bytes, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char b : bytes) {
    const auto u = static_cast<unsigned char>(b);
    out += digits[u >> 4];
    out += digits[u & 0xF];
  }
  return out;
}

// Java's new String(bytes, UTF_8): each malformed sequence becomes U+FFFD.
std::string decodeUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    const size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    uint32_t code = length == 1 ? lead : length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
    size_t taken = 1;
    bool valid = length > 0 && i + length <= bytes.size();
    for (; valid && taken < length; ++taken) {
      const auto next = static_cast<unsigned char>(bytes[i + taken]);
      if ((next & 0xC0) != 0x80) valid = false;
      else code = code << 6 | (next & 0x3F);
    }
    static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (valid && (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code < 0xE000)))
      valid = false;
    if (valid) {
      out.append(bytes.substr(i, length));
      i += length;
    } else {
      appendUtf8(out, 0xFFFD);
      i += std::max<size_t>(1, taken - 1);
    }
  }
  return out;
}

std::string toBytes(const std::string& text, Encoding encoding, bool hex_literal) {
  switch (encoding) {
    case Encoding::kHex:
      return hex_literal ? decodeHexLiteral(text) : decodeHexDigits(text);
    case Encoding::kUtf8:
      return text;
    case Encoding::kAscii: {
      // Java's getBytes(US_ASCII): a character outside ASCII becomes '?'.
      std::string out;
      for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) out += text[i];
        else if ((c & 0xC0) != 0x80) out += '?';
      }
      return out;
    }
    case Encoding::kBase64: {
      std::string out;
      if (!decodeBase64(text, out).ok()) throw std::invalid_argument("Illegal base64 input");
      return out;
    }
  }
  return {};
}

std::string fromBytes(const std::string& bytes, Encoding encoding, bool upper_hex) {
  switch (encoding) {
    case Encoding::kHex:
      return encodeHex(bytes, upper_hex);
    case Encoding::kUtf8:
      return decodeUtf8(bytes);
    case Encoding::kAscii: {
      std::string out;
      for (char b : bytes) {
        if (static_cast<unsigned char>(b) < 0x80) out += b;
        else appendUtf8(out, 0xFFFD);
      }
      return out;
    }
    case Encoding::kBase64: {
      std::string out;
      appendBase64(bytes, out);
      return out;
    }
  }
  return {};
}

// The bytes of a fixed-size number, `order` naming Java's ByteOrder.
template <class T>
T numberFromBytes(std::span<const Value> args) {
  const std::string& bytes = args[0].as<Bytes>().data;
  if (bytes.size() != sizeof(T))
    throw std::invalid_argument("Number of bytes must be equal to " + std::to_string(sizeof(T)));
  bool little = false;
  if (args.size() > 1) {
    const std::string& order = args[1].asString();
    if (order == "LITTLE_ENDIAN") little = true;
    else if (order != "BIG_ENDIAN") throw std::invalid_argument("Byte order must be BIG_ENDIAN or LITTLE_ENDIAN");
  }
  uint64_t bits = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    const auto b = static_cast<unsigned char>(bytes[little ? sizeof(T) - 1 - i : i]);
    bits = bits << 8 | b;
  }
  if constexpr (std::is_same_v<T, double>) return std::bit_cast<double>(bits);
  else return static_cast<T>(static_cast<std::make_unsigned_t<T>>(bits));
}

ScalarFunction bytesFunction(std::string name, std::string display_name, std::string description,
                             std::vector<ScalarVariant> variants) {
  return {std::move(name), std::move(display_name), "CONVERSIONS", std::move(description),
          std::move(variants)};
}

template <class T>
ScalarFunction numberFunction(std::string name, std::string display_name, const char* type_name,
                              SqlTypePtr type) {
  ScalarInvoke invoke = [](std::span<const Value> args) -> Value {
    if (anyNull(args)) return Value::null();
    return numberFromBytes<T>(args);
  };
  return bytesFunction(
      std::move(name), std::move(display_name),
      std::string("Converts BYTES to ") + type_name + ", big-endian unless 'LITTLE_ENDIAN' is given.",
      {fixedVariant({param("value", SqlType::bytes())}, type, invoke),
       fixedVariant({param("value", SqlType::bytes()), param("byteOrder", SqlType::string())}, type,
                    invoke)});
}

}  // namespace

void registerBytesFunctions(Catalog& catalog) {
  const SqlTypePtr str = SqlType::string();
  const SqlTypePtr bytes = SqlType::bytes();

  catalog.addScalar(bytesFunction(
      "TO_BYTES", "to_bytes",
      "Converts a STRING to BYTES in the given encoding: 'hex', 'utf8', 'ascii' or 'base64'.",
      {fixedVariant({param("value", str), param("encoding", str)}, bytes,
                    [](std::span<const Value> args) -> Value {
                      if (anyNull(args)) return Value::null();
                      return Bytes{toBytes(args[0].asString(), encodingNamed(args[1].asString()), false)};
                    })}));
  catalog.addScalar(bytesFunction(
      "FROM_BYTES", "from_bytes",
      "Converts BYTES to a STRING in the given encoding: 'hex', 'utf8', 'ascii' or 'base64'.",
      {fixedVariant({param("value", bytes), param("encoding", str)}, str,
                    [](std::span<const Value> args) -> Value {
                      if (anyNull(args)) return Value::null();
                      return fromBytes(args[0].as<Bytes>().data, encodingNamed(args[1].asString()), true);
                    })}));
  catalog.addScalar(ScalarFunction{
      "ENCODE",
      "encode",
      "STRING",
      "Converts a string from one encoding to another: 'hex', 'utf8', 'ascii' or 'base64'.",
      {fixedVariant({param("str", str), param("inputEncoding", str), param("outputEncoding", str)}, str,
                    [](std::span<const Value> args) -> Value {
                      if (anyNull(args)) return Value::null();
                      const Encoding from = encodingNamed(args[1].asString());
                      const Encoding to = encodingNamed(args[2].asString());
                      return fromBytes(toBytes(args[0].asString(), from, true), to, false);
                    })}});
  catalog.addScalar(numberFunction<int32_t>("INT_FROM_BYTES", "int_from_bytes", "an INT", SqlType::integer()));
  catalog.addScalar(numberFunction<int64_t>("BIGINT_FROM_BYTES", "bigint_from_bytes", "a BIGINT", SqlType::bigint()));
  catalog.addScalar(numberFunction<double>("DOUBLE_FROM_BYTES", "double_from_bytes", "a DOUBLE", SqlType::doubleType()));
}

}  // namespace runnel::sql::functions
