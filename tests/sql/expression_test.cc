#include "sql/expression.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sql/expression/decimal.h"
#include "sql/functions.h"

namespace runnel::sql {

// Readable failures: the value as CAST(... AS STRING) of its own kind would print it.
void PrintTo(const Value& value, std::ostream* os) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) *os << "NULL";
        else if constexpr (std::is_same_v<T, Decimal>) *os << "DECIMAL " << expression::decimalToString(v);
        else if constexpr (std::is_same_v<T, std::string>) *os << "'" << v << "'";
        else if constexpr (std::is_arithmetic_v<T>) *os << v;
        else *os << "(composite or temporal value)";
      },
      value.storage());
}

namespace {

// ---- Builders: expressions as the parser would produce them, with their normalized text.

ExprPtr literal(Value value, SqlTypePtr type, std::string text) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kLiteral;
  e->literal = std::move(value);
  e->literal_type = std::move(type);
  e->text = std::move(text);
  return e;
}
ExprPtr lit(int32_t v) { return literal(Value(v), SqlType::integer(), std::to_string(v)); }
ExprPtr bigLit(int64_t v) { return literal(Value(v), SqlType::bigint(), std::to_string(v)); }
ExprPtr dblLit(double v, std::string text) { return literal(Value(v), SqlType::doubleType(), std::move(text)); }
ExprPtr decLit(const std::string& text) {
  Decimal d = *expression::parseDecimal(text);
  return literal(Value(d), SqlType::decimal(expression::digitCount(d.unscaled) > d.scale ? expression::digitCount(d.unscaled) : d.scale + 1, d.scale), text);
}
ExprPtr strLit(const std::string& s) { return literal(Value(s), SqlType::string(), "'" + s + "'"); }
ExprPtr boolLit(bool b) { return literal(Value(b), SqlType::boolean(), b ? "true" : "false"); }
ExprPtr nullLit() { return literal(Value(), nullptr, "NULL"); }

ExprPtr col(const std::string& name, const std::string& qualifier = "") {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kColumn;
  e->name = name;
  e->qualifier = qualifier;
  e->text = qualifier.empty() ? name : qualifier + "." + name;
  return e;
}

std::shared_ptr<Expr> node(ExprKind kind, std::vector<ExprPtr> children, std::string text) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->children = std::move(children);
  e->text = std::move(text);
  return e;
}

const char* symbol(Operator op) {
  switch (op) {
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
    default: return "?";
  }
}

ExprPtr bin(Operator op, ExprPtr l, ExprPtr r) {
  std::string text = "(" + l->text + " " + symbol(op) + " " + r->text + ")";
  auto e = node(ExprKind::kBinary, {std::move(l), std::move(r)}, std::move(text));
  e->op = op;
  return e;
}
ExprPtr unary(Operator op, ExprPtr operand) {
  std::string text = (op == Operator::kNot ? "(NOT " : "-") + operand->text + (op == Operator::kNot ? ")" : "");
  auto e = node(ExprKind::kUnary, {std::move(operand)}, std::move(text));
  e->op = op;
  return e;
}
ExprPtr withFlag(std::shared_ptr<Expr> e, bool negated) {
  e->negated = negated;
  return e;
}
ExprPtr isNull(ExprPtr operand, bool negated = false) {
  return withFlag(node(ExprKind::kIsNull, {operand}, operand->text + " IS NULL"), negated);
}
ExprPtr isDistinct(ExprPtr l, ExprPtr r, bool negated = false) {
  return withFlag(node(ExprKind::kIsDistinct, {l, r}, l->text + " IS DISTINCT FROM " + r->text), negated);
}
ExprPtr between(ExprPtr v, ExprPtr lo, ExprPtr hi, bool negated = false) {
  return withFlag(node(ExprKind::kBetween, {v, lo, hi}, v->text + " BETWEEN " + lo->text + " AND " + hi->text), negated);
}
ExprPtr in(std::vector<ExprPtr> value_and_items, bool negated = false) {
  return withFlag(node(ExprKind::kIn, std::move(value_and_items), "IN"), negated);
}
ExprPtr like(ExprPtr v, ExprPtr pattern, ExprPtr escape = nullptr, bool negated = false) {
  std::vector<ExprPtr> children{v, pattern};
  if (escape) children.push_back(escape);
  return withFlag(node(ExprKind::kLike, std::move(children), v->text + " LIKE " + pattern->text), negated);
}
ExprPtr searchedCase(std::vector<ExprPtr> when_then, ExprPtr otherwise = nullptr) {
  if (otherwise) when_then.push_back(otherwise);
  auto e = node(ExprKind::kCase, std::move(when_then), "CASE");
  e->has_else = otherwise != nullptr;
  return e;
}
ExprPtr simpleCase(ExprPtr operand, std::vector<ExprPtr> when_then, ExprPtr otherwise = nullptr) {
  when_then.insert(when_then.begin(), operand);
  auto e = std::const_pointer_cast<Expr>(searchedCase(std::move(when_then), otherwise));
  e->has_operand = true;
  return e;
}
ExprPtr cast(ExprPtr operand, SqlTypePtr type) {
  std::string text = "CAST(" + operand->text + " AS " + type->toString() + ")";
  auto e = node(ExprKind::kCast, {std::move(operand)}, std::move(text));
  e->target_type = std::move(type);
  return e;
}
ExprPtr call(const std::string& name, std::vector<ExprPtr> args) {
  auto e = node(ExprKind::kFunctionCall, std::move(args), name + "(...)");
  e->name = name;
  return e;
}
ExprPtr array(std::vector<ExprPtr> elements) { return node(ExprKind::kArray, std::move(elements), "ARRAY[...]"); }
ExprPtr map(std::vector<ExprPtr> keys_and_values) { return node(ExprKind::kMap, std::move(keys_and_values), "MAP(...)"); }
ExprPtr structOf(std::vector<std::string> names, std::vector<ExprPtr> values) {
  auto e = node(ExprKind::kStruct, std::move(values), "STRUCT(...)");
  e->field_names = std::move(names);
  return e;
}
ExprPtr deref(ExprPtr base, const std::string& field) {
  auto e = node(ExprKind::kDereference, {base}, base->text + "->" + field);
  e->name = field;
  return e;
}
ExprPtr subscript(ExprPtr base, ExprPtr index) {
  return node(ExprKind::kSubscript, {base, index}, base->text + "[" + index->text + "]");
}

