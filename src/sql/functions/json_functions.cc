#include <charconv>
#include <optional>
#include <string_view>
#include <variant>

#include "common/json_reader.h"
#include "sql/format/json_values.h"
#include "sql/functions/catalog.h"
#include "sql/functions/memo.h"
#include "sql/functions/utf8.h"

// TO_JSON_STRING(any): the value as JSON text, NULL as "null", DATE, TIME and TIMESTAMP
// as ISO text and BYTES as base64, as the REST API writes them.
// EXTRACTJSONFIELD(json, path) with ksqlDB's JSON path subset: `$`, then `.name`,
// `['name']` / `["name"]` and `[index]` steps. A string is returned as its text, any other
// value as compact JSON text; a missing member, an index out of range, malformed JSON or
// a malformed path give NULL.
namespace runnel::sql::functions {
namespace {

using PathStep = std::variant<std::string, int64_t>;  // member name or array index

Result<std::vector<PathStep>> parsePath(std::string_view path) {
  auto malformed = [path] {
    return Status::invalidArgument("Invalid JSON path: " + std::string(path));
  };
  if (path.empty() || path.front() != '$') return malformed();
  std::vector<PathStep> steps;
  size_t i = 1;
  while (i < path.size()) {
    if (path[i] == '.') {
      const size_t end = path.find_first_of(".[", i + 1);
      std::string_view name =
          path.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1);
      if (name.empty()) return malformed();
      steps.emplace_back(std::string(name));
      i = end == std::string_view::npos ? path.size() : end;
    } else if (path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == std::string_view::npos) return malformed();
      std::string_view inside = path.substr(i + 1, close - i - 1);
      if (inside.size() >= 2 && (inside.front() == '\'' || inside.front() == '"') &&
          inside.back() == inside.front()) {
        steps.emplace_back(std::string(inside.substr(1, inside.size() - 2)));
      } else {
        int64_t index = 0;
        auto [ptr, ec] = std::from_chars(inside.data(), inside.data() + inside.size(), index);
        if (ec != std::errc() || ptr != inside.data() + inside.size()) return malformed();
        steps.emplace_back(index);
      }
      i = close + 1;
    } else {
      return malformed();
    }
  }
  return steps;
}

bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t skipSpace(std::string_view text, size_t pos) {
  while (pos < text.size() && isJsonSpace(text[pos])) ++pos;
  return pos;
}

// Where the value starting at text[pos] ends. Exact on valid JSON; on anything else it
// still stops, and the caller validates what it delimits.
size_t valueEnd(std::string_view text, size_t pos) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = pos; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      if (!in_string && depth == 0) return i + 1;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth <= 0) return depth < 0 ? i : i + 1;
    } else if (depth == 0 && (c == ',' || c == ':' || isJsonSpace(c))) {
      return i;
    }
  }
  return text.size();
}

uint32_t hex4(std::string_view text) {
  uint32_t value = 0;
  std::from_chars(text.data(), text.data() + 4, value, 16);
  return value;
}

// The text of a validated JSON string literal (quotes included), escapes decoded.
std::string unquote(std::string_view literal) {
  std::string out;
  out.reserve(literal.size());
  for (size_t i = 1; i + 1 < literal.size(); ++i) {
    if (literal[i] != '\\') {
      out += literal[i];
      continue;
    }
    const char escape = literal[++i];
    switch (escape) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        uint32_t code = hex4(literal.substr(i + 1, 4));
        i += 4;
        if (code >= 0xD800 && code < 0xDC00 && literal.substr(i + 1, 2) == "\\u") {
          code = 0x10000 + ((code - 0xD800) << 10) + (hex4(literal.substr(i + 3, 4)) - 0xDC00);
          i += 6;
        }
        appendUtf8(out, code);
        break;
      }
      default:
        out += escape;
        break;  // " \ /
    }
  }
  return out;
}

