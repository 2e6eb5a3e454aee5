#include "sql/parser.h"

#include <gtest/gtest.h>

namespace runnel::sql {
namespace {

Statement parse(std::string_view text, const TypeLookup& types = {}) {
  auto statement = parseStatement(text, types);
  EXPECT_TRUE(statement.isOk()) << text << "\n" << statement.status().message();
  return statement.isOk() ? std::move(statement).value() : Statement{};
}

template <class T>
T parseAs(std::string_view text, const TypeLookup& types = {}) {
  Statement statement = parse(text, types);
  const T* body = std::get_if<T>(&statement.body);
  EXPECT_NE(body, nullptr) << text;
  return body ? *body : T{};
}

std::string parseError(std::string_view text) {
  auto statement = parseStatement(text);
  EXPECT_FALSE(statement.isOk()) << text;
  return statement.isOk() ? "" : statement.status().message();
}

std::string render(std::string_view text) {
  auto expr = parseExpression(text);
  EXPECT_TRUE(expr.isOk()) << text << "\n" << expr.status().message();
  return expr.isOk() ? (*expr)->text : "";
}

ExprPtr expr(std::string_view text) {
  auto parsed = parseExpression(text);
  EXPECT_TRUE(parsed.isOk()) << text << "\n" << parsed.status().message();
  return parsed.isOk() ? *parsed : std::make_shared<Expr>();
}

// ---- Statements ----------------------------------------------------------------------------

TEST(SqlParserTest, CreatesSourcesWithColumnsConstraintsAndProperties) {
  auto create = parseAs<CreateSource>(
      "CREATE OR REPLACE STREAM IF NOT EXISTS pageviews (id INT KEY, `Name` STRING, h BYTES HEADER('k'), "
      "hs ARRAY<STRUCT<key STRING, value BYTES>> HEADERS) "
      "WITH (kafka_topic='pv', value_format='JSON', partitions=4, wrap_single_value=false, \"Quoted\"=1.5);");
  EXPECT_FALSE(create.is_table);
  EXPECT_TRUE(create.or_replace);
  EXPECT_TRUE(create.if_not_exists);
  EXPECT_EQ(create.name, "PAGEVIEWS");
  ASSERT_EQ(create.elements.size(), 4u);
  EXPECT_EQ(create.elements[0].name, "ID");
  EXPECT_EQ(create.elements[0].constraint, ColumnConstraint::kKey);
  EXPECT_EQ(create.elements[1].name, "Name");
  EXPECT_EQ(create.elements[2].constraint, ColumnConstraint::kHeader);
  EXPECT_EQ(create.elements[2].header_key, "k");
  EXPECT_EQ(create.elements[3].constraint, ColumnConstraint::kHeaders);
  EXPECT_EQ(create.elements[3].type->toString(), "ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>>");
  EXPECT_EQ(create.properties.at("KAFKA_TOPIC"), Value("pv"));
  EXPECT_EQ(create.properties.at("PARTITIONS"), Value(int32_t{4}));
  EXPECT_EQ(create.properties.at("WRAP_SINGLE_VALUE"), Value(false));
  EXPECT_EQ(create.properties.at("QUOTED"), Value(1.5));

  auto table = parseAs<CreateSource>("create source table t (k string primary key, v int) with (kafka_topic='t')");
  EXPECT_TRUE(table.is_table);
  EXPECT_TRUE(table.is_source);
  EXPECT_EQ(table.elements[0].constraint, ColumnConstraint::kPrimaryKey);

  auto inferred = parseAs<CreateSource>("CREATE STREAM s WITH (kafka_topic='s', format='AVRO');");
  EXPECT_TRUE(inferred.elements.empty());
  EXPECT_EQ(inferred.properties.size(), 2u);
}

TEST(SqlParserTest, CreatesSourcesAsSelect) {
  auto csas = parseAs<CreateAsSelect>(
      "CREATE TABLE IF NOT EXISTS counts WITH (kafka_topic='c') AS SELECT id, COUNT(*) AS n FROM s "
      "WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS) WHERE v > 0 GROUP BY id HAVING COUNT(*) > 1 "
      "EMIT CHANGES;");
  EXPECT_TRUE(csas.is_table);
  EXPECT_TRUE(csas.if_not_exists);
  EXPECT_EQ(csas.name, "COUNTS");
  EXPECT_EQ(csas.properties.at("KAFKA_TOPIC"), Value("c"));
  const Query& q = csas.query;
  ASSERT_EQ(q.select.size(), 2u);
  EXPECT_EQ(q.select[0].expression->text, "ID");
  EXPECT_EQ(q.select[1].alias, "N");
  EXPECT_EQ(q.select[1].expression->text, "COUNT(*)");
  EXPECT_TRUE(q.select[1].expression->star);
  EXPECT_EQ(q.from.name, "S");
  ASSERT_TRUE(q.window);
  EXPECT_EQ(q.window->type, "TUMBLING");
  EXPECT_EQ(q.window->text, "TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS)");
  EXPECT_EQ(q.where->text, "(V > 0)");
  ASSERT_EQ(q.group_by.size(), 1u);
  EXPECT_EQ(parseAs<SelectStatement>("SELECT COUNT(*) FROM s GROUP BY (a, b);").query.group_by.size(), 2u);
  EXPECT_EQ(parseAs<SelectStatement>("SELECT COUNT(*) FROM s GROUP BY (a), b;").query.group_by.size(), 2u);
  EXPECT_EQ(parseAs<SelectStatement>("SELECT COUNT(*) FROM s GROUP BY (a + 1) * 2;").query.group_by[0]->text,
            "((A + 1) * 2)");
  auto fields = parseAs<SelectStatement>("SELECT v->*, v->a->* FROM s WINDOW w1 SESSION (1 SECONDS);").query;
  EXPECT_TRUE(fields.select[0].struct_star);
  EXPECT_EQ(fields.select[1].expression->text, "V->A");
  EXPECT_EQ(fields.window->text, "SESSION (1 SECONDS)");
  EXPECT_EQ(q.having->text, "(COUNT(*) > 1)");
  EXPECT_TRUE(q.emit_changes);

  auto replace = parseAs<CreateAsSelect>("CREATE OR REPLACE STREAM o AS SELECT * FROM s PARTITION BY a, b;");
  EXPECT_TRUE(replace.or_replace);
  EXPECT_TRUE(replace.query.select[0].star);
  EXPECT_EQ(replace.query.partition_by.size(), 2u);
}

TEST(SqlParserTest, ParsesJoinsWithAliasesAndWithin) {
  auto select = parseAs<SelectStatement>(
      "SELECT l.*, r.v AS rv FROM left_s AS l LEFT OUTER JOIN right_s r WITHIN (1 HOUR, 2 HOURS) GRACE PERIOD 1 "
      "MINUTE ON l.id = r.id FULL JOIN t3 ON r.id = t3.id EMIT FINAL LIMIT 10;");
  const Query& q = select.query;
  EXPECT_TRUE(q.select[0].star);
  EXPECT_EQ(q.select[0].star_source, "L");
  EXPECT_EQ(q.select[1].expression->text, "R.V");
  EXPECT_EQ(q.select[1].expression->qualifier, "R");
  EXPECT_EQ(q.from.alias, "L");
  ASSERT_EQ(q.joins.size(), 2u);
  EXPECT_EQ(q.joins[0].type, "LEFT");
  EXPECT_EQ(q.joins[0].right.alias, "R");
  EXPECT_EQ(q.joins[0].within, "WITHIN (1 HOUR, 2 HOURS) GRACE PERIOD 1 MINUTE");
  EXPECT_EQ(q.joins[0].on->text, "(L.ID = R.ID)");
  EXPECT_EQ(q.joins[1].type, "FULL");
  EXPECT_TRUE(q.joins[1].within.empty());
  EXPECT_TRUE(q.emit_final);
  EXPECT_EQ(q.limit, 10);

  auto pull = parseAs<SelectStatement>("SELECT * FROM t WHERE k = 'a'");
  EXPECT_FALSE(pull.query.emit_changes);
  EXPECT_FALSE(pull.query.limit);
}

TEST(SqlParserTest, ParsesInserts) {
  auto insert = parseAs<InsertInto>("INSERT INTO sink WITH (QUERY_ID='q1') SELECT * FROM s EMIT CHANGES;");
  EXPECT_EQ(insert.target, "SINK");
  EXPECT_EQ(insert.properties.at("QUERY_ID"), Value("q1"));
  auto values = parseAs<InsertValues>("INSERT INTO s (ROWTIME, id, `v`) VALUES (1, 'a', -2.5);");
  EXPECT_EQ(values.columns, (std::vector<std::string>{"ROWTIME", "ID", "v"}));
  ASSERT_EQ(values.values.size(), 3u);
  EXPECT_EQ(values.values[2]->text, "-2.5");
  auto all_columns = parseAs<InsertValues>("INSERT INTO s VALUES (NULL, TRUE)");
  EXPECT_TRUE(all_columns.columns.empty());
  EXPECT_EQ(all_columns.values.size(), 2u);
}

TEST(SqlParserTest, ParsesTypesAndNamedTypes) {
  auto create = parseAs<CreateType>("CREATE TYPE address AS STRUCT<street STRING, `zip` INT, none STRUCT<>>;");
  EXPECT_EQ(create.name, "ADDRESS");
  EXPECT_EQ(create.type->toString(), "STRUCT<`STREET` STRING, `zip` INTEGER, `NONE` STRUCT<>>");
  TypeLookup types = [&](const std::string& name) { return name == "ADDRESS" ? create.type : nullptr; };
  auto stream = parseAs<CreateSource>(
      "CREATE STREAM s (a address, m MAP<VARCHAR, ARRAY<DECIMAL(4, 2)>>, b BOOLEAN, i INTEGER, l BIGINT, "
      "d DOUBLE, dt DATE, t TIME, ts TIMESTAMP, bs BYTES) WITH (kafka_topic='s');",
      types);
  ASSERT_EQ(stream.elements.size(), 10u);
  EXPECT_EQ(stream.elements[0].type, create.type);
  EXPECT_EQ(stream.elements[1].type->toString(), "MAP<STRING, ARRAY<DECIMAL(4, 2)>>");
  std::string types_text;
  for (size_t i = 2; i < stream.elements.size(); ++i) types_text += stream.elements[i].type->toString() + " ";
  EXPECT_EQ(types_text, "BOOLEAN INTEGER BIGINT DOUBLE DATE TIME TIMESTAMP BYTES ");

  auto unknown = parseStatement("CREATE STREAM s (a unknown_t) WITH (kafka_topic='s');", types);
  ASSERT_FALSE(unknown.isOk());
  EXPECT_EQ(unknown.status().message(), "line 1:20: Unknown type: UNKNOWN_T");
  auto drop = parseAs<DropType>("DROP TYPE IF EXISTS address");
  EXPECT_TRUE(drop.if_exists);
  EXPECT_EQ(drop.name, "ADDRESS");
}

TEST(SqlParserTest, ParsesAdministrativeStatements) {
  auto drop = parseAs<DropSource>("DROP TABLE IF EXISTS t DELETE TOPIC;");
  EXPECT_TRUE(drop.is_table && drop.if_exists && drop.delete_topic);
  EXPECT_EQ(drop.name, "T");

  auto show = parseAs<Show>("SHOW ALL TOPICS EXTENDED");
  EXPECT_TRUE(show.all && show.extended);
  EXPECT_EQ(show.what, ShowWhat::kTopics);
  EXPECT_EQ(parseAs<Show>("list queries").what, ShowWhat::kQueries);
  EXPECT_EQ(parseAs<Show>("SHOW PROPERTIES").what, ShowWhat::kProperties);
  EXPECT_EQ(parseAs<Show>("SHOW FUNCTIONS").what, ShowWhat::kFunctions);
  EXPECT_EQ(parseAs<Show>("SHOW TYPES").what, ShowWhat::kTypes);
  EXPECT_EQ(parseAs<Show>("SHOW VARIABLES").what, ShowWhat::kVariables);
  EXPECT_TRUE(parseAs<Show>("SHOW STREAMS EXTENDED").extended);
  EXPECT_EQ(parseAs<Show>("SHOW TABLES").what, ShowWhat::kTables);

  auto describe = parseAs<Describe>("DESCRIBE EXTENDED pageviews");
  EXPECT_TRUE(describe.extended);
  EXPECT_EQ(describe.name, "PAGEVIEWS");
  EXPECT_TRUE(parseAs<Describe>("DESCRIBE STREAMS EXTENDED").all_streams);
  EXPECT_TRUE(parseAs<Describe>("DESCRIBE TABLES").all_tables);
  EXPECT_EQ(parseAs<DescribeFunction>("DESCRIBE FUNCTION substring").name, "SUBSTRING");

  EXPECT_EQ(parseAs<Explain>("EXPLAIN CSAS_OUTPUT_0").query_id, "CSAS_OUTPUT_0");
  EXPECT_EQ(parseAs<Explain>("EXPLAIN SELECT * FROM s EMIT CHANGES;").statement_text, "SELECT * FROM s EMIT CHANGES");

  EXPECT_TRUE(parseAs<Terminate>("TERMINATE ALL").all);
  EXPECT_EQ(parseAs<Terminate>("TERMINATE CTAS_T_1").query_id, "CTAS_T_1");
  auto pause = parseAs<PauseResume>("PAUSE q1");
  EXPECT_TRUE(pause.pause);
  EXPECT_EQ(pause.query_id, "Q1");
  auto resume = parseAs<PauseResume>("RESUME ALL");
  EXPECT_FALSE(resume.pause);
  EXPECT_TRUE(resume.all);

  auto set = parseAs<SetProperty>("SET 'auto.offset.reset'='earliest';");
  EXPECT_EQ(set.name, "auto.offset.reset");
  EXPECT_EQ(set.value, "earliest");
  EXPECT_EQ(parseAs<UnsetProperty>("UNSET 'auto.offset.reset'").name, "auto.offset.reset");
  auto define = parseAs<DefineVariable>("DEFINE topic_name = 'it''s';");
  EXPECT_EQ(define.name, "TOPIC_NAME");
  EXPECT_EQ(define.value, "it's");
  EXPECT_EQ(parseAs<UndefineVariable>("UNDEFINE topic_name").name, "TOPIC_NAME");

  auto print = parseAs<Print>("PRINT 'My-Topic' FROM BEGINNING INTERVAL 2 LIMIT 5;");
  EXPECT_EQ(print.topic, "My-Topic");
  EXPECT_TRUE(print.from_beginning);
  EXPECT_EQ(print.interval, 2);
  EXPECT_EQ(print.limit, 5);
  EXPECT_EQ(parseAs<Print>("PRINT pageviews").topic, "pageviews");

  auto alter = parseAs<AlterSource>("ALTER TABLE t ADD COLUMN c1 INT, ADD c2 ARRAY<STRING>;");
  EXPECT_TRUE(alter.is_table);
  ASSERT_EQ(alter.add_columns.size(), 2u);
  EXPECT_EQ(alter.add_columns[1].name, "C2");
  EXPECT_EQ(alter.add_columns[1].type->toString(), "ARRAY<STRING>");
  EXPECT_EQ(parseAs<RunScript>("RUN SCRIPT '/tmp/x.sql'").path, "/tmp/x.sql");
}

TEST(SqlParserTest, KeepsTheStatementTextAndLocations) {
  Statement statement = parse("  SELECT *\n  FROM s;  ");
  EXPECT_EQ(statement.text, "SELECT *\n  FROM s;");
  EXPECT_EQ(statement.location.line, 1);
  EXPECT_EQ(statement.location.column, 3);
  const Query& q = std::get<SelectStatement>(statement.body).query;
  EXPECT_EQ(q.from.location.line, 2);
  EXPECT_EQ(q.from.location.column, 8);
}

// ---- Expressions ---------------------------------------------------------------------------

TEST(SqlParserTest, RespectsOperatorPrecedence) {
  EXPECT_EQ(render("1 + 2 * 3 - 4"), "((1 + (2 * 3)) - 4)");
  EXPECT_EQ(render("(1 + 2) * 3 % 4 / 5"), "((((1 + 2) * 3) % 4) / 5)");
  EXPECT_EQ(render("a OR b AND NOT c = d"), "(A OR (B AND (NOT (C = D))))");
  EXPECT_EQ(render("-a * b"), "(-A * B)");
  EXPECT_EQ(render("a || b + c"), "CONCAT(A, (B + C))");
  EXPECT_EQ(render("a + 1 > b AND c <> d OR e != f"), "((((A + 1) > B) AND (C <> D)) OR (E <> F))");
  EXPECT_EQ(render("a <= 1 AND b >= 2 AND c < 3"), "(((A <= 1) AND (B >= 2)) AND (C < 3))");
  EXPECT_EQ(render("a IS NULL OR b IS NOT NULL"), "((A IS NULL) OR (B IS NOT NULL))");
  EXPECT_EQ(render("a IS NOT DISTINCT FROM b + 1"), "(A IS NOT DISTINCT FROM (B + 1))");
  EXPECT_EQ(render("a NOT BETWEEN 1 AND 2 AND b BETWEEN c AND d"),
            "((A NOT BETWEEN 1 AND 2) AND (B BETWEEN C AND D))");
  EXPECT_EQ(render("a NOT IN (1, 2) OR b IN ('x')"), "((A NOT IN (1, 2)) OR (B IN ('x')))");
  EXPECT_EQ(render("name NOT LIKE 'a%' ESCAPE '!'"), "(NAME NOT LIKE 'a%' ESCAPE '!')");

  ExprPtr sum = expr("a + b * c");
  ASSERT_EQ(sum->kind, ExprKind::kBinary);
  EXPECT_EQ(sum->op, Operator::kAdd);
  EXPECT_EQ(sum->children[1]->op, Operator::kMultiply);
  ExprPtr between = expr("x NOT BETWEEN 1 AND 5");
  EXPECT_EQ(between->kind, ExprKind::kBetween);
  EXPECT_TRUE(between->negated);
  EXPECT_EQ(between->children.size(), 3u);
  ExprPtr in = expr("x IN (1, 2, 3)");
  EXPECT_EQ(in->kind, ExprKind::kIn);
  EXPECT_EQ(in->children.size(), 4u);
}

TEST(SqlParserTest, ParsesPrimaryAndPostfixExpressions) {
  EXPECT_EQ(render("address->street"), "ADDRESS->STREET");
  EXPECT_EQ(render("s.address->`city`->zip"), "S.ADDRESS->`city`->ZIP");
  EXPECT_EQ(render("arr[1][-1]"), "ARR[1][-1]");
  EXPECT_EQ(render("substring(name, 1, 2)"), "SUBSTRING(NAME, 1, 2)");
  EXPECT_EQ(render("count(*)"), "COUNT(*)");
  EXPECT_EQ(render("count(distinct x)"), "COUNT(DISTINCT X)");
  EXPECT_EQ(render("cast(a as decimal(4,2))"), "CAST(A AS DECIMAL(4, 2))");
  EXPECT_EQ(render("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END"),
            "(CASE WHEN (A > 1) THEN 'x' WHEN (A > 0) THEN 'y' ELSE 'z' END)");
  EXPECT_EQ(render("CASE a WHEN 1 THEN 'one' END"), "(CASE A WHEN 1 THEN 'one' END)");
  EXPECT_EQ(render("ARRAY[1, 2]"), "ARRAY[1, 2]");
  EXPECT_EQ(render("ARRAY[]"), "ARRAY[]");
  EXPECT_EQ(render("MAP('a' := 1, 'b' := 2)"), "MAP('a':=1, 'b':=2)");
  EXPECT_EQ(render("STRUCT(name := 'x', `Age` := 3)"), "STRUCT(NAME:='x', `Age`:=3)");
  EXPECT_EQ(render("transform(arr, x => x + 1)"), "TRANSFORM(ARR, X => (X + 1))");
  EXPECT_EQ(render("reduce(arr, 0, (s, x) => s + x)"), "REDUCE(ARR, 0, (S, X) => (S + X))");
  EXPECT_EQ(render("NOT TRUE AND FALSE OR NULL"), "(((NOT true) AND false) OR null)");
  EXPECT_EQ(render("-(a + 1)"), "-(A + 1)");
  EXPECT_EQ(render("timestampadd(seconds, 5, ts)"), "TIMESTAMPADD(SECONDS, 5, TS)");
  EXPECT_EQ(expr("timestampadd(seconds, 5, ts)")->children[0]->kind, ExprKind::kIntervalUnit);

  ExprPtr simple_case = expr("CASE a WHEN 1 THEN 'one' ELSE 'many' END");
  EXPECT_TRUE(simple_case->has_operand);
  EXPECT_TRUE(simple_case->has_else);
  EXPECT_EQ(simple_case->children.size(), 4u);
  ExprPtr lambda = expr("f((a, b) => a)")->children[0];
  EXPECT_EQ(lambda->kind, ExprKind::kLambda);
  EXPECT_EQ(lambda->field_names, (std::vector<std::string>{"A", "B"}));
  ExprPtr structure = expr("STRUCT(a := 1)");
  EXPECT_EQ(structure->field_names, std::vector<std::string>{"A"});
  ExprPtr column = expr("t.`Col`");
  EXPECT_EQ(column->qualifier, "T");
  EXPECT_EQ(column->name, "Col");
  EXPECT_EQ(column->text, "T.`Col`");
  ExprPtr deref = expr("a->b");
  EXPECT_EQ(deref->kind, ExprKind::kDereference);
  EXPECT_EQ(deref->name, "B");
}

TEST(SqlParserTest, ExpressionTextsParseBackToThemselves) {
  for (std::string_view text :
       {"a + -b * 3 % c - d / 2", "- -1", "-(-a)", "NOT a OR b AND c", "a || 'it''s' || b", "x IS NOT NULL",
        "x IS DISTINCT FROM y", "x NOT BETWEEN 1.50 AND 2.5E3", "x IN (1, 2147483648, NULL)", "s NOT LIKE 'a%' ESCAPE '!'",
        "CASE WHEN a THEN 1 ELSE 2 END", "CASE a WHEN 1 THEN 'x' END", "CAST(a AS MAP<STRING, ARRAY<DECIMAL(4, 2)>>)",
        "ARRAY[1, 2][1]", "MAP('k' := 1)['k']", "STRUCT(a := 1, `b c` := TRUE)->`b c`", "t.`Col`->f",
        "f(x => x + 1, (a, b) => a * b)", "COUNT(*)", "COUNT(DISTINCT `select`)", "TIMESTAMPADD(SECONDS, 1, ts)",
        "`from` + `Mixed` + second"}) {
    std::string once = render(text);
    EXPECT_EQ(render(once), once) << text;
  }
}

TEST(SqlParserTest, TypesLiteralsAsKsqlDbDoes) {
  auto check = [](std::string_view text, const std::string& type, const std::string& rendered) {
    ExprPtr literal = expr(text);
    ASSERT_EQ(literal->kind, ExprKind::kLiteral) << text;
    EXPECT_EQ(literal->literal_type ? literal->literal_type->toString() : "NULL", type) << text;
    EXPECT_EQ(literal->text, rendered) << text;
  };
  check("1", "INTEGER", "1");
  check("2147483647", "INTEGER", "2147483647");
  check("-2147483648", "INTEGER", "-2147483648");
  check("2147483648", "BIGINT", "2147483648");
  check("-9223372036854775808", "BIGINT", "-9223372036854775808");
  check("1.5", "DECIMAL(2, 1)", "1.5");
  check("0.5", "DECIMAL(1, 1)", "0.5");
  check("-12.50", "DECIMAL(4, 2)", "-12.50");
  check(".05", "DECIMAL(2, 2)", "0.05");
  check("1.5E3", "DOUBLE", "1500.0");
  check("1e10", "DOUBLE", "1.0E10");
  check("'it''s'", "STRING", "'it''s'");
  check("TRUE", "BOOLEAN", "true");
  check("null", "NULL", "null");

  EXPECT_EQ(expr("7")->literal, Value(int32_t{7}));
  EXPECT_EQ(expr("3000000000")->literal, Value(int64_t{3000000000}));
  EXPECT_EQ(expr("1.25")->literal, Value(Decimal{125, 2}));
  EXPECT_EQ(expr("2.5e-1")->literal, Value(0.25));
  EXPECT_EQ(expr("'it''s'")->literal, Value("it's"));
  EXPECT_TRUE(expr("NULL")->literal.isNull());
}

TEST(SqlParserTest, ResolvesIdentifiersAndSkipsComments) {
  auto select = parseAs<SelectStatement>(
      "select `MixedCase`, \"Quoted\", plain -- a comment; with a semicolon\n"
      "/* a block\n comment */ FROM `my-stream`");
  const Query& q = select.query;
  EXPECT_EQ(q.select[0].expression->name, "MixedCase");
  EXPECT_EQ(q.select[1].expression->name, "Quoted");
  EXPECT_EQ(q.select[2].expression->name, "PLAIN");
  EXPECT_EQ(q.from.name, "my-stream");
  EXPECT_EQ(render("`select`"), "`select`");
  EXPECT_EQ(render("`SELECT` + second + MaterializeD_x"), "((`SELECT` + SECOND) + MATERIALIZED_X)");
  EXPECT_NE(parseError("SELECT MilliSeconds FROM s").find("\"MilliSeconds\" is a reserved keyword"), std::string::npos);
  EXPECT_NE(parseError("SELECT a FROM materialized").find("reserved keyword"), std::string::npos);
}

// ---- Scripts and variables -------------------------------------------------------------------

TEST(SqlParserTest, SplitsScriptsAtTopLevelSemicolons) {
  auto statements = splitStatements(
      "-- header; comment\nCREATE STREAM s (v STRING) WITH (kafka_topic='a;b');\n"
      "  /* ; */ SELECT `x;y` FROM s;;\nSHOW STREAMS");
  ASSERT_TRUE(statements.isOk()) << statements.status().message();
  ASSERT_EQ(statements->size(), 3u);
  EXPECT_EQ((*statements)[0].text, "CREATE STREAM s (v STRING) WITH (kafka_topic='a;b');");
  EXPECT_EQ((*statements)[0].location.line, 2);
  EXPECT_EQ((*statements)[1].text, "SELECT `x;y` FROM s;");
  EXPECT_EQ((*statements)[1].location.line, 3);
  EXPECT_EQ((*statements)[1].location.column, 11);
  EXPECT_EQ((*statements)[2].text, "SHOW STREAMS");

  auto unterminated = splitStatements("SELECT 'abc FROM s;");
  ASSERT_FALSE(unterminated.isOk());
  EXPECT_EQ(unterminated.status().message(), "line 1:8: Syntax Error\nunterminated string literal");
  EXPECT_FALSE(splitStatements("SELECT 1 /* open").isOk());
  EXPECT_TRUE(splitStatements("  -- nothing\n").value().empty());
}

TEST(SqlParserTest, ReportsErrorsAtTheScriptsPositions) {
  auto statements = splitStatements("SHOW STREAMS;\nSELECT a, from s;");
  ASSERT_TRUE(statements.isOk());
  auto statement = parseStatement((*statements)[1]);
  ASSERT_FALSE(statement.isOk());
  EXPECT_EQ(statement.status().message(),
            "line 2:11: Syntax Error\n\"from\" is a reserved keyword and it can't be used as an identifier. You can "
            "use it as an identifier by escaping it as `from`");
}

TEST(SqlParserTest, SubstitutesVariables) {
  std::map<std::string, std::string> variables = {{"topic", "pageviews"}, {"FORMAT", "JSON"}};
  auto text = substituteVariables("CREATE STREAM ${TOPIC} WITH (kafka_topic='${topic}', format='${format}')", variables);
  ASSERT_TRUE(text.isOk());
  EXPECT_EQ(*text, "CREATE STREAM pageviews WITH (kafka_topic='pageviews', format='JSON')");
  EXPECT_EQ(substituteVariables("no variables, ${ unclosed", variables).value(), "no variables, ${ unclosed");
  std::map<std::string, std::string> quoted = {{"name", "it's"}};
  EXPECT_EQ(substituteVariables("SELECT '${name}', 'a''${name}' FROM `${name}`", quoted).value(),
            "SELECT 'it''s', 'a''it''s' FROM `it's`");
  auto undefined = substituteVariables("SELECT ${nope} FROM s", variables);
  ASSERT_FALSE(undefined.isOk());
  EXPECT_EQ(undefined.status().message(), "Variable 'nope' is not defined");
}

// ---- Errors ----------------------------------------------------------------------------------

TEST(SqlParserTest, WordsErrorsAsKsqlDbDoes) {
  EXPECT_EQ(parseError("ASSERT VALUES foo (id INT) VALUES (123);"),
            "line 1:8: Syntax Error\nSyntax error at or near 'VALUES' at line 1:8");
  EXPECT_EQ(parseError("FOO BAR"), "line 1:1: Syntax Error\nSyntax error at or near 'FOO' at line 1:1");
  EXPECT_EQ(parseError("CREATE STREAM OUTPUT AS SELECT ID, cast(f0 as NULL) FROM TEST;"),
            "line 1:47: Syntax Error\nSyntax error at or near 'NULL' at line 1:47");
  EXPECT_EQ(parseError("CREATE STREAM INPUT (K VARCHAR (KEY)) WITH (kafka_topic='input',value_format='JSON');"),
            "line 1:33: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}");
  EXPECT_EQ(parseError("CREATE TABLE OUTPUT AS SELECT f1, COUNT(*) FROM TEST GROUP BY f3, (f2, f1);"),
            "line 1:70: Syntax Error\nmissing ')' at ','");
  auto script = splitStatements(
      "CREATE STREAM TEST (ID INT KEY, f1 INT, f2 VARCHAR, f3 INT) WITH (kafka_topic='test_topic');\n"
      "CREATE TABLE OUTPUT AS SELECT f1, f2, COUNT(*) FROM TEST GROUP BY f3, (f2, f1);");
  ASSERT_TRUE(script.isOk());
  auto grouping = parseStatement(script->at(1));
  ASSERT_FALSE(grouping.isOk());
  EXPECT_EQ(grouping.status().message(), "line 2:74: Syntax Error\nmissing ')' at ','");
  EXPECT_NE(parseError("CREATE TABLE OUTPUT AS SELECT COUNT(*) FROM TEST GROUP BY DATA AND ID;")
                .find("Syntax error at or near 'AND'"),
            std::string::npos);
  EXPECT_EQ(parseError("SELECT 9223372036854775808 FROM s;"),
            "line 1:9: Invalid numeric literal: 9223372036854775808");
  EXPECT_EQ(parseError("SELECT -9223372036854775809 FROM s;"),
            "line 1:10: Invalid numeric literal: -9223372036854775809");
  EXPECT_EQ(parseError("SELECT -1.7976931348623160E308 FROM s;"),
            "line 1:10: Number overflows DOUBLE: -1.7976931348623160E308");
  EXPECT_EQ(parseError("SELECT 1.123456789012345678901234567890123456789 FROM s;"),
            "line 1:9: Invalid numeric literal: 1.123456789012345678901234567890123456789");
  EXPECT_EQ(parseError("SELECT * FROM"), "line 1:14: Syntax Error\nSyntax error at or near '<EOF>' at line 1:14");
  EXPECT_EQ(parseError("DROP STREAM IF s"), "line 1:16: Syntax Error\nmismatched input 's' expecting 'EXISTS'");
  EXPECT_EQ(parseError("SELECT a # b FROM s"), "line 1:10: Syntax Error\ntoken recognition error at: '#'");
  EXPECT_EQ(parseError("SELECT * FROM s\nWHERE a = = b"), "line 2:11: Syntax Error\nSyntax error at or near '=' at line 2:11");
  EXPECT_EQ(parseError(""), "line 1:1: Syntax Error\nSyntax error at or near '<EOF>' at line 1:1");
}

TEST(SqlParserTest, RejectsDeepNestingWithoutExhaustingTheStack) {
  std::string nested(20000, '(');
  EXPECT_NE(parseError("SELECT " + nested + " FROM s").find("nests deeper than"), std::string::npos);
  std::string chain = "SELECT 1";
  for (int i = 0; i < 20000; ++i) chain += " + 1";
  EXPECT_NE(parseError(chain + " FROM s").find("nests deeper than"), std::string::npos);
  std::string types = "CREATE STREAM s (a ";
  for (int i = 0; i < 10000; ++i) types += "ARRAY<";
  EXPECT_NE(parseError(types).find("nests deeper than"), std::string::npos);
  for (std::string_view prefix : {"NOT ", "- ", "+"}) {
    std::string prefixes = "SELECT ";
    for (int i = 0; i < 20000; ++i) prefixes += prefix;
    EXPECT_NE(parseError(prefixes + "a FROM s").find("nests deeper than"), std::string::npos) << prefix;
  }
  // Nesting within the limit parses.
  EXPECT_EQ(render(std::string(50, '(') + "1" + std::string(50, ')')), "1");
}

}  // namespace
}  // namespace runnel::sql
