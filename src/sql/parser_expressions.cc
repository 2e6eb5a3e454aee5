// Expressions, by precedence climbing as ksqlDB's grammar nests them:
//   OR < AND < NOT < predicate (comparison, IS, BETWEEN, IN, LIKE) < || < + - < * / %
//   < unary - + < postfix ([index], ->field) < primary.
// Each node's text is rendered as ksqlDB's ExpressionFormatter would print it.

#include <fmt/format.h>

#include "sql/literals.h"
#include "sql/parser_internal.h"

namespace runnel::sql::internal {
namespace {

std::shared_ptr<Expr> node(ExprKind kind, SourceLocation location) {
  auto expr = std::make_shared<Expr>();
  expr->kind = kind;
  expr->location = location;
  return expr;
}

std::string_view operatorText(Operator op) {
  switch (op) {
    case Operator::kNegate: return "-";
    case Operator::kNot: return "NOT";
    case Operator::kAdd: return "+";
    case Operator::kSubtract: return "-";
    case Operator::kMultiply: return "*";
    case Operator::kDivide: return "/";
    case Operator::kModulus: return "%";
    case Operator::kConcat: return "||";
    case Operator::kEqual: return "=";
    case Operator::kNotEqual: return "<>";
    case Operator::kLess: return "<";
    case Operator::kLessOrEqual: return "<=";
    case Operator::kGreater: return ">";
    case Operator::kGreaterOrEqual: return ">=";
    case Operator::kAnd: return "AND";
    case Operator::kOr: return "OR";
  }
  return "?";
}

ExprPtr binary(Operator op, ExprPtr left, ExprPtr right) {
  auto expr = node(ExprKind::kBinary, left->location);
  expr->op = op;
  // ksqlDB turns `a || b` into a CONCAT call, and prints it so.
  expr->text = op == Operator::kConcat ? fmt::format("CONCAT({}, {})", left->text, right->text)
                                       : fmt::format("({} {} {})", left->text, operatorText(op), right->text);
  expr->children = {std::move(left), std::move(right)};
  return expr;
}

std::string joinTexts(const std::vector<ExprPtr>& exprs, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < exprs.size(); ++i) {
    if (i > from) out += ", ";
    out += exprs[i]->text;
  }
  return out;
}

std::optional<Operator> orOperator(const Token& token) {
  return token.isKeyword("OR") ? std::optional(Operator::kOr) : std::nullopt;
}
std::optional<Operator> andOperator(const Token& token) {
  return token.isKeyword("AND") ? std::optional(Operator::kAnd) : std::nullopt;
}
std::optional<Operator> concatOperator(const Token& token) {
  return token.isSymbol("||") ? std::optional(Operator::kConcat) : std::nullopt;
}
std::optional<Operator> additiveOperator(const Token& token) {
  if (token.isSymbol("+")) return Operator::kAdd;
  if (token.isSymbol("-")) return Operator::kSubtract;
  return std::nullopt;
}
std::optional<Operator> multiplicativeOperator(const Token& token) {
  if (token.isSymbol("*")) return Operator::kMultiply;
  if (token.isSymbol("/")) return Operator::kDivide;
  if (token.isSymbol("%")) return Operator::kModulus;
  return std::nullopt;
}

std::optional<Operator> comparisonOperator(const Token& token) {
  if (token.kind != TokenKind::kSymbol) return std::nullopt;
  if (token.raw == "=") return Operator::kEqual;
  if (token.raw == "<>" || token.raw == "!=") return Operator::kNotEqual;
  if (token.raw == "<") return Operator::kLess;
  if (token.raw == "<=") return Operator::kLessOrEqual;
  if (token.raw == ">") return Operator::kGreater;
  if (token.raw == ">=") return Operator::kGreaterOrEqual;
  return std::nullopt;
}

}  // namespace

ExprPtr Parser::expression() {
  DepthGuard guard(*this);
  return orExpression();
}

