#include <charconv>
#include <optional>
#include <string_view>
#include <variant>

#include "common/json_reader.h"
#include "common/json_writer.h"
#include "sql/functions/catalog.h"
#include "sql/functions/memo.h"

// EXTRACTJSONFIELD(json, path) with ksqlDB's JSON path subset: `$`, then `.name`,
// `['name']` / `["name"]` and `[index]` steps. A string is returned as its text, any other
// value as compact JSON; a missing member, an index out of range, malformed JSON or a
// malformed path give NULL. Numbers are re-printed, so 1.50 comes back as 1.5 (ksqlDB,
// reading with BigDecimal, keeps the trailing zero).
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

void writeJson(const json::Value& value, json::Writer& writer) {
  switch (value.type()) {
    case json::Type::kNull:
      writer.writeNull();
      break;
    case json::Type::kBool:
      writer.writeBool(value.getBool().value());
      break;
    case json::Type::kInt64:
      writer.writeInt64(value.getInt64().value());
      break;
    case json::Type::kUint64:
      writer.writeUint64(value.getUint64().value());
      break;
    case json::Type::kDouble:
      writer.writeDouble(value.getDouble().value());
      break;
    case json::Type::kString:
      writer.writeString(value.getString().value());
      break;
    case json::Type::kArray: {
      // Named first: a range-for over getArray().value() would outlive its Result.
      const json::Array array = value.getArray().value();
      writer.startArray();
      for (json::Value item : array) writeJson(item, writer);
      writer.endArray();
      break;
    }
    case json::Type::kObject: {
      const json::Object object = value.getObject().value();
      writer.startObject();
      for (auto [key, member] : object) {
        writer.writeKey(key);
        writeJson(member, writer);
      }
      writer.endObject();
      break;
    }
  }
}

std::optional<json::Value> step(const json::Value& node, const PathStep& path_step) {
  if (const auto* name = std::get_if<std::string>(&path_step)) {
    if (node.type() != json::Type::kObject) return std::nullopt;
    return node.getObject().value().find(*name);
  }
  const int64_t index = std::get<int64_t>(path_step);
  if (node.type() != json::Type::kArray || index < 0) return std::nullopt;
  json::Array array = node.getArray().value();
  if (static_cast<uint64_t>(index) >= array.size()) return std::nullopt;
  auto it = array.begin();
  for (int64_t i = 0; i < index; ++i) ++it;
  return *it;
}

Value extractJsonField(std::span<const Value> args) {
  if (anyNull(args)) return Value::null();
  const auto* path = memoized<std::vector<PathStep>>(
      args[1].asString(), [](const std::string& text) { return parsePath(text); });
  if (!path) return Value::null();
  thread_local json::Parser parser;
  auto root = parser.parse(args[0].asString());
  if (!root.isOk()) return Value::null();
  std::optional<json::Value> node = *root;
  for (const PathStep& path_step : *path) {
    node = step(*node, path_step);
    if (!node) return Value::null();
  }
  if (node->isNull()) return Value::null();
  if (node->type() == json::Type::kString) return std::string(node->getString().value());
  std::string out;
  json::Writer writer(out);
  writeJson(*node, writer);
  return out;
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
}

}  // namespace runnel::sql::functions
