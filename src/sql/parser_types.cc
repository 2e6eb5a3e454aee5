// SQL types: the primitives, DECIMAL(p, s), ARRAY<T>, MAP<K, V>, STRUCT<name T, ...> and
// named types (CREATE TYPE) through the caller's TypeLookup.

#include <fmt/format.h>

#include "sql/parser_internal.h"

namespace runnel::sql::internal {
namespace {

SqlTypePtr primitiveType(const Token& token) {
  if (token.isKeyword("BOOLEAN")) return SqlType::boolean();
  if (token.isKeyword("INT") || token.isKeyword("INTEGER")) return SqlType::integer();
  if (token.isKeyword("BIGINT")) return SqlType::bigint();
  if (token.isKeyword("DOUBLE")) return SqlType::doubleType();
  if (token.isKeyword("STRING") || token.isKeyword("VARCHAR")) return SqlType::string();
  if (token.isKeyword("BYTES")) return SqlType::bytes();
  if (token.isKeyword("DATE")) return SqlType::date();
  if (token.isKeyword("TIME")) return SqlType::time();
  if (token.isKeyword("TIMESTAMP")) return SqlType::timestamp();
  return nullptr;
}

}  // namespace

SqlTypePtr Parser::type() {
  DepthGuard guard(*this);
  const Token& token = peek();
  if (token.isKeyword("ARRAY") && atSymbol("<", 1)) {
    next();
    next();
    SqlTypePtr element = type();
    expectSymbol(">");
    return SqlType::array(std::move(element));
  }
  if (token.isKeyword("MAP") && atSymbol("<", 1)) {
    next();
    next();
    SqlTypePtr key = type();
    expectSymbol(",");
    SqlTypePtr value = type();
    expectSymbol(">");
    return SqlType::map(std::move(key), std::move(value));
  }
  if (token.isKeyword("STRUCT") && atSymbol("<>", 1)) {  // lexed as not-equal
    next();
    next();
    return SqlType::structType({});
  }
  if (token.isKeyword("STRUCT") && atSymbol("<", 1)) return structType();
  if (token.isKeyword("DECIMAL")) {
    next();
    expectSymbol("(");
    int precision = typeParameter();
    expectSymbol(",");
    int scale = typeParameter();
    expectSymbol(")");
    return SqlType::decimal(precision, scale);
  }
  if (!atIdentifier()) failAtOrNear(token);
  SqlTypePtr primitive = token.kind == TokenKind::kIdentifier ? primitiveType(token) : nullptr;
  std::string name = identifier();
  // ksqlDB's grammar lets any base type take parameters (`VARCHAR(STRING)`); only
  // DECIMAL's mean anything.
  if (acceptSymbol("(")) {
    do {
      if (!acceptKeyword("STRING")) typeParameter();
    } while (acceptSymbol(","));
    expectSymbol(")");
  }
  if (primitive) return primitive;
  SqlTypePtr named = types_ ? types_(name) : nullptr;
  if (!named) {
    throw ParseFailure{Status::invalidArgument(
        fmt::format("line {}:{}: Unknown type: {}", token.location.line, token.location.column, name))};
  }
  return named;
}

SqlTypePtr Parser::structType() {
  next();
  next();
  std::vector<StructField> fields;
  if (!atSymbol(">")) {
    do {
      StructField field;
      field.name = identifier();
      field.type = type();
      fields.push_back(std::move(field));
    } while (acceptSymbol(","));
  }
  expectSymbol(">");
  return SqlType::structType(std::move(fields));
}

int Parser::typeParameter() {
  const Token& token = peek();
  if (token.kind != TokenKind::kInteger) fail(token, "Expecting {'STRING', INTEGER_VALUE}");
  int64_t value = integerValue();
  if (value > 1000) fail(token, fmt::format("type parameter {} out of range", value));
  return static_cast<int>(value);
}

}  // namespace runnel::sql::internal