Value dec(const std::string& text) { return Value(*expression::parseDecimal(text)); }
Value ts(int64_t millis) { return Value(Timestamp{millis}); }

// ---- The row every test evaluates against.

class ExpressionTest : public ::testing::Test {
 protected:
  ExpressionTest() {
    add("A", SqlType::integer());
    add("B", SqlType::string());
    add("C", SqlType::bigint());
    add("D", SqlType::doubleType());
    add("E", SqlType::decimal(4, 2));
    add("F", SqlType::boolean());
    add("T", SqlType::timestamp());
    add("ARR", SqlType::array(SqlType::integer()));
    add("M", SqlType::map(SqlType::string(), SqlType::integer()));
    add("S", SqlType::structType({{"NAME", SqlType::string()}, {"zip", SqlType::integer()}}));
    add("DT", SqlType::date());
    add("N", SqlType::integer());  // always NULL
    add("NB", SqlType::boolean());  // always NULL
    add("P", SqlType::string());
    add("ROWTIME", SqlType::bigint());
    row_ = {Value(int32_t{7}),
            Value("barfoobaz"),
            Value(int64_t{25}),
            Value(3.21),
            dec("10.01"),
            Value(true),
            ts(1651182287943),
            Value::array({Value(int32_t{10}), Value(int32_t{20}), Value(int32_t{30})}),
            Value::map({{Value("a"), Value(int32_t{1})}}),
            Value::structOf({Value("Ann"), Value(int32_t{12345})}),
            Value(Date{19110}),
            Value(),
            Value(),
            Value("f_o"),
            Value(int64_t{1514764800001})};
  }

  void add(const std::string& name, SqlTypePtr type) {
    scope_.add({name, "", std::move(type), static_cast<int>(scope_.columns().size())});
  }

  CompiledExpression compile(const ExprPtr& e) {
    auto compiled = compileExpression(*e, scope_, FunctionRegistry::builtin());
    EXPECT_TRUE(compiled.isOk()) << e->text << ": " << compiled.status().message();
    if (!compiled.isOk()) return CompiledExpression(nullptr, nullptr);
    return std::move(compiled).value();
  }
  Value eval(const ExprPtr& e) {
    auto compiled = compile(e);
    return compiled.type() || e->kind == ExprKind::kLiteral ? compiled.evaluate(row_) : Value();
  }
  std::string typeOf(const ExprPtr& e) {
    auto type = expressionType(*e, scope_, FunctionRegistry::builtin());
    return type.isOk() ? (*type ? (*type)->toString() : "null") : "error: " + type.status().message();
  }
  std::string error(const ExprPtr& e) {
    auto compiled = compileExpression(*e, scope_, FunctionRegistry::builtin());
    return compiled.isOk() ? "compiled" : compiled.status().message();
  }

