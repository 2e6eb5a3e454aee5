// [NOT] LIKE pattern [ESCAPE 'c']: `%` matches any sequence, `_` one character (a UTF-8
// code point), case-sensitively. A literal pattern is compiled once.
#include <fmt/format.h>

#include <optional>

#include "sql/expression/node.h"

namespace runnel::sql::expression {
namespace {

class LikePattern {
 public:
  LikePattern(std::string_view pattern, std::optional<char> escape) {
    for (size_t i = 0; i < pattern.size(); ++i) {
      char c = pattern[i];
      if (escape && c == *escape && i + 1 < pattern.size()) {
        appendLiteral(pattern[++i]);
      } else if (c == '%') {
        if (tokens_.empty() || tokens_.back().kind != Token::kAnySequence) tokens_.push_back({Token::kAnySequence, {}});
      } else if (c == '_') {
        tokens_.push_back({Token::kAnyChar, {}});
      } else {
        appendLiteral(c);
      }
    }
  }

  bool matches(std::string_view text) const { return matchFrom(0, text); }

 private:
  struct Token {
    enum Kind : unsigned char { kLiteral, kAnyChar, kAnySequence } kind;
    std::string literal;
  };

  void appendLiteral(char c) {
    if (tokens_.empty() || tokens_.back().kind != Token::kLiteral) tokens_.push_back({Token::kLiteral, {}});
    tokens_.back().literal += c;
  }

  static size_t charLength(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    return (lead >> 3) == 0x1E ? 4 : 1;
  }

  bool matchFrom(size_t token, std::string_view text) const {
    for (; token < tokens_.size(); ++token) {
      const Token& t = tokens_[token];
      switch (t.kind) {
        case Token::kLiteral:
          if (text.substr(0, t.literal.size()) != t.literal) return false;
          text.remove_prefix(t.literal.size());
          break;
        case Token::kAnyChar:
          if (text.empty()) return false;
          text.remove_prefix(std::min(text.size(), charLength(static_cast<unsigned char>(text[0]))));
          break;
        case Token::kAnySequence:
          if (token + 1 == tokens_.size()) return true;
          for (size_t start = 0; start <= text.size(); ++start) {
            if (matchFrom(token + 1, text.substr(start))) return true;
          }
          return false;
      }
    }
    return text.empty();
  }

  std::vector<Token> tokens_;
};

class LiteralLikeNode final : public CompiledExpression::Node {
 public:
  LiteralLikeNode(NodePtr value, LikePattern pattern) : value_(std::move(value)), pattern_(std::move(pattern)) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue value_value(value_, row);
    const Value& value = *value_value;
    return Value(!value.isNull() && pattern_.matches(value.asString()));
  }

 private:
  Operand value_;
  LikePattern pattern_;
};

class LikeNode final : public CompiledExpression::Node {
 public:
  LikeNode(NodePtr value, NodePtr pattern, std::optional<char> escape)
      : value_(std::move(value)), pattern_(std::move(pattern)), escape_(escape) {}
  Value evaluate(std::span<const Value> row) const override {
    const OperandValue value_value(value_, row);
    const Value& value = *value_value;
    if (value.isNull()) return Value(false);
    const OperandValue pattern_value(pattern_, row);
    const Value& pattern = *pattern_value;
    if (pattern.isNull()) return Value(false);
    return Value(LikePattern(pattern.asString(), escape_).matches(value.asString()));
  }

 private:
  Operand value_;
  Operand pattern_;
  std::optional<char> escape_;
};

bool isString(const Typed& operand) { return !operand.isNullLiteral() && operand.type->kind == TypeKind::kString; }

}  // namespace

Result<Typed> compileLike(const Expr& expr, Typed value, Typed pattern, const Typed* escape) {
  if (!isString(value) || !isString(pattern)) {
    return typeError(fmt::format("Error processing expression: {}. LIKE expects STRING operands", expr.text));
  }
  std::optional<char> escape_char;
  if (escape) {
    if (escape->expr->kind != ExprKind::kLiteral || !isString(*escape) || escape->expr->literal.asString().size() != 1) {
      return typeError(fmt::format("Error processing expression: {}. ESCAPE must be a single character literal",
                                   expr.text));
    }
    escape_char = escape->expr->literal.asString()[0];
  }
  NodePtr node;
  if (pattern.expr->kind == ExprKind::kLiteral) {
    node = std::make_shared<LiteralLikeNode>(std::move(value.node),
                                             LikePattern(pattern.expr->literal.asString(), escape_char));
  } else {
    node = std::make_shared<LikeNode>(std::move(value.node), std::move(pattern.node), escape_char);
  }
  Typed like{std::move(node), SqlType::boolean(), &expr};
  if (!expr.negated) return like;
  return compileNot(expr, std::move(like));
}

}  // namespace runnel::sql::expression
