#include <algorithm>
#include <string_view>

#include "sql/functions/catalog.h"

// CONCAT, SUBSTRING, UCASE, LCASE, TRIM, LEN, REPLACE, SPLIT. Positions and lengths count
// characters (UTF-8 code points), where Java counts UTF-16 units: the two differ only for
// characters outside the Basic Multilingual Plane. UCASE and LCASE change ASCII letters
// only, where Java maps all of Unicode.
namespace runnel::sql::functions {
namespace {

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The number of characters in `text`; bytes when `text` is BYTES (`by_byte`).
int64_t characterCount(std::string_view text, bool by_byte) {
  if (by_byte) return static_cast<int64_t>(text.size());
  return static_cast<int64_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !isContinuationByte(c); }));
}

// The byte offset of character `index` (clamped to the end).
size_t byteOffset(std::string_view text, int64_t index, bool by_byte) {
  if (by_byte)
    return static_cast<size_t>(std::min<int64_t>(index, static_cast<int64_t>(text.size())));
  size_t offset = 0;
  for (int64_t seen = 0; offset < text.size(); ++offset) {
    if (isContinuationByte(text[offset])) continue;
    if (seen++ == index) return offset;
  }
  return text.size();
}

const std::string& bytesOf(const Value& value) {
  return value.is<Bytes>() ? value.as<Bytes>().data : value.asString();
}

Value sameKind(bool bytes, std::string text) {
  return bytes ? Value(Bytes{std::move(text)}) : Value(std::move(text));
}

// ksqlDB's SUBSTRING: a 1-based start; a negative one counts from the end; a start or
// length past either end is clamped, never an error.
Value substring(std::span<const Value> args, bool bytes) {
  if (anyNull(args)) return Value::null();
  const std::string& text = bytesOf(args[0]);
  const int64_t length = characterCount(text, bytes);
  const int64_t pos = args[1].asInt();
  const int64_t start =
      pos >= 0 ? std::clamp<int64_t>(pos - 1, 0, length) : std::max<int64_t>(0, length + pos);
  int64_t end = length;
  if (args.size() == 3) end = std::max(start, std::min(length, start + args[2].asInt()));
  const size_t from = byteOffset(text, start, bytes);
  const size_t to = byteOffset(text, end, bytes);
  return sameKind(bytes, text.substr(from, to - from));
}

// CONCAT skips NULL arguments: CONCAT('a', NULL, 'b') is 'ab'.
Value concat(std::span<const Value> args, bool bytes) {
  size_t size = 0;
  for (const Value& arg : args) size += arg.isNull() ? 0 : bytesOf(arg).size();
  std::string out;
  out.reserve(size);
  for (const Value& arg : args) {
    if (!arg.isNull()) out += bytesOf(arg);
  }
  return sameKind(bytes, std::move(out));
}

template <class Transform>
Value mapAscii(std::span<const Value> args, Transform transform) {
  if (args[0].isNull()) return Value::null();
  std::string out = args[0].asString();
  for (char& c : out) c = static_cast<char>(transform(static_cast<unsigned char>(c)));
  return out;
}

