#include "cli/line_reader.h"

#include "cli/tool_support.h"

namespace runnel::cli {
namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// Java's String.split: trailing empty pieces are dropped, but splitting "" gives [""].
std::vector<std::string_view> javaSplit(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      pieces.push_back(text.substr(start));
      break;
    }
    pieces.push_back(text.substr(start, at - start));
    start = at + separator.size();
  }
  if (text.empty()) return pieces;
  while (!pieces.empty() && pieces.back().empty()) pieces.pop_back();
  return pieces;
}

Status checkDistinct(const std::string& a_name, const std::string& a, const std::string& b_name, const std::string& b) {
  if (a == b) return Status::invalidArgument(a_name + " and " + b_name + " may not be equal");
  return Status::ok();
}

}  // namespace

Result<LineReaderConfig> makeLineReaderConfig(const Properties& props) {
  LineReaderConfig config;
  if (auto v = props.get("parse.key")) config.parse_key = isTrue(*v);
  if (auto v = props.get("key.separator")) config.key_separator = *v;
  if (auto v = props.get("parse.headers")) config.parse_headers = isTrue(*v);
  if (auto v = props.get("headers.delimiter")) config.headers_delimiter = *v;
  if (auto v = props.get("headers.separator")) config.headers_separator = *v;
  if (auto v = props.get("headers.key.separator")) config.headers_key_separator = *v;
  if (auto v = props.get("ignore.error")) config.ignore_error = isTrue(*v);
  config.null_marker = props.get("null.marker");
  for (const auto* name : {"key.separator", "headers.delimiter", "headers.separator", "headers.key.separator"}) {
    auto v = props.get(name);
    if (v && v->empty()) return Status::invalidArgument(std::string(name) + " may not be empty");
  }
  if (config.parse_headers) {
    RUNNEL_RETURN_IF_ERROR(checkDistinct("headers.delimiter", config.headers_delimiter, "headers.separator",
                                         config.headers_separator));
    RUNNEL_RETURN_IF_ERROR(checkDistinct("headers.delimiter", config.headers_delimiter, "headers.key.separator",
                                         config.headers_key_separator));
    RUNNEL_RETURN_IF_ERROR(checkDistinct("headers.separator", config.headers_separator, "headers.key.separator",
                                         config.headers_key_separator));
  }
  if (config.null_marker) {
    const std::string& marker = *config.null_marker;
    RUNNEL_RETURN_IF_ERROR(checkDistinct("null.marker", marker, "key.separator", config.key_separator));
    if (config.parse_headers) {
      RUNNEL_RETURN_IF_ERROR(checkDistinct("null.marker", marker, "headers.delimiter", config.headers_delimiter));
      RUNNEL_RETURN_IF_ERROR(checkDistinct("null.marker", marker, "headers.separator", config.headers_separator));
      RUNNEL_RETURN_IF_ERROR(
          checkDistinct("null.marker", marker, "headers.key.separator", config.headers_key_separator));
    }
  }
  return config;
}

Result<ParsedLine> parseLine(const LineReaderConfig& config, std::string_view line, int64_t line_number) {
  ParsedLine out;
  auto orNull = [&](std::string_view text) -> std::optional<std::string> {
    if (config.null_marker && text == *config.null_marker) return std::nullopt;
    return std::string(text);
  };
  std::string_view rest = line;
  if (config.parse_headers) {
    size_t at = line.find(config.headers_delimiter);
    if (at == std::string_view::npos) {
      if (!config.ignore_error) {
        return Status::invalidArgument("No headers delimiter found on line number " + std::to_string(line_number) +
                                       ": " + quoted(line));
      }
    } else {
      std::string_view headers = line.substr(0, at);
      rest = line.substr(at + config.headers_delimiter.size());
      if (!(config.null_marker && headers == *config.null_marker)) {
        for (std::string_view pair : javaSplit(headers, config.headers_separator)) {
          size_t sep = pair.find(config.headers_key_separator);
          if (sep == std::string_view::npos) {
            if (!config.ignore_error) {
              return Status::invalidArgument("No header key separator found in pair " + quoted(pair) +
                                             " on line number " + std::to_string(line_number));
            }
            out.headers.push_back({std::string(pair), std::nullopt});
            continue;
          }
          std::string_view key = pair.substr(0, sep);
          if (config.null_marker && key == *config.null_marker) {
            return Status::invalidArgument("Header keys should not be equal to the null marker " +
                                           quoted(*config.null_marker) + " as they can't be null");
          }
          out.headers.push_back({std::string(key), orNull(pair.substr(sep + config.headers_key_separator.size()))});
        }
      }
    }
  }
  if (config.parse_key) {
    size_t at = rest.find(config.key_separator);
    if (at == std::string_view::npos) {
      if (!config.ignore_error) {
        return Status::invalidArgument("No key separator found on line number " + std::to_string(line_number) +
                                       ": " + quoted(line));
      }
    } else {
      out.key = orNull(rest.substr(0, at));
      rest = rest.substr(at + config.key_separator.size());
    }
  }
  out.value = orNull(rest);
  return out;
}

}  // namespace runnel::cli
