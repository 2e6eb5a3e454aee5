// DESCRIBE FUNCTION, EXPLAIN, PAUSE / RESUME, ALTER and the sink's WITH (TIMESTAMP) on the
// engine over topology test drivers: what they answer, what they change, and ksqlDB's errors.
#include <gtest/gtest.h>

#include "sql/ast.h"
#include "sql/engine.h"
#include "sql/engine/metastore.h"
#include "sql/row_format.h"
#include "sql/testing/driver_environment.h"

namespace runnel::sql {
namespace {

using Kind = StatementResult::Kind;
using Strings = std::vector<std::string>;

class EngineStatementsTest : public ::testing::Test {
 protected:
  void run(const std::string& script) {
    auto result = engine_.executeScript(script, session_);
    ASSERT_TRUE(result.isOk()) << result.status().message();
  }

  StatementResult execute(const std::string& statement) {
    auto result = engine_.execute(statement, session_);
    EXPECT_TRUE(result.isOk()) << statement << ": " << result.status().message();
    return result.isOk() ? *result : StatementResult{};
  }

  std::string error(const std::string& statement) {
    auto result = engine_.execute(statement, session_);
    EXPECT_FALSE(result.isOk()) << statement;
    return result.isOk() ? "" : result.status().message();
  }

  Strings values(const std::string& topic) {
    Strings out;
    for (const auto& record : environment_.records(topic)) out.push_back(record.value.value_or("<null>"));
    return out;
  }

  std::string queryState(const std::string& id) {
    for (const auto& query : execute("SHOW QUERIES;").queries) {
      if (query.id == id) return query.state;
    }
    return "<none>";
  }

  Strings rows(const std::string& pull_query) {
    Strings out;
    auto statement = engine_.prepare(pull_query, session_);
    EXPECT_TRUE(statement.isOk());
    auto result = engine_.executePullQuery(*statement, session_);
    EXPECT_TRUE(result.isOk()) << result.status().message();
    if (!result.isOk()) return out;
    for (const auto& row : result->rows) {
      std::string line;
      for (size_t i = 0; i < row.values.size(); ++i) {
        std::string json;
        appendRestJson(row.values[i], *result->column_types[i], json);
        line += (i > 0 ? "|" : "") + json;
      }
      out.push_back(line);
    }
    return out;
  }