  ExpressionScope scope_;
  std::vector<Value> row_;
};

TEST_F(ExpressionTest, IntegerArithmeticPromotesAndTruncates) {
  EXPECT_EQ(eval(bin(Operator::kAdd, col("A"), col("C"))), Value(int64_t{32}));
  EXPECT_EQ(typeOf(bin(Operator::kAdd, col("A"), col("C"))), "BIGINT");
  EXPECT_EQ(eval(bin(Operator::kAdd, bin(Operator::kMultiply, lit(12), lit(4)), lit(2))), Value(int32_t{50}));
  EXPECT_EQ(eval(bin(Operator::kDivide, lit(7), lit(2))), Value(int32_t{3}));
  EXPECT_EQ(eval(bin(Operator::kDivide, lit(-7), lit(2))), Value(int32_t{-3}));
  EXPECT_EQ(eval(bin(Operator::kModulus, lit(-7), lit(3))), Value(int32_t{-1}));
  EXPECT_EQ(eval(bin(Operator::kAdd, lit(2147483647), lit(1))), Value(int32_t{-2147483647 - 1}));  // wraps as Java
  EXPECT_EQ(eval(bin(Operator::kDivide, lit(-2147483647 - 1), lit(-1))), Value(int32_t{-2147483647 - 1}));
  EXPECT_EQ(eval(unary(Operator::kNegate, col("C"))), Value(int64_t{-25}));
}

TEST_F(ExpressionTest, DivisionByZeroIsNullExceptForDoubles) {
  EXPECT_TRUE(eval(bin(Operator::kDivide, col("A"), lit(0))).isNull());
  EXPECT_TRUE(eval(bin(Operator::kModulus, col("C"), lit(0))).isNull());
  EXPECT_TRUE(eval(bin(Operator::kDivide, col("E"), decLit("0.00"))).isNull());
  EXPECT_TRUE(std::isinf(eval(bin(Operator::kDivide, col("D"), lit(0))).asDouble()));
}

TEST_F(ExpressionTest, NullPropagatesThroughArithmetic) {
  EXPECT_TRUE(eval(bin(Operator::kAdd, col("N"), lit(1))).isNull());
  // A NULL literal has no type to do arithmetic with, as in ksqlDB.
  EXPECT_EQ(typeOf(bin(Operator::kMultiply, lit(1), nullLit())),
            "error: Error processing expression: (1 * NULL). Arithmetic on types INTEGER and null are not supported.");
}

TEST_F(ExpressionTest, DoubleAndDecimalArithmetic) {
  EXPECT_DOUBLE_EQ(eval(bin(Operator::kAdd, col("D"), lit(10))).asDouble(), 13.21);
  EXPECT_DOUBLE_EQ(eval(bin(Operator::kAdd, col("E"), col("D"))).asDouble(), 13.22);  // DECIMAL + DOUBLE is DOUBLE
  // ksqlDB's decimal result types: (4,2)+(4,2) -> (5,2); * -> (9,4); / -> (13,7); % -> (4,2).
  EXPECT_EQ(typeOf(bin(Operator::kAdd, col("E"), col("E"))), "DECIMAL(5, 2)");
  EXPECT_EQ(typeOf(bin(Operator::kMultiply, col("E"), col("E"))), "DECIMAL(9, 4)");
  EXPECT_EQ(typeOf(bin(Operator::kDivide, col("E"), col("E"))), "DECIMAL(11, 7)");
  EXPECT_EQ(typeOf(bin(Operator::kModulus, col("E"), col("E"))), "DECIMAL(4, 2)");
  EXPECT_EQ(typeOf(bin(Operator::kAdd, col("E"), col("A"))), "DECIMAL(13, 2)");  // INT is DECIMAL(10, 0)
  EXPECT_EQ(eval(bin(Operator::kAdd, col("E"), decLit("5.1"))), dec("15.11"));
  EXPECT_EQ(eval(bin(Operator::kSubtract, col("E"), decLit("15.01"))), dec("-5.00"));
  EXPECT_EQ(eval(bin(Operator::kMultiply, decLit("10.1"), decLit("-2.0"))), dec("-20.20"));
  EXPECT_EQ(eval(bin(Operator::kModulus, decLit("10.1"), decLit("-2.0"))), dec("0.1"));
  EXPECT_EQ(eval(bin(Operator::kDivide, decLit("1.00"), decLit("3.00"))), dec("0.333333"));
  EXPECT_EQ(eval(bin(Operator::kDivide, decLit("2.00"), decLit("3.00"))), dec("0.666667"));  // HALF_UP
  EXPECT_EQ(eval(unary(Operator::kNegate, col("E"))), dec("-10.01"));
}