ExprPtr Parser::valueExpression() {
  DepthGuard guard(*this);
  return concatenation();
}

ExprPtr Parser::leftAssociative(ExprPtr (Parser::*operand)(), OperatorMatcher match) {
  ExprPtr left = (this->*operand)();
  int links = 0;
  while (std::optional<Operator> op = match(peek())) {
    next();
    ++links;
    deepen();  // a left-deep chain is as deep as it is long
    left = binary(*op, std::move(left), (this->*operand)());
  }
  depth_ -= links;
  return left;
}

ExprPtr Parser::orExpression() { return leftAssociative(&Parser::andExpression, orOperator); }
ExprPtr Parser::andExpression() { return leftAssociative(&Parser::notExpression, andOperator); }

ExprPtr Parser::notExpression() {
  if (!atKeyword("NOT")) return predicated();
  const Token& not_token = next();
  DepthGuard guard(*this);
  ExprPtr operand = notExpression();
  auto expr = node(ExprKind::kUnary, not_token.location);
  expr->op = Operator::kNot;
  expr->text = fmt::format("(NOT {})", operand->text);
  expr->children = {std::move(operand)};
  return expr;
}

ExprPtr Parser::predicated() {
  ExprPtr left = concatenation();
  if (auto op = comparisonOperator(peek())) {
    next();
    return binary(*op, std::move(left), concatenation());
  }
  if (acceptKeyword("IS")) {
    bool negated = acceptKeyword("NOT");
    if (acceptKeyword("NULL")) {
      auto expr = node(ExprKind::kIsNull, left->location);
      expr->negated = negated;
      expr->text = fmt::format("({} IS {}NULL)", left->text, negated ? "NOT " : "");
      expr->children = {std::move(left)};
      return expr;
    }
    if (!atKeyword("DISTINCT")) failAtOrNear(peek());
    next();
    expectKeyword("FROM");
    ExprPtr right = concatenation();
    auto expr = node(ExprKind::kIsDistinct, left->location);
    expr->negated = negated;
    expr->text = fmt::format("({} IS {}DISTINCT FROM {})", left->text, negated ? "NOT " : "", right->text);
    expr->children = {std::move(left), std::move(right)};
    return expr;
  }
  bool negated = false;
  if (atKeyword("NOT") && (atKeyword("BETWEEN", 1) || atKeyword("IN", 1) || atKeyword("LIKE", 1))) {
    next();
    negated = true;
  }
  std::string_view not_text = negated ? "NOT " : "";
  if (acceptKeyword("BETWEEN")) {
    ExprPtr lower = concatenation();
    expectKeyword("AND");
    ExprPtr upper = concatenation();
    auto expr = node(ExprKind::kBetween, left->location);
    expr->negated = negated;
    expr->text = fmt::format("({} {}BETWEEN {} AND {})", left->text, not_text, lower->text, upper->text);
    expr->children = {std::move(left), std::move(lower), std::move(upper)};
    return expr;
  }
  if (acceptKeyword("IN")) {
    expectSymbol("(");
    std::vector<ExprPtr> list = expressionList(")");
    if (list.empty()) failAtOrNear(peek());
    expectSymbol(")");
    auto expr = node(ExprKind::kIn, left->location);
    expr->negated = negated;
    expr->text = fmt::format("({} {}IN ({}))", left->text, not_text, joinTexts(list));
    expr->children.reserve(list.size() + 1);
    expr->children.push_back(std::move(left));
    for (ExprPtr& item : list) expr->children.push_back(std::move(item));
    return expr;
  }
  if (acceptKeyword("LIKE")) {
    ExprPtr pattern = concatenation();
    auto expr = node(ExprKind::kLike, left->location);
    expr->negated = negated;
    expr->text = fmt::format("({} {}LIKE {}", left->text, not_text, pattern->text);
    expr->children = {std::move(left), std::move(pattern)};
    if (acceptKeyword("ESCAPE")) {
      ExprPtr escape = literal();
      expr->text += " ESCAPE " + escape->text;
      expr->children.push_back(std::move(escape));
    }
    expr->text += ")";
    return expr;
  }
  return left;
}

