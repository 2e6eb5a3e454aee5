#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/ast.h"

namespace runnel::sql {

// The tokens of ksqlDB's lexer. Keywords are not a kind of their own: they are
// identifiers that the parser compares case-insensitively, since most of ksqlDB's
// keywords are non-reserved and may name columns.
enum class TokenKind : unsigned char {
  kEnd,
  kIdentifier,        // FOO, foo_1 (the parser upper-cases it)
  kQuotedIdentifier,  // `foo` or "foo": text() is the name as written
  kString,            // 'it''s': text() is the unescaped value
  kInteger,           // 123
  kDecimal,           // 1.5, .5, 1.
  kDouble,            // 1.5E3
  kSymbol,            // ( ) , ; . * + - / % || = <> != < <= > >= [ ] -> => :=
};

// A token points into the statement text, so lexing allocates only for quoted text that
// needs unescaping.
struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view raw;  // exactly as written, quotes included
  SourceLocation location;
  size_t offset = 0;  // of raw's first byte in the text

  bool isSymbol(std::string_view symbol) const { return kind == TokenKind::kSymbol && raw == symbol; }
  // An unquoted identifier equal to `keyword` (given upper-case), ignoring case.
  bool isKeyword(std::string_view keyword) const;
  // The value of a string or quoted identifier, quotes removed and doubled quotes undone.
  std::string unquoted() const;
};

// ASCII upper case: how ksqlDB resolves unquoted identifiers and keywords.
char upperCase(char c);
std::string upperCase(std::string_view text);

// Lexes `text`, comments and whitespace dropped; the last token is kEnd. Fails on an
// unterminated string, quoted identifier or comment, or a character ksqlDB does not know.
// `start` places the text within a larger script, for locations and messages.
Result<std::vector<Token>> tokenize(std::string_view text, SourceLocation start = {});

// A parse error as ksqlDB words it: "line 1:33: Syntax Error\n<detail>", the detail
// being e.g. "missing ')' at ','" or, where no alternative fits a token, "Syntax error at
// or near 'FOO' at line 1:33" (ksqlDB's tests match on either line).
Status syntaxErrorAtOrNear(std::string_view near, SourceLocation location);
Status syntaxError(SourceLocation location, std::string_view detail);

}  // namespace runnel::sql