TEST_F(ExpressionTest, StringConcatenation) {
  EXPECT_EQ(eval(bin(Operator::kAdd, strLit("a"), col("B"))), Value("abarfoobaz"));
  EXPECT_EQ(eval(bin(Operator::kConcat, col("B"), strLit("!"))), Value("barfoobaz!"));
  EXPECT_TRUE(eval(bin(Operator::kConcat, col("B"), cast(nullLit(), SqlType::string()))).isNull());
}

TEST_F(ExpressionTest, ArithmeticTypeErrorsUseKsqlDbMessages) {
  EXPECT_EQ(error(bin(Operator::kAdd, boolLit(true), decLit("1.5"))),
            "Error processing expression: (true + 1.5). Unsupported arithmetic types. BOOLEAN DECIMAL(2, 1)");
  EXPECT_EQ(error(bin(Operator::kConcat, col("A"), col("B"))),
            "Error processing expression: (A || B). Unsupported arithmetic types. INTEGER STRING");
  EXPECT_EQ(error(col("NOPE")), "Column 'NOPE' cannot be resolved.");
  EXPECT_EQ(error(col("A", "X")), "Column 'X.A' cannot be resolved.");
}

TEST_F(ExpressionTest, ComparisonsAcrossNumericTypesStringsAndTimes) {
  EXPECT_EQ(eval(bin(Operator::kGreater, col("A"), col("E"))), Value(false));   // 7 > 10.01
  EXPECT_EQ(eval(bin(Operator::kLess, col("E"), col("C"))), Value(true));      // 10.01 < 25
  EXPECT_EQ(eval(bin(Operator::kEqual, decLit("1.20"), dblLit(1.2, "1.2"))), Value(true));
  EXPECT_EQ(eval(bin(Operator::kEqual, decLit("1.20"), decLit("1.2"))), Value(true));
  EXPECT_EQ(eval(bin(Operator::kGreaterOrEqual, strLit("goo"), strLit("foo"))), Value(true));
  EXPECT_EQ(eval(bin(Operator::kLessOrEqual, strLit("Foo"), strLit("foo"))), Value(true));
  EXPECT_EQ(eval(bin(Operator::kEqual, col("F"), boolLit(true))), Value(true));
  EXPECT_EQ(eval(bin(Operator::kEqual, col("T"), strLit("2022-04-28T21:44:47.943"))), Value(true));
  EXPECT_EQ(eval(bin(Operator::kGreater, col("T"), strLit("2022-04-28"))), Value(true));
  EXPECT_EQ(eval(bin(Operator::kGreater, col("T"), col("DT"))), Value(true));
}

TEST_F(ExpressionTest, RowtimeComparesWithTimestampStrings) {
  EXPECT_EQ(eval(bin(Operator::kGreater, col("ROWTIME"), strLit("2018-01-01T00:00:00.000"))), Value(true));
  EXPECT_EQ(eval(bin(Operator::kLessOrEqual, strLit("2018-01-01T00:00:00.001+0000"), col("ROWTIME"))), Value(true));
  EXPECT_EQ(eval(between(col("ROWTIME"), strLit("2018-01-01T00:00:00.001"), strLit("2018-01-01T00:00:01"))),
            Value(true));
  EXPECT_NE(error(bin(Operator::kGreater, col("ROWTIME"), strLit("yesterday"))), "compiled");
  EXPECT_NE(error(bin(Operator::kGreater, col("C"), strLit("2018-01-01"))), "compiled");  // only the time columns
}

TEST_F(ExpressionTest, ComparisonWithNullIsFalse) {
  EXPECT_EQ(eval(bin(Operator::kLess, col("N"), lit(1))), Value(false));
  EXPECT_EQ(eval(bin(Operator::kNotEqual, col("N"), lit(1))), Value(false));
  EXPECT_EQ(eval(bin(Operator::kEqual, col("A"), nullLit())), Value(false));
  EXPECT_EQ(error(bin(Operator::kNotEqual, nullLit(), nullLit())), "Comparison with NULL not supported: NULL <> NULL");
}

