// ${name} substitution (DEFINE, --define), done on the text before parsing as ksqlDB does,
// so a variable may stand for a name, a literal, or part of a string literal (where its
// quotes are doubled, as ksqlDB sanitizes values, so that it cannot end the string).

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
  bool in_string = false;  // a '' inside a string toggles twice, so needs no special case
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == '\'') in_string = !in_string;
    size_t end = text.substr(pos, 2) == "${" ? text.find('}', pos + 2) : std::string_view::npos;
    if (end == std::string_view::npos) {
      out += text[pos++];
      continue;
    }
    std::string_view name = text.substr(pos + 2, end - pos - 2);
    const std::string* value = findVariable(variables, name);
    if (!value) return Status::invalidArgument(fmt::format("Variable '{}' is not defined", name));
    for (char c : *value) {
      out += c;
      if (in_string && c == '\'') out += c;
    }
    pos = end + 1;
  }
  return out;
}

}  // namespace runnel::sql