  testing::DriverEnvironment environment_{false};
  Engine engine_{environment_, {}};
  Session session_;
};

// ---- DESCRIBE FUNCTION -------------------------------------------------------------

TEST_F(EngineStatementsTest, DescribeFunctionListsEveryVariantWithItsArguments) {
  StatementResult result = execute("DESCRIBE FUNCTION substring;");
  ASSERT_EQ(result.kind, Kind::kFunctionDescription);
  ASSERT_TRUE(result.function.has_value());
  EXPECT_EQ(result.function->name, "SUBSTRING");
  EXPECT_EQ(result.function->type, "SCALAR");
  ASSERT_EQ(result.function->variants.size(), 4u);
  const auto& first = result.function->variants[0];
  EXPECT_EQ(first.return_type, "VARCHAR");
  ASSERT_EQ(first.argument_list.size(), 2u);
  EXPECT_EQ(first.argument_list[0].name, "str");
  EXPECT_EQ(first.argument_list[0].type, "VARCHAR");
  EXPECT_EQ(first.argument_list[1].name, "pos");
  EXPECT_EQ(first.argument_list[1].type, "INT");
  EXPECT_FALSE(first.argument_list[1].variadic);
  EXPECT_FALSE(result.changes_catalog);

  // A variadic parameter is listed with its element type.
  auto concat = execute("DESCRIBE FUNCTION CONCAT;").function;
  ASSERT_TRUE(concat.has_value());
  ASSERT_EQ(concat->variants[0].argument_list.size(), 1u);
  EXPECT_EQ(concat->variants[0].argument_list[0].type, "VARCHAR");
  EXPECT_TRUE(concat->variants[0].argument_list[0].variadic);

  // An aggregate's literal parameters follow its column parameters.
  auto topk = execute("DESCRIBE FUNCTION topk;").function;
  ASSERT_TRUE(topk.has_value());
  EXPECT_EQ(topk->type, "AGGREGATE");
  ASSERT_EQ(topk->variants[0].argument_list.size(), 2u);
  EXPECT_EQ(topk->variants[0].argument_list[1].name, "k");

  EXPECT_EQ(error("DESCRIBE FUNCTION nope;"), "Can't find any functions with the name 'NOPE'");
}

// ---- CREATE ... WITH (TIMESTAMP) AS SELECT ----------------------------------------------

TEST_F(EngineStatementsTest, SinkTimestampColumnSetsTheTimesWritten) {
  run("CREATE STREAM events (id BIGINT KEY, seen BIGINT, seen_text STRING) WITH (kafka_topic='events', "
      "value_format='JSON', partitions=1);"
      "SET 'auto.offset.reset'='earliest';"
      "CREATE STREAM by_seen WITH (TIMESTAMP='SEEN') AS SELECT * FROM events;"
      "CREATE STREAM by_key WITH (TIMESTAMP='ID') AS SELECT * FROM events;"
      "CREATE STREAM by_text WITH (TIMESTAMP='SEEN_TEXT', TIMESTAMP_FORMAT='yyyy-MM-dd HH:mm:ss') AS "
      "SELECT id, seen_text FROM events;"
      "INSERT INTO events (ROWTIME, id, seen, seen_text) VALUES (5, 1, 1000, '1970-01-01 00:00:02');"
      "INSERT INTO events (ROWTIME, id, seen, seen_text) VALUES (6, -2, -1, 'not a time');"
      "INSERT INTO events (ROWTIME, id, seen, seen_text) VALUES (7, 3, NULL, NULL);");
  auto times = [&](const std::string& topic) {
    std::vector<int64_t> out;
    for (const auto& record : environment_.records(topic)) out.push_back(record.timestamp);
    return out;
  };
  // Records without a valid time in the column are not written.
  EXPECT_EQ(times("BY_SEEN"), std::vector<int64_t>{1000});
  EXPECT_EQ(times("BY_KEY"), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(times("BY_TEXT"), std::vector<int64_t>{2000});
  // The new stream's queries read the column as its record time.
  EXPECT_EQ(execute("DESCRIBE by_seen;").description->timestamp_column, "SEEN");

  EXPECT_EQ(error("CREATE STREAM bad WITH (TIMESTAMP='NOPE') AS SELECT * FROM events;"),
            "The TIMESTAMP column set in the WITH clause does not exist in the schema: 'NOPE'");
}

// ---- EXPLAIN ------------------------------------------------------------------------

TEST_F(EngineStatementsTest, ExplainDescribesARunningQuery) {
  run("CREATE STREAM s1 (id INT KEY, name STRING, age INT) WITH (kafka_topic='s1', value_format='JSON', "
      "partitions=1);"
      "SET 'auto.offset.reset'='earliest';"
      "CREATE STREAM s2 AS SELECT id, UCASE(name) AS name FROM s1 WHERE age > 20;");
  StatementResult result = execute("EXPLAIN CSAS_S2_0;");
  ASSERT_EQ(result.kind, Kind::kQueryDescription);
  ASSERT_TRUE(result.query_description.has_value());
  const QueryDescription& query = *result.query_description;
  EXPECT_EQ(query.id, "CSAS_S2_0");
  EXPECT_EQ(query.statement_text, "CREATE STREAM s2 AS SELECT id, UCASE(name) AS name FROM s1 WHERE age > 20;");
  EXPECT_EQ(query.query_type, "PERSISTENT");
  EXPECT_EQ(query.state, "RUNNING");
  EXPECT_EQ(query.sources, Strings{"S1"});
  EXPECT_EQ(query.sinks, Strings{"S2"});
  ASSERT_EQ(query.fields.size(), 2u);
  EXPECT_EQ(query.fields[0].name, "ID");
  EXPECT_EQ(query.fields[0].key, "KEY");
  EXPECT_EQ(query.fields[1].name, "NAME");
  EXPECT_EQ(query.fields[1].type, "STRING");
  EXPECT_EQ(query.execution_plan,
            " > [ SINK ] | Schema: ID INTEGER KEY, NAME STRING | Logger: CSAS_S2_0.S2\n"
            "\t\t > [ PROJECT ] | Schema: ID INTEGER KEY, NAME STRING | Logger: CSAS_S2_0.Project\n"
            "\t\t\t\t > [ FILTER ] | Schema: ID INTEGER KEY, NAME STRING, AGE INTEGER | Logger: "
            "CSAS_S2_0.WhereFilter\n"
            "\t\t\t\t\t\t > [ SOURCE ] | Schema: ID INTEGER KEY, NAME STRING, AGE INTEGER | Logger: "
            "CSAS_S2_0.KsqlTopic.Source\n");
  EXPECT_NE(query.topology.find("Sub-topology: 0"), std::string::npos) << query.topology;
  EXPECT_NE(query.topology.find("[s1]"), std::string::npos) << query.topology;
  EXPECT_EQ(query.overridden_properties, (std::map<std::string, std::string>{{"auto.offset.reset", "earliest"}}));
  EXPECT_FALSE(result.changes_catalog);

  EXPECT_EQ(error("EXPLAIN CSAS_NOPE_9;"),
            "Query with id:CSAS_NOPE_9 does not exist, use SHOW QUERIES to view the full set of queries.");
}

TEST_F(EngineStatementsTest, ExplainPlansAStatementWithoutRunningIt) {
  run("CREATE STREAM clicks (user STRING KEY, page STRING) WITH (kafka_topic='clicks', value_format='JSON', "
      "partitions=1);");
  StatementResult result =
      execute("EXPLAIN CREATE TABLE counts AS SELECT user, COUNT(*) AS n FROM clicks GROUP BY user;");
  ASSERT_TRUE(result.query_description.has_value());
  const QueryDescription& planned = *result.query_description;
  EXPECT_EQ(planned.id, "CTAS_COUNTS_0");
  EXPECT_EQ(planned.state, "");
  EXPECT_EQ(planned.sinks, Strings{"COUNTS"});
  EXPECT_EQ(planned.fields.size(), 2u);
  EXPECT_NE(planned.execution_plan.find("> [ AGGREGATE ]"), std::string::npos) << planned.execution_plan;
  EXPECT_NE(planned.execution_plan.find("> [ GROUP_BY ]"), std::string::npos) << planned.execution_plan;
  EXPECT_NE(planned.topology.find("KSTREAM-AGGREGATE"), std::string::npos) << planned.topology;
  // Nothing ran: no query, no table, no topic.
  EXPECT_TRUE(execute("SHOW QUERIES;").queries.empty());
  EXPECT_EQ(engine_.metaStore().source("COUNTS"), nullptr);
  EXPECT_FALSE(environment_.describeTopic("COUNTS").has_value());
  // The id EXPLAIN showed is the one the statement gets.
  EXPECT_EQ(execute("CREATE TABLE counts AS SELECT user, COUNT(*) AS n FROM clicks GROUP BY user;").query_id,
            "CTAS_COUNTS_0");

  auto push = execute("EXPLAIN SELECT page FROM clicks EMIT CHANGES;").query_description;
  ASSERT_TRUE(push.has_value());
  EXPECT_EQ(push->query_type, "PUSH");
  EXPECT_TRUE(push->sinks.empty());
  EXPECT_EQ(push->execution_plan.rfind(" > [ PROJECT ]", 0), 0u) << push->execution_plan;

  // Planning fails as running would.
  EXPECT_EQ(error("EXPLAIN INSERT INTO counts SELECT * FROM clicks;"),
            "INSERT INTO can only be used to insert into a stream. COUNTS is a table.");
  EXPECT_EQ(error("EXPLAIN CREATE STREAM other (a INT) WITH (kafka_topic='other', value_format='JSON');"),
            "The provided statement does not run a ksql query");
}

// ---- PAUSE / RESUME -----------------------------------------------------------------

TEST_F(EngineStatementsTest, PausedQueriesHoldTheirInputUntilResumed) {
  run("CREATE STREAM input (id INT KEY, v INT) WITH (kafka_topic='input', value_format='JSON', partitions=1);"
      "CREATE STREAM output AS SELECT id, v * 10 AS v FROM input;"
      "INSERT INTO input (id, v) VALUES (1, 1);");
  ASSERT_EQ(values("OUTPUT"), Strings{R"({"V":10})"});

  StatementResult paused = execute("PAUSE CSAS_OUTPUT_0;");
  EXPECT_EQ(paused.message, "Query paused.");
  EXPECT_TRUE(paused.changes_catalog);
  EXPECT_EQ(queryState("CSAS_OUTPUT_0"), "PAUSED");
  run("INSERT INTO input (id, v) VALUES (2, 2); INSERT INTO input (id, v) VALUES (3, 3);");
  EXPECT_EQ(values("OUTPUT"), Strings{R"({"V":10})"});

  StatementResult resumed = execute("RESUME CSAS_OUTPUT_0;");
  EXPECT_EQ(resumed.message, "Query resumed.");
  EXPECT_TRUE(resumed.changes_catalog);
  EXPECT_EQ(queryState("CSAS_OUTPUT_0"), "RUNNING");
  EXPECT_EQ(values("OUTPUT"), (Strings{R"({"V":10})", R"({"V":20})", R"({"V":30})"}));

  EXPECT_EQ(error("PAUSE CSAS_NOPE_7;"), "Unknown queryId: CSAS_NOPE_7");
  EXPECT_EQ(error("RESUME CSAS_NOPE_7;"), "Unknown queryId: CSAS_NOPE_7");
}

TEST_F(EngineStatementsTest, PauseAllAndResumeAll) {
  run("CREATE STREAM input (id INT KEY, v INT) WITH (kafka_topic='input', value_format='JSON', partitions=1);"
      "CREATE STREAM a AS SELECT * FROM input;"
      "CREATE STREAM b AS SELECT * FROM input;"
      "PAUSE ALL;"
      "INSERT INTO input (id, v) VALUES (1, 1);");
  EXPECT_EQ(queryState("CSAS_A_0"), "PAUSED");
  EXPECT_EQ(queryState("CSAS_B_1"), "PAUSED");
  EXPECT_TRUE(values("A").empty());
  EXPECT_TRUE(values("B").empty());
  run("RESUME ALL;");
  EXPECT_EQ(queryState("CSAS_A_0"), "RUNNING");
  EXPECT_EQ(values("A"), Strings{R"({"V":1})"});
  EXPECT_EQ(values("B"), Strings{R"({"V":1})"});
}

// ---- ALTER --------------------------------------------------------------------------

TEST_F(EngineStatementsTest, AlterAddsValueColumnsThatNewQueriesRead) {
  run("CREATE STREAM people (id INT KEY, name STRING) WITH (kafka_topic='people', value_format='JSON', "
      "partitions=1);");
  StatementResult altered = execute("ALTER STREAM people ADD COLUMN age INT, ADD nick STRING;");
  EXPECT_EQ(altered.message, "Stream PEOPLE altered.");
  EXPECT_TRUE(altered.changes_catalog);

  auto description = execute("DESCRIBE people;").description;
  ASSERT_TRUE(description.has_value());
  Strings fields;
  for (const auto& field : description->fields) fields.push_back(field.name + " " + field.type);
  EXPECT_EQ(fields, (Strings{"ID INTEGER", "NAME STRING", "AGE INTEGER", "NICK STRING"}));
  EXPECT_EQ(description->statement_text, "ALTER STREAM people ADD COLUMN age INT, ADD nick STRING;");

  run("CREATE STREAM adults AS SELECT id, name, age FROM people WHERE age >= 18;"
      "INSERT INTO people (id, name, age) VALUES (1, 'ann', 30);"
      "INSERT INTO people (id, name, age) VALUES (2, 'bob', 10);");
  EXPECT_EQ(values("ADULTS"), Strings{R"({"NAME":"ann","AGE":30})"});
}

TEST_F(EngineStatementsTest, AlterFollowsKsqlRules) {
  run("CREATE STREAM s (id INT KEY, name STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);"
      "CREATE STREAM derived AS SELECT * FROM s;");
  EXPECT_EQ(error("ALTER STREAM s ADD COLUMN name STRING;"),
            "Cannot add column `NAME` to schema. A column with the same name already exists.");
  EXPECT_EQ(error("ALTER STREAM s ADD COLUMN id STRING;"),
            "Cannot add column `ID` to schema. A column with the same name already exists.");
  EXPECT_EQ(error("ALTER STREAM derived ADD COLUMN x INT;"),
            "ALTER command is not supported for CREATE ... AS statements.");
  EXPECT_EQ(error("ALTER TABLE s ADD COLUMN x INT;"), "Incompatible data source type is STREAM, but statement was ALTER TABLE");
  EXPECT_EQ(error("ALTER STREAM nope ADD COLUMN x INT;"), "Source NOPE does not exist.");
  // A failed ALTER changes nothing.
  EXPECT_EQ(engine_.metaStore().source("S")->schema.value.size(), 1u);
}

TEST_F(EngineStatementsTest, AlteredSourceTableIsReadAgainWithTheNewColumn) {
  run("CREATE SOURCE TABLE users (id INT PRIMARY KEY, name STRING) WITH (kafka_topic='users', "
      "value_format='JSON', partitions=1);");
  ASSERT_TRUE(environment_.produce("users", {std::string("\0\0\0\1", 4), R"({"NAME":"ann","CITY":"Oslo"})", 1, {}}).isOk());
  EXPECT_EQ(rows("SELECT * FROM users WHERE id = 1;"), Strings{R"(1|"ann")"});
  execute("ALTER TABLE users ADD COLUMN city STRING;");
  EXPECT_EQ(rows("SELECT * FROM users WHERE id = 1;"), Strings{R"(1|"ann"|"Oslo")"});
  // The table is still materialized by exactly one query.
  EXPECT_EQ(execute("SHOW QUERIES;").queries.size(), 1u);
}

}  // namespace
}  // namespace runnel::sql
