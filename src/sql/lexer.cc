#include "sql/lexer.h"

#include <fmt/format.h>

namespace runnel::sql {
namespace {

bool isLetter(char c) {
  // Bytes of multi-byte UTF-8 sequences count as letters so that non-ASCII names lex.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentifierPart(char c) { return isLetter(c) || isDigit(c) || c == '_' || c == '@'; }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// The symbols, longest first so that `<=` wins over `<`.
constexpr std::string_view kSymbols[] = {"||", "<>", "!=", "<=", ">=", "->", "=>", ":=", "(", ")", ",", ";", ".",
                                         "*",  "+",  "-",  "/",  "%",  "=",  "<",  ">",  "[", "]", ":"};

class Lexer {
 public:
  Lexer(std::string_view text, SourceLocation start) : text_(text), line_(start.line), column_(start.column) {}

  Result<std::vector<Token>> run() {
    std::vector<Token> tokens;
    tokens.reserve(text_.size() / 4 + 2);
    while (true) {
      RUNNEL_RETURN_IF_ERROR(skipSpaceAndComments());
      Token token;
      token.location = {line_, column_};
      token.offset = pos_;
      if (pos_ >= text_.size()) {
        token.kind = TokenKind::kEnd;
        tokens.push_back(token);
        return tokens;
      }
      RUNNEL_ASSIGN_OR_RETURN(token.kind, lexOne(tokens.empty() ? nullptr : &tokens.back()));
      token.raw = text_.substr(token.offset, pos_ - token.offset);
      tokens.push_back(token);
    }
  }

 private:
  char peek(size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  void advance(size_t n = 1) {
    for (size_t i = 0; i < n && pos_ < text_.size(); ++i, ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }

  Status skipSpaceAndComments() {
    while (pos_ < text_.size()) {
      if (isSpace(peek())) {
        advance();
      } else if (peek() == '-' && peek(1) == '-') {
        while (pos_ < text_.size() && peek() != '\n') advance();
      } else if (peek() == '/' && peek(1) == '*') {
        SourceLocation start{line_, column_};
        advance(2);
        while (pos_ < text_.size() && !(peek() == '*' && peek(1) == '/')) advance();
        if (pos_ >= text_.size()) return syntaxError(start, "unterminated comment");
        advance(2);
      } else {
        break;
      }
    }
    return Status::ok();
  }

  Result<TokenKind> lexOne(const Token* previous) {
    char c = peek();
    if (c == '\'' || c == '`' || c == '"') return lexQuoted(c);
    // `.5` is a number, but not right after a name or a closing bracket (`a.b`, `x[1].y`).
    bool after_operand = previous && (previous->kind == TokenKind::kIdentifier ||
                                      previous->kind == TokenKind::kQuotedIdentifier ||
                                      previous->isSymbol(")") || previous->isSymbol("]"));
    if (isDigit(c) || (c == '.' && isDigit(peek(1)) && !after_operand)) return lexNumber();
    if (isLetter(c) || c == '_') {
      while (isIdentifierPart(peek())) advance();
      return TokenKind::kIdentifier;
    }
    for (std::string_view symbol : kSymbols) {
      if (text_.substr(pos_, symbol.size()) == symbol) {
        advance(symbol.size());
        return TokenKind::kSymbol;
      }
    }
    return syntaxError({line_, column_}, fmt::format("token recognition error at: '{}'", c));
  }

  Result<TokenKind> lexQuoted(char quote) {
    SourceLocation start{line_, column_};
    advance();
    while (true) {
      if (pos_ >= text_.size()) {
        return syntaxError(start, quote == '\'' ? "unterminated string literal" : "unterminated quoted identifier");
      }
      if (peek() == quote) {
        if (peek(1) != quote) break;
        advance();
      }
      advance();
    }
    advance();
    return quote == '\'' ? TokenKind::kString : TokenKind::kQuotedIdentifier;
  }

  // INTEGER_VALUE, DECIMAL_VALUE and FLOATING_POINT_VALUE as ksqlDB's grammar has them; a
  // number running into letters is a DIGIT_IDENTIFIER (`1st`).
  Result<TokenKind> lexNumber() {
    TokenKind kind = TokenKind::kInteger;
    while (isDigit(peek())) advance();
    if (peek() == '.' && !(isLetter(peek(1)) && peek(1) != 'e' && peek(1) != 'E')) {
      kind = TokenKind::kDecimal;
      advance();
      while (isDigit(peek())) advance();
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
      kind = TokenKind::kDouble;
      advance(2);
      while (isDigit(peek())) advance();
    }
    if (kind == TokenKind::kInteger && (isLetter(peek()) || peek() == '_' || peek() == '@')) {
      while (isIdentifierPart(peek())) advance();
      return TokenKind::kIdentifier;
    }
    return kind;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_;
  int column_;
};

}  // namespace

char upperCase(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string upperCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = upperCase(c);
  return out;
}

bool Token::isKeyword(std::string_view keyword) const {
  if (kind != TokenKind::kIdentifier || raw.size() != keyword.size()) return false;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (upperCase(raw[i]) != keyword[i]) return false;
  }
  return true;
}

std::string Token::unquoted() const {
  if (raw.size() < 2) return std::string(raw);
  char quote = raw.front();
  std::string out;
  out.reserve(raw.size() - 2);
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    out += raw[i];
    if (raw[i] == quote) ++i;  // a doubled quote stands for one
  }
  return out;
}

Result<std::vector<Token>> tokenize(std::string_view text, SourceLocation start) { return Lexer(text, start).run(); }

Status syntaxErrorAtOrNear(std::string_view near, SourceLocation location) {
  return syntaxError(location,
                     fmt::format("Syntax error at or near '{}' at line {}:{}", near, location.line, location.column));
}

Status syntaxError(SourceLocation location, std::string_view detail) {
  return Status::invalidArgument(fmt::format("line {}:{}: Syntax Error\n{}", location.line, location.column, detail));
}

}  // namespace runnel::sql
