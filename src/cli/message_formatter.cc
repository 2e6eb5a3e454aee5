#include "cli/message_formatter.h"

#include <cstring>

#include <fmt/format.h>

#include "cli/tool_support.h"
#include "common/bytes.h"

namespace runnel::cli {
namespace {

// Java's deserializers reject data of the wrong size; so does this, printing what a
// failed toString() would hint at rather than aborting the whole consumer.
std::string decode(Deserializer d, const std::string& bytes) {
  auto p = reinterpret_cast<const uint8_t*>(bytes.data());
  auto wrongSize = [&](size_t want) {
    return fmt::format("<{} bytes, expected {}>", bytes.size(), want);
  };
  switch (d) {
    case Deserializer::kBytes:
      return bytes;
    case Deserializer::kLong:
      if (bytes.size() != 8) return wrongSize(8);
      return std::to_string(static_cast<int64_t>(loadBe64(p)));
    case Deserializer::kInteger:
      if (bytes.size() != 4) return wrongSize(4);
      return std::to_string(static_cast<int32_t>(loadBe32(p)));
    case Deserializer::kShort:
      if (bytes.size() != 2) return wrongSize(2);
      return std::to_string(static_cast<int16_t>(loadBe16(p)));
    case Deserializer::kDouble: {
      if (bytes.size() != 8) return wrongSize(8);
      uint64_t bits = loadBe64(p);
      double v;
      std::memcpy(&v, &bits, 8);
      return fmt::format("{}", v);
    }
    case Deserializer::kFloat: {
      if (bytes.size() != 4) return wrongSize(4);
      uint32_t bits = loadBe32(p);
      float v;
      std::memcpy(&v, &bits, 4);
      return fmt::format("{}", v);
    }
  }
  return bytes;
}

void appendField(const FormatterConfig& c, Deserializer d, const std::optional<std::string>& field,
                 std::string& out) {
  if (field) {
    out += decode(d, *field);
  } else {
    out += c.null_literal;
  }
}

}  // namespace

Result<Deserializer> deserializerFromClassName(const std::string& class_name) {
  std::string_view name = class_name;
  if (size_t dot = name.rfind('.'); dot != std::string_view::npos) name.remove_prefix(dot + 1);
  if (name == "StringDeserializer" || name == "ByteArrayDeserializer" || name == "BytesDeserializer" ||
      name == "ByteBufferDeserializer") {
    return Deserializer::kBytes;
  }
  if (name == "LongDeserializer") return Deserializer::kLong;
  if (name == "IntegerDeserializer") return Deserializer::kInteger;
  if (name == "ShortDeserializer") return Deserializer::kShort;
  if (name == "DoubleDeserializer") return Deserializer::kDouble;
  if (name == "FloatDeserializer") return Deserializer::kFloat;
  return Status::unsupported("unsupported deserializer " + class_name);
}

Result<FormatterConfig> makeFormatterConfig(const Properties& props) {
  FormatterConfig c;
  if (auto v = props.get("print.timestamp")) c.print_timestamp = isTrue(*v);
  if (auto v = props.get("print.partition")) c.print_partition = isTrue(*v);
  if (auto v = props.get("print.offset")) c.print_offset = isTrue(*v);
  if (auto v = props.get("print.headers")) c.print_headers = isTrue(*v);
  if (auto v = props.get("print.key")) c.print_key = isTrue(*v);
  if (auto v = props.get("print.value")) c.print_value = isTrue(*v);
  if (auto v = props.get("key.separator")) c.key_separator = *v;
  if (auto v = props.get("line.separator")) c.line_separator = *v;
  if (auto v = props.get("headers.separator")) c.headers_separator = *v;
  if (auto v = props.get("null.literal")) c.null_literal = *v;
  if (auto v = props.get("key.deserializer")) {
    RUNNEL_ASSIGN_OR_RETURN(c.key_deserializer, deserializerFromClassName(*v));
  }
  if (auto v = props.get("value.deserializer")) {
    RUNNEL_ASSIGN_OR_RETURN(c.value_deserializer, deserializerFromClassName(*v));
  }
  if (auto v = props.get("headers.deserializer")) {
    RUNNEL_ASSIGN_OR_RETURN(c.headers_deserializer, deserializerFromClassName(*v));
  }
  return c;
}

void formatMessage(const FormatterConfig& c, const client::Message& m, std::string& out) {
  // Each field is followed by key.separator if another field comes after it, else by
  // line.separator: Kafka's writeSeparator(columnSeparator).
  auto separator = [&](bool more) { out += more ? c.key_separator : c.line_separator; };
  if (c.print_timestamp) {
    switch (m.timestamp_type) {
      case client::TimestampType::kCreateTime: out += fmt::format("CreateTime:{}", m.timestamp); break;
      case client::TimestampType::kLogAppendTime: out += fmt::format("LogAppendTime:{}", m.timestamp); break;
      case client::TimestampType::kNotAvailable: out += "NO_TIMESTAMP"; break;
    }
    separator(c.print_partition || c.print_offset || c.print_headers || c.print_key || c.print_value);
  }
  if (c.print_partition) {
    out += fmt::format("Partition:{}", m.partition);
    separator(c.print_offset || c.print_headers || c.print_key || c.print_value);
  }
  if (c.print_offset) {
    out += fmt::format("Offset:{}", m.offset);
    separator(c.print_headers || c.print_key || c.print_value);
  }
  if (c.print_headers) {
    if (m.headers.empty()) {
      out += "NO_HEADERS";
    } else {
      for (size_t i = 0; i < m.headers.size(); ++i) {
        if (i > 0) out += c.headers_separator;
        out += m.headers[i].key;
        out += ':';
        appendField(c, c.headers_deserializer, m.headers[i].value, out);
      }
    }
    separator(c.print_key || c.print_value);
  }
  if (c.print_key) {
    appendField(c, c.key_deserializer, m.key, out);
    separator(c.print_value);
  }
  if (c.print_value) {
    appendField(c, c.value_deserializer, m.value, out);
    out += c.line_separator;
  }
}

}  // namespace runnel::cli
