#include "common/properties.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace runnel {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<int64_t> parseInt64(std::string_view text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

Result<Properties> Properties::parse(std::string_view text) {
  Properties props;
  std::string logical;
  size_t line_no = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_no;
    if (logical.empty() && (line.empty() || line.front() == '#' || line.front() == '!')) {
      if (end == text.size()) break;
      continue;
    }
    if (!line.empty() && line.back() == '\\') {
      logical.append(line.substr(0, line.size() - 1));
      if (end == text.size()) break;
      continue;
    }
    logical.append(line);
    size_t sep = logical.find_first_of("=:");
    if (sep == std::string::npos) {
      return Status::invalidArgument("line " + std::to_string(line_no) + ": expected key=value, got '" +
                                     logical + "'");
    }
    props.set(std::string(trim(std::string_view(logical).substr(0, sep))),
              std::string(trim(std::string_view(logical).substr(sep + 1))));
    logical.clear();
    if (end == text.size()) break;
  }
  return props;
}

Result<Properties> Properties::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::notFound("cannot open properties file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto parsed = parse(buffer.str());
  if (!parsed) return Status::invalidArgument(path + ": " + parsed.status().message());
  return parsed;
}

Status Properties::setAssignment(std::string_view assignment) {
  size_t sep = assignment.find('=');
  if (sep == std::string_view::npos || sep == 0) {
    return Status::invalidArgument("expected key=value, got '" + std::string(assignment) + "'");
  }
  set(std::string(trim(assignment.substr(0, sep))), std::string(trim(assignment.substr(sep + 1))));
  return Status::ok();
}

std::optional<std::string> Properties::get(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Properties::getOr(std::string_view key, std::string_view fallback) const {
  auto v = get(key);
  return v ? *v : std::string(fallback);
}

Result<int64_t> Properties::getInt(std::string_view key, int64_t fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  auto parsed = parseInt64(*v);
  if (!parsed) return Status::invalidArgument(std::string(key) + " must be an integer, got '" + *v + "'");
  return *parsed;
}

Result<bool> Properties::getBool(std::string_view key, bool fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  if (*v == "true") return true;
  if (*v == "false") return false;
  return Status::invalidArgument(std::string(key) + " must be true or false, got '" + *v + "'");
}

}  // namespace runnel
