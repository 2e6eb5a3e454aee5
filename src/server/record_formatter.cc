#include "server/record_formatter.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <ctime>

#include "common/json_reader.h"
#include "sql/literals.h"

namespace runnel::server {
namespace {

using Reader = std::function<std::optional<std::string>(std::string_view)>;

// Java's replacement character, which ksqlDB takes as the sign of bytes that are not UTF-8.
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

bool isUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    size_t extra = lead < 0x80 ? 0 : lead >= 0xC2 && lead < 0xE0 ? 1 : lead >= 0xE0 && lead < 0xF0 ? 2
                                   : lead >= 0xF0 && lead < 0xF5 ? 3 : 4;
    if (extra > 3 || text.size() - i <= extra) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

// Kafka's StringDeserializer as ksqlDB's PRINT uses it: empty data and bytes that are not
// UTF-8 do not count as text.
std::optional<std::string> readString(std::string_view bytes) {
  if (bytes.empty() || !isUtf8(bytes) || bytes.find(kReplacement) != std::string_view::npos) return std::nullopt;
  return std::string(bytes);
}

std::optional<std::string> readJson(std::string_view bytes) {
  auto text = readString(bytes);
  if (!text) return std::nullopt;
  json::Parser parser;
  if (!parser.parse(*text).isOk()) return std::nullopt;
  return text;
}

template <typename T>
std::optional<T> readBigEndian(std::string_view bytes) {
  if (bytes.size() != sizeof(T)) return std::nullopt;
  uint64_t bits = 0;
  for (char c : bytes) bits = (bits << 8) | static_cast<unsigned char>(c);
  if constexpr (sizeof(T) == 4) {
    return std::bit_cast<T>(static_cast<uint32_t>(bits));
  } else {
    return std::bit_cast<T>(bits);
  }
}

std::optional<std::string> readInt(std::string_view bytes) {
  auto value = readBigEndian<int32_t>(bytes);
  return value ? std::optional(std::to_string(*value)) : std::nullopt;
}

std::optional<std::string> readBigint(std::string_view bytes) {
  auto value = readBigEndian<int64_t>(bytes);
  return value ? std::optional(std::to_string(*value)) : std::nullopt;
}

std::optional<std::string> readDouble(std::string_view bytes) {
  auto value = readBigEndian<double>(bytes);
  return value ? std::optional(sql::formatDouble(*value)) : std::nullopt;
}

// Kafka's Bytes.toString: printable ASCII as is, anything else as \xNN.
std::optional<std::string> readBytes(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= ' ' && byte <= '~' && byte != '\\') {
      out += c;
    } else {
      out += fmt::format("\\x{:02X}", byte);
    }
  }
  return out;
}

// Kafka Streams' windowed keys: the key then the window start (time windows), or the key,
// the window end and the window start (session windows), big-endian millis.
Reader sessionWindowed(Reader inner) {
  return [inner = std::move(inner)](std::string_view bytes) -> std::optional<std::string> {
    if (bytes.size() < 16) return std::nullopt;
    auto key = inner(bytes.substr(0, bytes.size() - 16));
    if (!key) return std::nullopt;
    int64_t end = *readBigEndian<int64_t>(bytes.substr(bytes.size() - 16, 8));
    int64_t start = *readBigEndian<int64_t>(bytes.substr(bytes.size() - 8));
    return fmt::format("[{}@{}/{}]", *key, start, end);
  };
}

Reader timeWindowed(Reader inner) {
  return [inner = std::move(inner)](std::string_view bytes) -> std::optional<std::string> {
    if (bytes.size() < 8) return std::nullopt;
    auto key = inner(bytes.substr(0, bytes.size() - 8));
    if (!key) return std::nullopt;
    // The end is not in the bytes: ksqlDB prints "-".
    return fmt::format("[{}@{}/-]", *key, *readBigEndian<int64_t>(bytes.substr(bytes.size() - 8)));
  };
}

constexpr std::string_view kUnrecognised = "UNRECOGNISED_BYTES";