TEST_F(ExpressionTest, ComplexTypesCompareOnlyForEquality) {
  EXPECT_EQ(eval(bin(Operator::kEqual, col("ARR"), array({lit(10), lit(20), lit(30)}))), Value(true));
  EXPECT_EQ(eval(bin(Operator::kEqual, col("ARR"), array({bigLit(10), bigLit(20), bigLit(30)}))), Value(true));
  EXPECT_EQ(eval(bin(Operator::kNotEqual, col("M"), map({strLit("a"), lit(2)}))), Value(true));
  auto s = structOf({"NAME", "zip"}, {strLit("Ann"), lit(12345)});
  EXPECT_EQ(eval(bin(Operator::kEqual, col("S"), s)), Value(true));
  EXPECT_EQ(error(bin(Operator::kLess, col("M"), col("M"))),
            "Cannot compare M (MAP<STRING, INTEGER>) to M (MAP<STRING, INTEGER>) with LESS_THAN.");
  EXPECT_EQ(error(bin(Operator::kGreaterOrEqual, col("A"), strLit("not an int"))),
            "Cannot compare A (INTEGER) to 'not an int' (STRING) with GREATER_THAN_OR_EQUAL.");
}

TEST_F(ExpressionTest, ThreeValuedLogic) {
  auto t = boolLit(true), f = boolLit(false), n = col("NB");
  EXPECT_EQ(eval(bin(Operator::kAnd, t, n)), Value());
  EXPECT_EQ(eval(bin(Operator::kAnd, f, n)), Value(false));
  EXPECT_EQ(eval(bin(Operator::kAnd, n, f)), Value(false));
  EXPECT_EQ(eval(bin(Operator::kAnd, t, t)), Value(true));
  EXPECT_EQ(eval(bin(Operator::kOr, f, n)), Value());
  EXPECT_EQ(eval(bin(Operator::kOr, n, t)), Value(true));
  EXPECT_EQ(eval(bin(Operator::kOr, f, f)), Value(false));
  EXPECT_EQ(eval(unary(Operator::kNot, n)), Value());
  EXPECT_EQ(eval(unary(Operator::kNot, f)), Value(true));
  EXPECT_EQ(eval(bin(Operator::kAnd, unary(Operator::kNot, f), unary(Operator::kNot, f))), Value(true));
  EXPECT_EQ(eval(isNull(col("N"))), Value(true));
  EXPECT_EQ(eval(isNull(col("A"), true)), Value(true));
  EXPECT_NE(error(bin(Operator::kAnd, col("A"), t)), "compiled");
}

TEST_F(ExpressionTest, IsDistinctFromTreatsNullsAsValues) {
  EXPECT_EQ(eval(isDistinct(col("N"), col("N"))), Value(false));
  EXPECT_EQ(eval(isDistinct(col("N"), lit(1))), Value(true));
  EXPECT_EQ(eval(isDistinct(col("E"), decLit("10.010"))), Value(false));
  EXPECT_EQ(eval(isDistinct(col("N"), nullLit(), true)), Value(true));
  EXPECT_EQ(eval(isDistinct(col("A"), bigLit(7), true)), Value(true));
}

TEST_F(ExpressionTest, Between) {
  EXPECT_EQ(eval(between(col("A"), lit(2), lit(7))), Value(true));
  EXPECT_EQ(eval(between(col("D"), lit(2), decLit("3.9"))), Value(true));
  EXPECT_EQ(eval(between(strLit("ba"), strLit("b"), strLit("c"))), Value(true));
  EXPECT_EQ(eval(between(col("N"), lit(2), lit(7))), Value(false));
  EXPECT_EQ(eval(between(col("A"), col("N"), lit(7))), Value(false));
  EXPECT_EQ(eval(between(col("A"), lit(8), lit(9), true)), Value(true));
  EXPECT_EQ(eval(between(bin(Operator::kAdd, col("A"), lit(2)), bin(Operator::kDivide, lit(10), lit(2)),
                         bin(Operator::kMultiply, lit(10), lit(2)))),
            Value(true));
}

TEST_F(ExpressionTest, InWithMixedTypesAndLiteralCoercion) {
  EXPECT_EQ(eval(in({col("C"), lit(1), decLit("25.00"), nullLit()})), Value(true));
  EXPECT_EQ(eval(in({col("A"), lit(11), nullLit(), col("C")})), Value(false));
  EXPECT_EQ(eval(in({col("A"), strLit("7")})), Value(true));  // parsed as INTEGER at compile time
  EXPECT_EQ(eval(in({col("A"), lit(1), strLit("2147483648")})), Value(false));
  EXPECT_EQ(eval(in({col("F"), strLit("Y")})), Value(true));
  EXPECT_EQ(eval(in({strLit("10.30"), lit(10), decLit("10.30")})), Value(true));  // as text
  EXPECT_EQ(eval(in({col("N"), lit(1)})), Value(false));
  EXPECT_EQ(eval(in({col("N"), lit(1)}, true)), Value(true));  // NOT (IN) as ksqlDB parses it
  EXPECT_EQ(eval(in({col("ARR"), array({lit(10), lit(20), lit(30)})})), Value(true));
  EXPECT_EQ(error(in({col("A"), lit(10), strLit("10 - not a number")})),
            "Invalid Predicate: invalid input syntax for type INTEGER: \"10 - not a number\".");
  EXPECT_EQ(error(in({col("A"), lit(10), boolLit(true)})),
            "Invalid Predicate: operator does not exist: INTEGER = BOOLEAN (true)");
  EXPECT_EQ(error(in({col("C"), lit(10), col("B")})), "Invalid Predicate: operator does not exist: BIGINT = STRING (B)");
}

