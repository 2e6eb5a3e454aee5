#include <algorithm>
#include <charconv>
#include <string_view>

#include "sql/functions/catalog.h"
#include "sql/functions/utf8.h"

// CONCAT, SUBSTRING, UCASE, LCASE, TRIM, LEN, REPLACE, SPLIT, INSTR, LPAD, RPAD, INITCAP,
// CHR. Positions and lengths count
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

// The character index of byte offset `offset`.
int32_t characterIndex(std::string_view text, size_t offset) {
  return static_cast<int32_t>(characterCount(text.substr(0, offset), false));
}

// ksqlDB's INSTR: the 1-based position of the `occurrence`th match at or after
// `position`, or, for a negative position, at or before that many characters from the
// end, searching backwards; 0 when there is none. NULL text or substring is 0 too (the
// UDF returns a Java int).
Value instr(std::span<const Value> args) {
  if (args[0].isNull() || args[1].isNull()) return int32_t{0};
  if (args.size() > 2 && args[2].isNull()) return Value::null();
  if (args.size() > 3 && args[3].isNull()) return Value::null();
  const std::string& text = args[0].asString();
  const std::string& target = args[1].asString();
  const int64_t position = args.size() > 2 ? args[2].asInt() : 1;
  const int64_t occurrence = args.size() > 3 ? args[3].asInt() : 1;
  if (occurrence <= 0) return int32_t{0};
  size_t hit = std::string::npos;
  if (position >= 0) {
    size_t from = byteOffset(text, std::max<int64_t>(0, position - 1), false);
    for (int64_t i = 0; i < occurrence; ++i) {
      if (i > 0) {
        if (hit == text.size()) return int32_t{0};
        from = hit + 1;
        while (from < text.size() && isContinuationByte(text[from])) ++from;
      }
      hit = text.find(target, from);
      if (hit == std::string::npos) return int32_t{0};
    }
  } else {
    const int64_t start = characterCount(text, false) + position;
    if (start < 0) return int32_t{0};
    size_t from = byteOffset(text, start, false);
    for (int64_t i = 0; i < occurrence; ++i) {
      if (i > 0) {
        if (hit == 0) return int32_t{0};
        from = hit - 1;
      }
      hit = text.rfind(target, from);
      if (hit == std::string::npos) return int32_t{0};
    }
  }
  return characterIndex(text, hit) + 1;
}

// LPAD and RPAD: `input` padded with repeats of `padding` (or cut) to `length`
// characters (bytes for BYTES). NULL for a NULL argument, a negative length or an empty
// padding.
Value pad(std::span<const Value> args, bool bytes, bool left) {
  if (anyNull(args)) return Value::null();
  const std::string& input = bytesOf(args[0]);
  const std::string& padding = bytesOf(args[2]);
  const int64_t length = args[1].asInt();
  if (length < 0 || padding.empty()) return Value::null();
  const int64_t input_length = characterCount(input, bytes);
  if (length <= input_length) return sameKind(bytes, input.substr(0, byteOffset(input, length, bytes)));
  const int64_t padding_length = characterCount(padding, bytes);
  int64_t missing = length - input_length;
  std::string fill;
  for (; missing >= padding_length; missing -= padding_length) fill += padding;
  fill.append(padding, 0, byteOffset(padding, missing, bytes));
  return sameKind(bytes, left ? fill + input : input + fill);
}

// Java's Character.isWhitespace, for ASCII.
bool isJavaWhitespace(unsigned char c) { return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F); }

// INITCAP: the first letter of every word upper case, the rest lower case; words are
// separated by whitespace. ASCII letters only, as UCASE and LCASE.
Value initcap(std::span<const Value> args) {
  if (args[0].isNull()) return Value::null();
  std::string out = args[0].asString();
  bool word_start = true;
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (isJavaWhitespace(u)) {
      word_start = true;
      continue;
    }
    c = static_cast<char>(word_start ? std::toupper(u) : std::tolower(u));
    word_start = false;
  }
  return out;
}

// CHR(INT): the character of a Unicode code point; NULL when it is not one.
Value chrOfCode(std::span<const Value> args) {
  if (args[0].isNull()) return Value::null();
  const int32_t code = args[0].asInt();
  if (code < 0 || code > 0x10FFFF) return Value::null();
  std::string out;
  appendUtf8(out, static_cast<uint32_t>(code));
  return out;
}

// CHR(STRING): Java '\uXXXX' escapes (a surrogate pair for characters beyond the BMP),
// decoded; NULL for anything else.
Value chrOfEscape(std::span<const Value> args) {
  if (args[0].isNull()) return Value::null();
  std::string_view text = args[0].asString();
  if (text.size() < 6 || text.substr(0, 2) != "\\u") return Value::null();
  std::vector<uint32_t> units;
  for (; !text.empty(); text.remove_prefix(6)) {
    if (text.size() < 6 || text.substr(0, 2) != "\\u") return Value::null();
    uint32_t unit = 0;
    auto [end, ec] = std::from_chars(text.data() + 2, text.data() + 6, unit, 16);
    if (ec != std::errc() || end != text.data() + 6) return Value::null();
    units.push_back(unit);
  }
  std::string out;
  for (size_t i = 0; i < units.size(); ++i) {
    const uint32_t unit = units[i];
    if (unit >= 0xD800 && unit < 0xDC00 && i + 1 < units.size() && units[i + 1] >= 0xDC00 &&
        units[i + 1] < 0xE000) {
      appendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (units[++i] - 0xDC00));
    } else {
      appendUtf8(out, unit);  // a lone surrogate, as Java keeps it
    }
  }
  return out;
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

  catalog.addScalar(stringFunction(
      "INSTR", "instr",
      "Returns the 1-based position of a substring, searching from a position (backwards from "
      "the end when negative) for the given occurrence; 0 when not found.",
      {fixedVariant({param("str", str), param("substring", str)}, integer, instr),
       fixedVariant({param("str", str), param("substring", str), param("position", integer)},
                    integer, instr),
       fixedVariant({param("str", str), param("substring", str), param("position", integer),
                     param("occurrence", integer)},
                    integer, instr)}));

  for (bool left : {true, false}) {
    catalog.addScalar(stringFunction(
        left ? "LPAD" : "RPAD", left ? "lpad" : "rpad",
        std::string("Pads the input string or bytes, ") + (left ? "beginning from the left" : "beginning from the right") +
            ", with the specified padding to the specified length; a longer input is truncated.",
        {fixedVariant({param("input", str), param("targetLen", integer), param("padding", str)}, str,
                      [left](auto args) { return pad(args, false, left); }),
         fixedVariant({param("input", bytes), param("targetLen", integer), param("padding", bytes)},
                      bytes, [left](auto args) { return pad(args, true, left); })}));
  }

  catalog.addScalar(stringFunction(
      "INITCAP", "initcap",
      "Capitalizes the first letter in each word and converts all other letters to lowercase.",
      {fixedVariant({param("str", str)}, str, initcap)}));

  catalog.addScalar(stringFunction(
      "CHR", "chr",
      "Returns a single-character string corresponding to the input Unicode code point, given "
      "as a decimal INT or a '\\uXXXX' escape.",
      {fixedVariant({param("decimalCode", integer)}, str, chrOfCode),
       fixedVariant({param("utf16Hex", str)}, str, chrOfEscape)}));
}

}  // namespace runnel::sql::functions