ExprPtr Parser::concatenation() { return leftAssociative(&Parser::additive, concatOperator); }
ExprPtr Parser::additive() { return leftAssociative(&Parser::multiplicative, additiveOperator); }
ExprPtr Parser::multiplicative() { return leftAssociative(&Parser::unary, multiplicativeOperator); }

ExprPtr Parser::unary() {
  if (!atSymbol("-") && !atSymbol("+")) return postfix();
  const Token& sign = next();
  DepthGuard guard(*this);
  bool numeral = peek().kind == TokenKind::kInteger || peek().kind == TokenKind::kDecimal ||
                 peek().kind == TokenKind::kDouble;
  // ksqlDB folds the sign into a numeric literal, so `-2147483648` is an INT.
  if (sign.raw == "-" && numeral && !atSymbol("[", 1) && !atSymbol("->", 1)) return numericLiteral(next(), true);
  ExprPtr operand = unary();
  if (sign.raw == "+") return operand;
  auto expr = node(ExprKind::kUnary, sign.location);
  expr->op = Operator::kNegate;
  // `-(-1)`, not `--1`, which would read back as a comment.
  expr->text = operand->text.starts_with('-') ? "-(" + operand->text + ")" : "-" + operand->text;
  expr->children = {std::move(operand)};
  return expr;
}

ExprPtr Parser::postfix() {
  ExprPtr base = primary();
  int links = 0;
  // `struct->*` is a select item of its own, not a field access.
  while (atSymbol("[") || (atSymbol("->") && !atSymbol("*", 1))) {
    ++links;
    deepen();
    if (acceptSymbol("[")) {
      ExprPtr index = expression();
      expectSymbol("]");
      auto expr = node(ExprKind::kSubscript, base->location);
      expr->text = fmt::format("{}[{}]", base->text, index->text);
      expr->children = {std::move(base), std::move(index)};
      base = std::move(expr);
    } else {
      next();
      auto expr = node(ExprKind::kDereference, base->location);
      expr->name = identifier();
      expr->text = fmt::format("{}->{}", base->text, formatName(expr->name));
      expr->children = {std::move(base)};
      base = std::move(expr);
    }
  }
  depth_ -= links;
  return base;
}

ExprPtr Parser::primary() {
  const Token& token = peek();
  switch (token.kind) {
    case TokenKind::kString:
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kDouble: return literal();
    case TokenKind::kQuotedIdentifier: return identifierExpression();
    case TokenKind::kSymbol:
      if (token.isSymbol("(")) {
        next();
        ExprPtr inner = expression();
        expectSymbol(")");
        return inner;
      }
      failAtOrNear(token);
    case TokenKind::kEnd: failAtOrNear(token);
    case TokenKind::kIdentifier: break;
  }
  if (token.isKeyword("TRUE") || token.isKeyword("FALSE") || token.isKeyword("NULL")) return literal();
  if (token.isKeyword("CASE")) return caseExpression(next());
  if (token.isKeyword("CAST") && atSymbol("(", 1)) return castExpression(next());
  if (token.isKeyword("ARRAY") && atSymbol("[", 1)) return arrayConstructor(next());
  if (token.isKeyword("MAP") && atSymbol("(", 1)) return mapConstructor(next());
  if (token.isKeyword("STRUCT") && atSymbol("(", 1)) return structConstructor(next());
  return identifierExpression();
}

ExprPtr Parser::literal() {
  const Token& token = next();
  auto expr = node(ExprKind::kLiteral, token.location);
  switch (token.kind) {
    case TokenKind::kString:
      expr->literal = token.unquoted();
      expr->literal_type = SqlType::string();
      expr->text = std::string(token.raw);
      return expr;
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kDouble: return numericLiteral(token, false);
    default: break;
  }
  if (token.isKeyword("TRUE") || token.isKeyword("FALSE")) {
    expr->literal = token.isKeyword("TRUE");
    expr->literal_type = SqlType::boolean();
    expr->text = token.isKeyword("TRUE") ? "true" : "false";
    return expr;
  }
  if (token.isKeyword("NULL")) {
    expr->text = "null";
    return expr;
  }
  failAtOrNear(token);
}