TEST_F(ExpressionTest, LikeWithWildcardsAndEscape) {
  EXPECT_EQ(eval(like(col("B"), strLit("%foo%"))), Value(true));
  EXPECT_EQ(eval(like(col("B"), strLit("bar%"))), Value(true));
  EXPECT_EQ(eval(like(col("B"), strLit("foo%"))), Value(false));
  EXPECT_EQ(eval(like(strLit("foo"), col("P"))), Value(true));  // pattern from a column: f_o
  EXPECT_EQ(eval(like(strLit("fo"), col("P"))), Value(false));
  EXPECT_EQ(eval(like(strLit("%"), strLit("!%"), strLit("!"))), Value(true));
  EXPECT_EQ(eval(like(strLit("x"), strLit("!%"), strLit("!"))), Value(false));
  EXPECT_EQ(eval(like(strLit("h\xC3\xA9llo"), strLit("h_llo"))), Value(true));  // _ is one character
  EXPECT_EQ(eval(like(strLit("this"), strLit("%hi%"))), Value(true));
  EXPECT_EQ(eval(like(strLit("Foo"), strLit("foo"))), Value(false));
  EXPECT_EQ(eval(like(col("B"), strLit("x%"), nullptr, true)), Value(true));
  EXPECT_EQ(eval(like(cast(nullLit(), SqlType::string()), strLit("%"))), Value(false));
}

TEST_F(ExpressionTest, CaseExpressions) {
  auto units = [&](ExprPtr limit) { return bin(Operator::kLess, col("D"), limit); };
  EXPECT_EQ(eval(searchedCase({units(decLit("2.0")), strLit("small"), units(decLit("4.0")), strLit("medium")},
                              strLit("large"))),
            Value("medium"));
  EXPECT_TRUE(eval(searchedCase({units(decLit("2.0")), strLit("small")})).isNull());  // no ELSE
  EXPECT_EQ(eval(searchedCase({bin(Operator::kGreater, col("N"), lit(1)), strLit("foo")}, strLit("default"))),
            Value("default"));  // a NULL condition does not hold
  EXPECT_EQ(eval(searchedCase({units(decLit("4.0")), nullLit()}, strLit("x"))), Value());
  auto widened = searchedCase({boolLit(false), col("A")}, col("C"));
  EXPECT_EQ(typeOf(widened), "BIGINT");
  EXPECT_EQ(eval(widened), Value(int64_t{25}));
  EXPECT_EQ(eval(simpleCase(col("A"), {lit(1), strLit("one"), bigLit(7), strLit("seven")})), Value("seven"));
  EXPECT_EQ(error(searchedCase({boolLit(true), nullLit()}, nullLit())),
            "Invalid Case expression. All case branches have NULL type");
  EXPECT_NE(error(searchedCase({boolLit(true), col("A")}, col("B"))), "compiled");
  EXPECT_NE(error(searchedCase({col("A"), col("A")})), "compiled");
}

TEST_F(ExpressionTest, CastBetweenPrimitives) {
  EXPECT_EQ(eval(cast(strLit(" 42 "), SqlType::integer())), Value(int32_t{42}));
  EXPECT_TRUE(eval(cast(strLit("4x"), SqlType::integer())).isNull());
  EXPECT_EQ(eval(cast(bigLit(2147483648), SqlType::integer())), Value(int32_t{-2147483647 - 1}));
  EXPECT_EQ(eval(cast(bin(Operator::kSubtract, dblLit(3.3, "3.3"), dblLit(2.1, "2.1")), SqlType::integer())),
            Value(int32_t{1}));
  EXPECT_EQ(eval(cast(dblLit(1e20, "1E20"), SqlType::integer())), Value(int32_t{2147483647}));
  EXPECT_EQ(eval(cast(col("E"), SqlType::integer())), Value(int32_t{10}));
  EXPECT_EQ(eval(cast(strLit("1.5e3"), SqlType::doubleType())), Value(1500.0));
  EXPECT_EQ(eval(cast(dblLit(1e10, "1E10"), SqlType::string())), Value("1.0E10"));
  EXPECT_EQ(eval(cast(dblLit(100, "100.0"), SqlType::string())), Value("100.0"));
  EXPECT_EQ(eval(cast(dblLit(0.001, "0.001"), SqlType::string())), Value("0.001"));
  EXPECT_EQ(eval(cast(dblLit(0.0001, "0.0001"), SqlType::string())), Value("1.0E-4"));
  EXPECT_EQ(eval(cast(col("D"), SqlType::string())), Value("3.21"));
  EXPECT_EQ(eval(cast(decLit("0.050"), SqlType::string())), Value("0.050"));
  EXPECT_EQ(eval(cast(col("F"), SqlType::string())), Value("true"));
  EXPECT_EQ(eval(cast(strLit("yes"), SqlType::boolean())), Value(true));
  EXPECT_TRUE(eval(cast(strLit("maybe"), SqlType::boolean())).isNull());
}