std::vector<RecordFormatter::Candidate> candidates(bool windowed) {
  std::vector<RecordFormatter::Candidate> plain = {
      {"JSON", readJson},           {"KAFKA_INT", readInt},         {"KAFKA_BIGINT", readBigint},
      {"KAFKA_DOUBLE", readDouble}, {"KAFKA_STRING", readString},
  };
  std::vector<RecordFormatter::Candidate> out;
  for (auto& candidate : plain) {
    if (windowed) {
      out.push_back({"SESSION(" + candidate.name + ")", sessionWindowed(candidate.read)});
      out.push_back({"HOPPING(" + candidate.name + ")", timeWindowed(candidate.read)});
      out.push_back({"TUMBLING(" + candidate.name + ")", timeWindowed(candidate.read)});
    }
    out.push_back(std::move(candidate));
  }
  out.push_back({std::string(kUnrecognised), readBytes});
  return out;
}

}  // namespace

std::string RecordFormatter::Guesser::format(std::optional<std::string_view> bytes) {
  if (!bytes) return "<null>";
  seen_data = true;
  std::optional<std::string> first;
  std::erase_if(candidates, [&](const Candidate& candidate) {
    auto text = candidate.read(*bytes);
    if (text && !first) first = std::move(text);
    return !text.has_value();
  });
  return first ? *first : "<Failed to deserialize>";
}

std::vector<std::string> RecordFormatter::Guesser::possible() const {
  if (!seen_data) return {"\xC2\xAF\\_(\xE3\x83\x84)_/\xC2\xAF - no data processed"};
  std::vector<std::string> out;
  for (const auto& candidate : candidates) {
    if (candidate.name != kUnrecognised) out.push_back(candidate.name);
  }
  return out;
}

RecordFormatter::RecordFormatter() : keys_{candidates(true)}, values_{candidates(false)} {}
RecordFormatter::~RecordFormatter() = default;
RecordFormatter::RecordFormatter(RecordFormatter&&) noexcept = default;
RecordFormatter& RecordFormatter::operator=(RecordFormatter&&) noexcept = default;

std::string RecordFormatter::formatOne(const PrintedRecord& record) {
  std::string key_text = keys_.format(record.key);
  std::string value_text = values_.format(record.value);
  return fmt::format("rowtime: {}, key: {}, value: {}, partition: {}",
                     record.timestamp == -1 ? "N/A" : printRowtime(record.timestamp), key_text, value_text,
                     record.partition);
}

std::vector<std::string> RecordFormatter::format(const std::vector<PrintedRecord>& records) {
  auto first = [](const std::vector<std::string>& formats) { return formats.empty() ? std::string() : formats[0]; };
  std::string first_key = first(keys_.possible());
  std::string first_value = first(values_.possible());
  std::vector<std::string> lines;
  for (const auto& record : records) lines.push_back(formatOne(record));
  auto kept = [](const std::vector<std::string>& formats, const std::string& name) {
    return name.empty() || std::find(formats.begin(), formats.end(), name) != formats.end();
  };
  if (kept(keys_.possible(), first_key) && kept(values_.possible(), first_value)) return lines;
  lines.clear();
  for (const auto& record : records) lines.push_back(formatOne(record));
  return lines;
}

std::vector<std::string> RecordFormatter::possibleKeyFormats() const { return keys_.possible(); }
std::vector<std::string> RecordFormatter::possibleValueFormats() const { return values_.possible(); }

std::string formatsLine(std::string_view prefix, const std::vector<std::string>& formats) {
  if (formats.empty()) {
    return fmt::format("{} does not match any supported format. It may be a STRING with encoding other than UTF8, "
                       "or some other format.",
                       prefix);
  }
  return fmt::format("{}{}", prefix, fmt::join(formats, " or "));
}

std::string printRowtime(int64_t millis) {
  int64_t seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000;
  auto time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  return fmt::format("{:04}/{:02}/{:02} {:02}:{:02}:{:02}.{:03} Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, millis - seconds * 1000);
}

}  // namespace runnel::server