ExprPtr Parser::numericLiteral(const Token& token, bool negative) {
  auto parsed = parseNumericLiteral(token.raw, negative);
  if (!parsed) {
    // ksqlDB places this error one column right of the literal; its tests expect that.
    throw ParseFailure{Status::invalidArgument(fmt::format("line {}:{}: {}", token.location.line,
                                                           token.location.column + 1, parsed.status().message()))};
  }
  auto expr = node(ExprKind::kLiteral, token.location);
  expr->literal = std::move(parsed->value);
  expr->literal_type = std::move(parsed->type);
  expr->text = std::move(parsed->text);
  return expr;
}

int64_t Parser::integerValue() {
  bool negative = acceptSymbol("-");
  const Token& token = peek();
  if (token.kind != TokenKind::kInteger) fail(token, fmt::format("mismatched input '{}' expecting INTEGER_VALUE",
                                                                 token.kind == TokenKind::kEnd ? "<EOF>" : token.raw));
  ExprPtr value = numericLiteral(next(), negative);
  return value->literal.is<int32_t>() ? value->literal.asInt() : value->literal.asBigint();
}

ExprPtr Parser::identifierExpression() {
  const Token& first = peek();
  std::string name = identifier();
  if (atSymbol("(")) return functionCall(first, name);
  auto expr = node(ExprKind::kColumn, first.location);
  if (atSymbol(".") && atIdentifier(1)) {
    next();
    expr->qualifier = std::move(name);
    expr->name = identifier();
    expr->text = formatName(expr->qualifier) + "." + formatName(expr->name);
  } else {
    expr->name = std::move(name);
    expr->text = formatName(expr->name);
  }
  return expr;
}

ExprPtr Parser::functionCall(const Token& name_token, const std::string& name) {
  DepthGuard guard(*this);
  expectSymbol("(");
  auto expr = node(ExprKind::kFunctionCall, name_token.location);
  expr->name = upperCase(name);
  if (atSymbol("*") && atSymbol(")", 1)) {
    next();
    expr->star = true;
  } else if (!atSymbol(")")) {
    expr->distinct = acceptKeyword("DISTINCT");
    do {
      expr->children.push_back(functionArgument());
    } while (acceptSymbol(","));
  }
  expectSymbol(")");
  std::string args = expr->star ? "*" : joinTexts(expr->children);
  expr->text = fmt::format("{}({}{})", expr->name, expr->distinct ? "DISTINCT " : "", args);
  return expr;
}

ExprPtr Parser::functionArgument() {
  if (atLambda()) return lambda();
  if (atWindowUnit() && (atSymbol(",", 1) || atSymbol(")", 1))) {
    auto unit = node(ExprKind::kIntervalUnit, peek().location);
    unit->name = upperCase(next().raw);
    unit->text = unit->name;
    return unit;
  }
  return expression();
}

bool Parser::atLambda() const {
  if (atIdentifier() && atSymbol("=>", 1)) return true;
  if (!atSymbol("(")) return false;
  size_t ahead = 1;
  while (atIdentifier(ahead)) {
    if (atSymbol(")", ahead + 1)) return atSymbol("=>", ahead + 2);
    if (!atSymbol(",", ahead + 1)) return false;
    ahead += 2;
  }
  return false;
}

