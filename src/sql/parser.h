#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/ast.h"

namespace runnel::sql {

// One statement of a script, cut at its top-level `;` (quotes, `--` and `/* */` comments
// respected), with where it starts in the script.
struct StatementText {
  std::string text;
  SourceLocation location;
};

// Named types (CREATE TYPE) by upper-cased name; nullptr when unknown.
using TypeLookup = std::function<SqlTypePtr(const std::string& name)>;

// Cuts a script into statements. Fails on an unterminated string or comment.
Result<std::vector<StatementText>> splitStatements(std::string_view script);

// Parses one statement (with or without its trailing `;`). Errors read as ksqlDB's:
// "line 1:23: Syntax Error\n<detail>", detail one of "Syntax error at or near 'FOO' at
// line 1:23", "mismatched input 'X' expecting 'Y'", "missing ')' at ','",
// "Expecting {...}", "\"FROM\" is a reserved keyword ..."; or "line 2:40: Invalid numeric
// literal: 9223372036854775808"; lines and columns within `text`.
Result<Statement> parseStatement(std::string_view text, const TypeLookup& types = {});
// The same for a statement cut from a script: locations (in the AST and in errors) are
// the script's.
Result<Statement> parseStatement(const StatementText& statement, const TypeLookup& types = {});

// Parses a single expression (tests, and the engine's defaults).
Result<ExprPtr> parseExpression(std::string_view text);

// Replaces ${name} with the variable's value (DEFINE / --define), as ksqlDB does before
// parsing; names match case-insensitively. Fails naming an undefined variable.
Result<std::string> substituteVariables(std::string_view text, const std::map<std::string, std::string>& variables);

}  // namespace runnel::sql
