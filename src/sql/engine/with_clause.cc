#include "sql/engine/with_clause.h"

#include <fmt/format.h>

#include <algorithm>

namespace runnel::sql {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

std::string textOf(const Value& value) {
  if (value.is<std::string>()) return value.asString();
  if (value.is<int32_t>()) return std::to_string(value.asInt());
  if (value.is<int64_t>()) return std::to_string(value.asBigint());
  if (value.is<bool>()) return value.asBool() ? "true" : "false";
  if (value.is<double>()) return fmt::format("{}", value.asDouble());
  return {};
}

}  // namespace

Result<WithClause> WithClause::of(const Properties& properties, const std::set<std::string>& allowed) {
  std::vector<std::string> unknown;
  for (const auto& [name, value] : properties) {
    if (allowed.count(name) == 0) unknown.push_back(name);
  }
  if (!unknown.empty()) {
    std::string names;
    for (const auto& name : unknown) names += (names.empty() ? "" : ", ") + name;
    return Status::invalidArgument(fmt::format("Invalid config variable(s) in the WITH clause: {}", names));
  }
  WithClause clause;
  clause.properties_ = properties;
  return clause;
}

std::optional<std::string> WithClause::string(const std::string& name) const {
  auto it = properties_.find(name);
  if (it == properties_.end()) return std::nullopt;
  return textOf(it->second);
}

Result<std::optional<int64_t>> WithClause::integer(const std::string& name) const {
  auto it = properties_.find(name);
  if (it == properties_.end()) return std::optional<int64_t>();
  const Value& value = it->second;
  if (value.is<int32_t>()) return std::optional<int64_t>(value.asInt());
  if (value.is<int64_t>()) return std::optional<int64_t>(value.asBigint());
  if (value.is<std::string>()) {
    try {
      size_t used = 0;
      int64_t parsed = std::stoll(value.asString(), &used);
      if (used == value.asString().size()) return std::optional<int64_t>(parsed);
    } catch (const std::exception&) {
    }
  }
  return Status::invalidArgument(fmt::format("Invalid value {} for property {}: not an integer", textOf(value), name));
}

Result<std::optional<bool>> WithClause::boolean(const std::string& name) const {
  auto it = properties_.find(name);
  if (it == properties_.end()) return std::optional<bool>();
  std::string text = upper(textOf(it->second));
  if (text == "TRUE") return std::optional<bool>(true);
  if (text == "FALSE") return std::optional<bool>(false);
  return Status::invalidArgument(
      fmt::format("Property '{}' can not be parsed as a boolean: {}", name, textOf(it->second)));
}

Result<std::optional<FormatInfo>> WithClause::format(const std::string& side, const std::string& delimiter) const {
  auto own = string(side);
  auto both = string("FORMAT");
  if (own && both) {
    return Status::invalidArgument(
        fmt::format("Cannot supply both '{}' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. "
                    "Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
                    side));
  }
  auto name = own ? own : both;
  if (!name) return std::optional<FormatInfo>();
  FormatInfo info{upper(*name), {}};
  if (auto value = string(delimiter)) {
    if (value->empty() || value->find_first_not_of(" \t") == std::string::npos) {
      return Status::invalidArgument(fmt::format(
          "Failed to prepare statement: Configuration {} is invalid: Delimiter cannot be empty, if you meant to have a "
          "tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'",
          delimiter));
    }
    info.properties["delimiter"] = *value;
  }
  return std::optional<FormatInfo>(std::move(info));
}

Result<std::optional<FormatInfo>> WithClause::keyFormat() const { return format("KEY_FORMAT", "KEY_DELIMITER"); }
Result<std::optional<FormatInfo>> WithClause::valueFormat() const { return format("VALUE_FORMAT", "VALUE_DELIMITER"); }

const std::set<std::string>& createSourceProperties() {
  static const std::set<std::string> names = {
      "KAFKA_TOPIC",      "PARTITIONS",        "REPLICAS",     "KEY_FORMAT",       "VALUE_FORMAT",
      "FORMAT",           "TIMESTAMP",         "TIMESTAMP_FORMAT", "WRAP_SINGLE_VALUE", "VALUE_DELIMITER",
      "KEY_DELIMITER",    "RETENTION_MS",      "CLEANUP_POLICY", "KEY_SCHEMA_ID",    "VALUE_SCHEMA_ID",
      "KEY_SCHEMA_FULL_NAME", "VALUE_SCHEMA_FULL_NAME", "VALUE_AVRO_SCHEMA_FULL_NAME", "WINDOW_TYPE", "WINDOW_SIZE"};
  return names;
}

const std::set<std::string>& createAsSelectProperties() {
  static const std::set<std::string> names = {
      "KAFKA_TOPIC",   "PARTITIONS",       "REPLICAS",          "KEY_FORMAT",      "VALUE_FORMAT",
      "FORMAT",        "TIMESTAMP",        "TIMESTAMP_FORMAT",  "WRAP_SINGLE_VALUE", "VALUE_DELIMITER",
      "KEY_DELIMITER", "RETENTION_MS",     "CLEANUP_POLICY",    "KEY_SCHEMA_ID",   "VALUE_SCHEMA_ID",
      "KEY_SCHEMA_FULL_NAME", "VALUE_SCHEMA_FULL_NAME", "VALUE_AVRO_SCHEMA_FULL_NAME"};
  return names;
}

}  // namespace runnel::sql