// The position of the value a path step selects in the container at `pos`, if any.
std::optional<size_t> step(std::string_view doc, size_t pos, const PathStep& path_step) {
  const auto* name = std::get_if<std::string>(&path_step);
  const char open = doc[pos];
  if (open != (name ? '{' : '[')) return std::nullopt;
  int64_t index = name ? 0 : std::get<int64_t>(path_step);
  if (index < 0) return std::nullopt;
  pos = skipSpace(doc, pos + 1);
  for (int64_t i = 0; pos < doc.size() && doc[pos] != '}' && doc[pos] != ']'; ++i) {
    bool selected = i == index;
    if (name) {
      const size_t key_end = valueEnd(doc, pos);
      selected = unquote(doc.substr(pos, key_end - pos)) == *name;
      pos = skipSpace(doc, skipSpace(doc, key_end) + 1);  // past ':'
    }
    if (selected) return pos;
    pos = skipSpace(doc, valueEnd(doc, pos));
    if (pos < doc.size() && doc[pos] == ',') pos = skipSpace(doc, pos + 1);
  }
  return std::nullopt;
}

// Jackson prints a selected object or array compactly: the text without the whitespace
// between tokens.
std::string compact(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\')
        out += json[++i];
      else if (c == '"')
        in_string = false;
    } else if (!isJsonSpace(c)) {
      out += c;
      in_string = c == '"';
    }
  }
  return out;
}

// Works on the text itself, once simdjson has validated it, so that a selected number
// keeps its digits ("1.50"), as ksqlDB's Jackson with BigDecimal does. Like Jackson, it
// reads the first JSON value of the text and ignores what follows it.
Value extractJsonField(std::span<const Value> args) {
  if (anyNull(args)) return Value::null();
  const auto* path = memoized<std::vector<PathStep>>(
      args[1].asString(), [](const std::string& text) { return parsePath(text); });
  if (!path) return Value::null();
  std::string_view text = args[0].asString();
  const size_t start = skipSpace(text, 0);
  if (start == text.size()) return Value::null();
  const std::string_view doc = text.substr(start, valueEnd(text, start) - start);
  thread_local json::Parser parser;
  if (!parser.parse(doc).isOk()) return Value::null();
  size_t pos = 0;
  for (const PathStep& path_step : *path) {
    auto next = step(doc, pos, path_step);
    if (!next) return Value::null();
    pos = *next;
  }
  const std::string_view selected = doc.substr(pos, valueEnd(doc, pos) - pos);
  switch (selected.front()) {
    case 'n':
      return Value::null();
    case '"':
      return unquote(selected);
    case '{':
    case '[':
      return compact(selected);
    default:
      return std::string(selected);
  }
}

}  // namespace

void registerJsonFunctions(Catalog& catalog) {
  catalog.addScalar(ScalarFunction{
      "EXTRACTJSONFIELD",
      "EXTRACTJSONFIELD",
      "JSON",
      "Given a STRING that contains JSON data, extract the value at the specified JSONPath or NULL "
      "if the "
      "specified path does not exist.",
      {fixedVariant({param("input", SqlType::string()), param("path", SqlType::string())},
                    SqlType::string(), extractJsonField)}});

  ScalarVariant to_json;
  to_json.params = {anyType("input")};
  to_json.return_text = "VARCHAR";
  to_json.bind = [](std::vector<SqlTypePtr> types) -> Result<BoundScalarFunction> {
    ScalarInvoke invoke = [type = types[0]](std::span<const Value> args) -> Value {
      std::string out;
      json::Writer writer(out);
      writeJsonValue(writer, args[0], *type, JsonStyle::kRest);
      return out;
    };
    return BoundScalarFunction{std::move(types), SqlType::string(), std::move(invoke)};
  };
  catalog.addScalar(ScalarFunction{"TO_JSON_STRING", "to_json_string", "JSON",
                                   "Converts any value to its JSON text.", {std::move(to_json)}});
}

}  // namespace runnel::sql::functions