TEST_F(ExpressionTest, CastToDecimalRoundsHalfUpAndOverflowsToNull) {
  EXPECT_EQ(eval(cast(dblLit(0.99, "0.99"), SqlType::decimal(2, 1))), dec("1.0"));
  EXPECT_EQ(eval(cast(dblLit(0.1, "0.1"), SqlType::decimal(2, 1))), dec("0.1"));
  EXPECT_EQ(eval(cast(decLit("10.12"), SqlType::decimal(5, 3))), dec("10.120"));
  EXPECT_EQ(eval(cast(decLit("-0.05"), SqlType::decimal(2, 1))), dec("-0.1"));
  EXPECT_TRUE(eval(cast(col("E"), SqlType::decimal(2, 1))).isNull());  // 10.0 needs 3 digits
  EXPECT_EQ(eval(cast(strLit("1.005"), SqlType::decimal(3, 2))), dec("1.01"));
  EXPECT_EQ(eval(cast(col("A"), SqlType::decimal(3, 1))), dec("7.0"));
}

TEST_F(ExpressionTest, CastBetweenTemporalTypesAndStrings) {
  EXPECT_EQ(eval(cast(strLit("2022-04-28T21:44:47.943"), SqlType::timestamp())), ts(1651182287943));
  EXPECT_EQ(eval(cast(strLit("2022-04-28T21:44:47.943Z"), SqlType::timestamp())), ts(1651182287943));
  EXPECT_EQ(eval(cast(strLit("2022-04-28T23:44:47.943+02:00"), SqlType::timestamp())), ts(1651182287943));
  EXPECT_EQ(eval(cast(col("T"), SqlType::string())), Value("2022-04-28T21:44:47.943"));
  EXPECT_EQ(eval(cast(col("T"), SqlType::date())), Value(Date{19110}));
  EXPECT_EQ(eval(cast(col("T"), SqlType::time())), Value(Time{78287943}));
  EXPECT_EQ(eval(cast(col("DT"), SqlType::string())), Value("2022-04-28"));
  EXPECT_EQ(eval(cast(col("DT"), SqlType::timestamp())), ts(1651104000000));
  EXPECT_EQ(eval(cast(strLit("21:44:47"), SqlType::time())), Value(Time{78287000}));
  EXPECT_EQ(eval(cast(literal(ts(-1), SqlType::timestamp(), "ts"), SqlType::string())),
            Value("1969-12-31T23:59:59.999"));
  EXPECT_TRUE(eval(cast(strLit("2022-02-30"), SqlType::date())).isNull());
}

TEST_F(ExpressionTest, CastOfCompositeTypes) {
  EXPECT_EQ(eval(cast(col("ARR"), SqlType::string())), Value("[10, 20, 30]"));
  EXPECT_EQ(eval(cast(col("M"), SqlType::string())), Value("{a=1}"));
  EXPECT_EQ(eval(cast(col("ARR"), SqlType::array(SqlType::string()))),
            Value::array({Value("10"), Value("20"), Value("30")}));
  auto target = SqlType::structType({{"NAME", SqlType::string()}, {"OTHER", SqlType::string()}});
  EXPECT_EQ(eval(cast(col("S"), target)), Value::structOf({Value("Ann"), Value()}));
  EXPECT_EQ(error(cast(col("B"), SqlType::array(SqlType::integer()))),
            "Cast of STRING to ARRAY<INTEGER> is not supported");
}

