#include "sql/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "sql/parser_internal.h"

namespace runnel::sql {
namespace internal {
namespace {

// ksqlDB's reserved words: the keywords of its grammar (SqlBase.g4) that are not in its
// `nonReserved` rule. They name a column only when quoted. Sorted, for binary search.
constexpr std::array<std::string_view, 86> kReserved = {
    "ADVANCE", "ALL", "AND", "AS", "AT", "BEGINNING", "BETWEEN", "BY", "CASE", "CAST", "CATALOG", "CONNECTOR",
    "CONNECTORS", "CREATE", "DAYS", "DECIMAL", "DELETE", "DESCRIBE", "DISTINCT", "DROP", "ELSE", "END",
    "EXISTS", "EXPORT", "EXTENDED", "FALSE", "FROM", "FULL", "GROUP", "HAVING", "HOPPING", "HOURS", "IN",
    "INNER", "INSERT", "INTO", "IS", "JOIN", "LEFT", "LIKE", "LIMIT", "LIST", "LOAD", "MATERIALIZED",
    "MILLISECOND", "MILLISECONDS", "MINUTES", "MONTHS", "NAMESPACE", "NOT", "NULL", "ON", "OR", "OUTER",
    "PRINT", "PROPERTIES", "QUERIES", "QUERY", "RENAME", "RETENTION", "RIGHT", "RUN", "SAMPLE", "SCRIPT",
    "SECONDS", "SELECT", "SIZE", "STREAM", "STREAMS", "TABLE", "TERMINATE", "THEN", "TO", "TOPIC", "TOPICS",
    "TRUE", "TUMBLING", "UNSET", "VALUES", "VIEW", "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN", "YEARS"};
static_assert(std::is_sorted(kReserved.begin(), kReserved.end()));

std::string display(const Token& token) {
  return token.kind == TokenKind::kEnd ? "<EOF>" : std::string(token.raw);
}

}  // namespace

bool Parser::acceptKeyword(std::string_view keyword) {
  if (!atKeyword(keyword)) return false;
  next();
  return true;
}

bool Parser::acceptSymbol(std::string_view symbol) {
  if (!atSymbol(symbol)) return false;
  next();
  return true;
}

void Parser::expectKeyword(std::string_view keyword) {
  if (acceptKeyword(keyword)) return;
  fail(peek(), fmt::format("mismatched input '{}' expecting '{}'", display(peek()), keyword));
}

void Parser::expectSymbol(std::string_view symbol) {
  if (acceptSymbol(symbol)) return;
  const Token& token = peek();
  // As ANTLR reports it: a closing or separating token where another was due reads as
  // the due one missing; anything else as a mismatch.
  bool punctuation = token.isSymbol(",") || token.isSymbol(")") || token.isSymbol(";") || token.isSymbol("]");
  if (punctuation) fail(token, fmt::format("missing '{}' at '{}'", symbol, display(token)));
  fail(token, fmt::format("mismatched input '{}' expecting '{}'", display(token), symbol));
}

std::string_view Parser::textBetween(const Token& first, const Token& last) const {
  size_t end = last.offset + last.raw.size();
  return end >= first.offset ? text_.substr(first.offset, end - first.offset) : std::string_view();
}

void Parser::failAtOrNear(const Token& token) const {
  throw ParseFailure{syntaxErrorAtOrNear(display(token), token.location)};
}

void Parser::fail(const Token& token, std::string_view detail) const {
  throw ParseFailure{syntaxError(token.location, detail)};
}

bool Parser::isReserved(const Token& token) {
  constexpr size_t kLongest = 12;  // MATERIALIZED, MILLISECONDS
  if (token.kind != TokenKind::kIdentifier || token.raw.size() > kLongest) return false;
  char upper[kLongest];
  for (size_t i = 0; i < token.raw.size(); ++i) upper[i] = upperCase(token.raw[i]);
  return isReservedWord(std::string_view(upper, token.raw.size()));
}

bool Parser::isReservedWord(std::string_view upper_case) {
  return std::binary_search(kReserved.begin(), kReserved.end(), upper_case);
}

std::string Parser::formatName(const std::string& name) {
  return isReservedWord(name) ? "`" + name + "`" : formatIdentifier(name);
}

bool Parser::atIdentifier(size_t ahead) const {
  const Token& token = peek(ahead);
  return token.kind == TokenKind::kQuotedIdentifier || (token.kind == TokenKind::kIdentifier && !isReserved(token));
}

std::string Parser::identifier() {
  const Token& token = peek();
  if (token.kind == TokenKind::kQuotedIdentifier) {
    next();
    return token.unquoted();
  }
  if (token.kind != TokenKind::kIdentifier) failAtOrNear(token);
  if (isReserved(token)) {
    fail(token, fmt::format("\"{0}\" is a reserved keyword and it can't be used as an identifier. You can use it as "
                            "an identifier by escaping it as `{0}`",
                            token.raw));
  }
  next();
  return upperCase(token.raw);
}

void Parser::deepen() {
  if (++depth_ > kMaxDepth) fail(peek(), fmt::format("the statement nests deeper than {} levels", kMaxDepth));
}

}  // namespace internal

using internal::Parser;
using internal::runParser;

Result<Statement> parseStatement(const StatementText& statement, const TypeLookup& types) {
  // Statement::text keeps the statement as written, without surrounding whitespace.
  std::string_view text = statement.text;
  RUNNEL_ASSIGN_OR_RETURN(std::vector<Token> tokens, tokenize(text, statement.location));
  if (tokens.front().kind == TokenKind::kEnd) return syntaxErrorAtOrNear("<EOF>", tokens.front().location);
  return runParser<Statement>([&] {
    Parser parser(tokens, text, types);
    Statement result;
    result.location = tokens.front().location;
    result.body = parser.statement();
    parser.acceptSymbol(";");
    if (!parser.atEnd()) parser.failAtOrNear(parser.peek());
    const Token& last = tokens[tokens.size() >= 2 ? tokens.size() - 2 : 0];
    result.text = std::string(parser.textBetween(tokens.front(), last));
    return result;
  });
}

Result<Statement> parseStatement(std::string_view text, const TypeLookup& types) {
  return parseStatement(StatementText{std::string(text), SourceLocation{}}, types);
}

Result<ExprPtr> parseExpression(std::string_view text) {
  RUNNEL_ASSIGN_OR_RETURN(std::vector<Token> tokens, tokenize(text));
  TypeLookup no_types;
  return runParser<ExprPtr>([&] {
    Parser parser(tokens, text, no_types);
    ExprPtr expr = parser.expression();
    if (!parser.atEnd()) parser.failAtOrNear(parser.peek());
    return expr;
  });
}

}  // namespace runnel::sql