// Java's String.trim: strips every character up to and including ' ' at both ends.
Value trim(std::span<const Value> args) {
  if (args[0].isNull()) return Value::null();
  std::string_view text = args[0].asString();
  auto blank = [](char c) { return static_cast<unsigned char>(c) <= ' '; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// Java's String.replace: every literal occurrence, left to right; an empty target
// inserts the replacement around every character.
Value replace(std::span<const Value> args) {
  if (anyNull(args)) return Value::null();
  const std::string& text = args[0].asString();
  const std::string& target = args[1].asString();
  const std::string& replacement = args[2].asString();
  std::string out;
  if (target.empty()) {
    out.reserve(text.size() + (text.size() + 1) * replacement.size());
    out += replacement;
    for (size_t i = 0; i < text.size(); ++i) {
      out += text[i];
      if (i + 1 == text.size() || !isContinuationByte(text[i + 1])) out += replacement;
    }
    return out;
  }
  size_t from = 0;
  for (size_t hit = text.find(target); hit != std::string::npos; hit = text.find(target, from)) {
    out.append(text, from, hit - from);
    out += replacement;
    from = hit + target.size();
  }
  out.append(text, from, std::string::npos);
  return out;
}

// SPLIT keeps empty pieces ('a,,b' -> ['a', '', 'b']); an empty delimiter splits into
// characters (bytes for BYTES); an empty input gives [''].
Value split(std::span<const Value> args, bool bytes) {
  if (anyNull(args)) return Value::null();
  const std::string& text = bytesOf(args[0]);
  const std::string& delimiter = bytesOf(args[1]);
  std::vector<Value> pieces;
  if (delimiter.empty() && !text.empty()) {
    for (size_t start = 0; start < text.size();) {
      size_t end = start + 1;
      while (!bytes && end < text.size() && isContinuationByte(text[end])) ++end;
      pieces.push_back(sameKind(bytes, text.substr(start, end - start)));
      start = end;
    }
    return Value::array(std::move(pieces));
  }
  size_t from = 0;
  for (size_t hit = delimiter.empty() ? std::string::npos : text.find(delimiter);
       hit != std::string::npos; hit = text.find(delimiter, from)) {
    pieces.push_back(sameKind(bytes, text.substr(from, hit - from)));
    from = hit + delimiter.size();
  }
  pieces.push_back(sameKind(bytes, text.substr(from)));
  return Value::array(std::move(pieces));
}

ScalarFunction stringFunction(std::string name, std::string display_name, std::string description,
                              std::vector<ScalarVariant> variants) {
  return {std::move(name), std::move(display_name), "STRING", std::move(description),
          std::move(variants)};
}

}  // namespace

void registerStringFunctions(Catalog& catalog) {
  const SqlTypePtr str = SqlType::string();
  const SqlTypePtr bytes = SqlType::bytes();
  const SqlTypePtr integer = SqlType::integer();

  catalog.addScalar(stringFunction(
      "CONCAT", "concat",
      "Concatenate an arbitrary number of string or bytes fields together; NULLs are skipped.",
      {fixedVariant(
           {param("inputs", str)}, str, [](auto args) { return concat(args, false); }, "", true),
       fixedVariant(
           {param("inputs", bytes)}, bytes, [](auto args) { return concat(args, true); }, "",
           true)}));

  catalog.addScalar(stringFunction(
      "SUBSTRING", "substring",
      "Returns the portion of the string or bytes passed in, from a 1-based position; a negative "
      "position "
      "counts from the end.",
      {fixedVariant({param("str", str), param("pos", integer)}, str,
                    [](auto args) { return substring(args, false); }),
       fixedVariant({param("str", str), param("pos", integer), param("length", integer)}, str,
                    [](auto args) { return substring(args, false); }),
       fixedVariant({param("bytes", bytes), param("pos", integer)}, bytes,
                    [](auto args) { return substring(args, true); }),
       fixedVariant({param("bytes", bytes), param("pos", integer), param("length", integer)}, bytes,
                    [](auto args) { return substring(args, true); })}));

  catalog.addScalar(stringFunction("UCASE", "ucase", "Returns the string converted to upper case.",
                                   {fixedVariant({param("input", str)}, str, [](auto args) {
                                     return mapAscii(args, [](int c) { return std::toupper(c); });
                                   })}));
  catalog.addScalar(stringFunction("LCASE", "lcase", "Returns the string converted to lower case.",
                                   {fixedVariant({param("input", str)}, str, [](auto args) {
                                     return mapAscii(args, [](int c) { return std::tolower(c); });
                                   })}));
  catalog.addScalar(stringFunction("TRIM", "trim", "Removes leading and trailing whitespace.",
                                   {fixedVariant({param("input", str)}, str, trim)}));

  auto length = [](bool by_byte) {
    return [by_byte](std::span<const Value> args) -> Value {
      if (args[0].isNull()) return Value::null();
      return static_cast<int32_t>(characterCount(bytesOf(args[0]), by_byte));
    };
  };
  catalog.addScalar(stringFunction("LEN", "len",
                                   "Returns the length of a string in characters, or of bytes.",
                                   {fixedVariant({param("input", str)}, integer, length(false)),
                                    fixedVariant({param("input", bytes)}, integer, length(true))}));

  catalog.addScalar(stringFunction(
      "REPLACE", "replace", "Replaces every occurrence of a substring with another string.",
      {fixedVariant({param("str", str), param("substring", str), param("replacement", str)}, str,
                    replace)}));

  catalog.addScalar(stringFunction(
      "SPLIT", "split",
      "Splits a string or bytes into an array on a delimiter; an empty delimiter splits into "
      "characters.",
      {fixedVariant({param("string", str), param("delimiter", str)}, SqlType::array(str),
                    [](auto args) { return split(args, false); }),
       fixedVariant({param("bytes", bytes), param("delimiter", bytes)}, SqlType::array(bytes),
                    [](auto args) { return split(args, true); })}));
}

}  // namespace runnel::sql::functions