TEST_F(ExpressionTest, Constructors) {
  EXPECT_EQ(typeOf(array({lit(1), col("C"), nullLit()})), "ARRAY<BIGINT>");
  EXPECT_EQ(eval(array({lit(1), col("C"), nullLit()})), Value::array({Value(int64_t{1}), Value(int64_t{25}), Value()}));
  EXPECT_EQ(typeOf(map({strLit("k"), lit(1), strLit("j"), dblLit(2.5, "2.5")})), "MAP<STRING, DOUBLE>");
  EXPECT_EQ(eval(map({strLit("k"), lit(1), strLit("k"), lit(2)})), Value::map({{Value("k"), Value(int32_t{2})}}));
  EXPECT_EQ(typeOf(structOf({"A", "b"}, {lit(1), col("B")})), "STRUCT<`A` INTEGER, `b` STRING>");
  EXPECT_EQ(eval(structOf({"A", "b"}, {lit(1), col("B")})), Value::structOf({Value(int32_t{1}), Value("barfoobaz")}));
  EXPECT_EQ(error(array({})),
            "Array constructor cannot be empty. Please supply at least one element "
            "(see https://github.com/confluentinc/ksql/issues/4239).");
  EXPECT_EQ(error(map({nullLit(), lit(1)})), "Cannot construct a map with all NULL keys");
  EXPECT_EQ(error(map({strLit("a"), nullLit()})), "Cannot construct a map with all NULL values");
  EXPECT_EQ(error(structOf({"A", "A"}, {lit(1), lit(2)})), "Duplicate field names found in STRUCT");
}

TEST_F(ExpressionTest, DereferenceAndSubscript) {
  EXPECT_EQ(eval(deref(col("S"), "NAME")), Value("Ann"));
  EXPECT_EQ(eval(deref(col("S"), "zip")), Value(int32_t{12345}));
  EXPECT_NE(error(deref(col("S"), "ZIP")), "compiled");  // field names as resolved
  EXPECT_EQ(eval(deref(cast(nullLit(), scope_.columns()[9].type), "NAME")), Value());
  EXPECT_EQ(eval(subscript(col("ARR"), lit(1))), Value(int32_t{10}));
  EXPECT_EQ(eval(subscript(col("ARR"), lit(-1))), Value(int32_t{30}));
  EXPECT_EQ(eval(subscript(col("ARR"), bigLit(-3))), Value(int32_t{10}));
  EXPECT_TRUE(eval(subscript(col("ARR"), lit(0))).isNull());
  EXPECT_TRUE(eval(subscript(col("ARR"), lit(4))).isNull());
  EXPECT_TRUE(eval(subscript(col("ARR"), lit(-4))).isNull());
  EXPECT_EQ(eval(subscript(col("M"), strLit("a"))), Value(int32_t{1}));
  EXPECT_TRUE(eval(subscript(col("M"), strLit("missing"))).isNull());
  EXPECT_EQ(eval(subscript(array({array({lit(0), lit(1)}), array({lit(2)})}), lit(1))),
            Value::array({Value(int32_t{0}), Value(int32_t{1})}));
}

TEST_F(ExpressionTest, FunctionCallsBindThroughTheRegistry) {
  EXPECT_EQ(eval(call("UCASE", {col("B")})), Value("BARFOOBAZ"));
  auto abs = call("ABS", {unary(Operator::kNegate, col("A"))});
  EXPECT_EQ(typeOf(abs), "INTEGER");
  EXPECT_EQ(eval(abs), Value(int32_t{7}));
  EXPECT_EQ(eval(call("IFNULL", {col("N"), lit(10)})), Value(int32_t{10}));
  EXPECT_EQ(error(call("NOPE", {})), "Can't find any functions with the name 'NOPE'");
  EXPECT_NE(error(call("COUNT", {col("A")})), "compiled");
}

TEST_F(ExpressionTest, ARowThatBreaksItsSchemaGivesNullInsteadOfThrowing) {
  auto compiled = compile(bin(Operator::kAdd, col("A"), lit(1)));
  row_[0] = Value("not an INT");
  EXPECT_TRUE(compiled.evaluate(row_).isNull());
}

TEST_F(ExpressionTest, CastValueCoercesForTheEngine) {
  EXPECT_EQ(castValue(Value(int32_t{5}), *SqlType::integer(), *SqlType::decimal(4, 2)), dec("5.00"));
  EXPECT_EQ(castValue(Value("12"), *SqlType::string(), *SqlType::bigint()), Value(int64_t{12}));
  EXPECT_TRUE(castValue(Value(), *SqlType::string(), *SqlType::bigint()).isNull());
  EXPECT_TRUE(castValue(Value("x"), *SqlType::string(), *SqlType::doubleType()).isNull());
}

}  // namespace
}  // namespace runnel::sql