ExprPtr Parser::lambda() {
  auto expr = node(ExprKind::kLambda, peek().location);
  if (acceptSymbol("(")) {
    do {
      expr->field_names.push_back(identifier());
    } while (acceptSymbol(","));
    expectSymbol(")");
  } else {
    expr->field_names.push_back(identifier());
  }
  expectSymbol("=>");
  ExprPtr body = expression();
  std::string params;
  for (const std::string& param : expr->field_names) params += (params.empty() ? "" : ", ") + formatName(param);
  expr->text = expr->field_names.size() == 1 ? fmt::format("{} => {}", params, body->text)
                                             : fmt::format("({}) => {}", params, body->text);
  expr->children = {std::move(body)};
  return expr;
}

ExprPtr Parser::caseExpression(const Token& case_token) {
  DepthGuard guard(*this);
  auto expr = node(ExprKind::kCase, case_token.location);
  expr->text = "(CASE";
  if (!atKeyword("WHEN")) {
    expr->has_operand = true;
    expr->children.push_back(expression());
    expr->text += " " + expr->children.back()->text;
  }
  if (!atKeyword("WHEN")) fail(peek(), fmt::format("mismatched input '{}' expecting 'WHEN'", peek().raw));
  while (acceptKeyword("WHEN")) {
    expr->children.push_back(expression());
    expectKeyword("THEN");
    expr->children.push_back(expression());
    const auto& when_then = expr->children;
    expr->text += fmt::format(" WHEN {} THEN {}", when_then[when_then.size() - 2]->text, when_then.back()->text);
  }
  if (acceptKeyword("ELSE")) {
    expr->has_else = true;
    expr->children.push_back(expression());
    expr->text += " ELSE " + expr->children.back()->text;
  }
  expectKeyword("END");
  expr->text += " END)";
  return expr;
}

ExprPtr Parser::castExpression(const Token& cast_token) {
  DepthGuard guard(*this);
  expectSymbol("(");
  auto expr = node(ExprKind::kCast, cast_token.location);
  expr->children = {expression()};
  expectKeyword("AS");
  expr->target_type = type();
  expectSymbol(")");
  expr->text = fmt::format("CAST({} AS {})", expr->children[0]->text, expr->target_type->toString());
  return expr;
}

ExprPtr Parser::arrayConstructor(const Token& array_token) {
  DepthGuard guard(*this);
  expectSymbol("[");
  auto expr = node(ExprKind::kArray, array_token.location);
  expr->children = expressionList("]");
  expectSymbol("]");
  expr->text = fmt::format("ARRAY[{}]", joinTexts(expr->children));
  return expr;
}

ExprPtr Parser::mapConstructor(const Token& map_token) {
  DepthGuard guard(*this);
  expectSymbol("(");
  auto expr = node(ExprKind::kMap, map_token.location);
  std::string entries;
  if (!atSymbol(")")) {
    do {
      ExprPtr key = expression();
      expectSymbol(":=");
      ExprPtr value = expression();
      entries += fmt::format("{}{}:={}", entries.empty() ? "" : ", ", key->text, value->text);
      expr->children.push_back(std::move(key));
      expr->children.push_back(std::move(value));
    } while (acceptSymbol(","));
  }
  expectSymbol(")");
  expr->text = fmt::format("MAP({})", entries);
  return expr;
}

ExprPtr Parser::structConstructor(const Token& struct_token) {
  DepthGuard guard(*this);
  expectSymbol("(");
  auto expr = node(ExprKind::kStruct, struct_token.location);
  std::string fields;
  if (!atSymbol(")")) {
    do {
      expr->field_names.push_back(identifier());
      expectSymbol(":=");
      expr->children.push_back(expression());
      fields += fmt::format("{}{}:={}", fields.empty() ? "" : ", ", formatName(expr->field_names.back()),
                            expr->children.back()->text);
    } while (acceptSymbol(","));
  }
  expectSymbol(")");
  expr->text = fmt::format("STRUCT({})", fields);
  return expr;
}

std::vector<ExprPtr> Parser::expressionList(std::string_view close) {
  std::vector<ExprPtr> list;
  if (atSymbol(close)) return list;
  do {
    list.push_back(expression());
  } while (acceptSymbol(","));
  return list;
}

}  // namespace runnel::sql::internal
