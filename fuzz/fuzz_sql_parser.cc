// Fuzzes the SQL front end: splitting a script, parsing each statement and the whole
// input as an expression, and variable substitution. Any input must give a result or an
// error, never a crash, a hang or a sanitizer report; a statement that parses must parse
// again from its own Statement::text.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sql/parser.h"

using namespace runnel::sql;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const SqlTypePtr address = SqlType::structType({{"STREET", SqlType::string()}});
  TypeLookup types = [&](const std::string& name) { return name == "ADDRESS" ? address : nullptr; };

  auto statements = splitStatements(input);
  if (statements.isOk()) {
    for (const StatementText& text : *statements) {
      auto statement = parseStatement(text, types);
      if (statement.isOk() && !parseStatement(statement->text, types).isOk()) std::abort();
    }
  }
  (void)parseStatement(input, types);
  (void)parseExpression(input);
  (void)substituteVariables(input, {{"X", "1"}, {"name", "${X}"}});
  return 0;
}
