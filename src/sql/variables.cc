// ${name} substitution (DEFINE, --define), done on the text before parsing as ksqlDB does,
// so a variable may stand for a name, a literal, or the inside of a string.

#include <fmt/format.h>

#include "sql/lexer.h"
#include "sql/parser.h"

namespace runnel::sql {
namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (upperCase(a[i]) != upperCase(b[i])) return false;
  }
  return true;
}

const std::string* findVariable(const std::map<std::string, std::string>& variables, std::string_view name) {
  for (const auto& [key, value] : variables) {
    if (equalsIgnoringCase(key, name)) return &value;
  }
  return nullptr;
}

}  // namespace

Result<std::string> substituteVariables(std::string_view text, const std::map<std::string, std::string>& variables) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = text.find("${", pos);
    size_t end = start == std::string_view::npos ? start : text.find('}', start + 2);
    if (end == std::string_view::npos) break;
    std::string_view name = text.substr(start + 2, end - start - 2);
    const std::string* value = findVariable(variables, name);
    if (!value) return Status::invalidArgument(fmt::format("Variable '{}' is not defined", name));
    out.append(text.substr(pos, start - pos));
    out += *value;
    pos = end + 1;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace runnel::sql
