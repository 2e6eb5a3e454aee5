// Pull queries on the engine over topology test drivers: lookups, scans, their order and
// ksqlDB's errors.
#include <gtest/gtest.h>

#include "sql/ast.h"
#include "sql/engine.h"
#include "sql/row_format.h"
#include "sql/testing/driver_environment.h"

namespace runnel::sql {
namespace {

class PullQueryTest : public ::testing::Test {
 protected:
  void run(const std::string& script) {
    auto result = engine_.executeScript(script, session_);
    ASSERT_TRUE(result.isOk()) << result.status().message();
  }

  Result<Engine::PullQueryResult> pull(const std::string& text) {
    RUNNEL_ASSIGN_OR_RETURN(auto statement, engine_.prepare(text, session_));
    return engine_.executePullQuery(statement, session_);
  }

  // The rows as text, "a|1" per row.
  std::vector<std::string> rows(const std::string& text) {
    auto result = pull(text);
    EXPECT_TRUE(result.isOk()) << result.status().message();
    std::vector<std::string> out;
    if (!result.isOk()) return out;
    for (const auto& row : result->rows) {
      std::string line;
      for (size_t i = 0; i < row.values.size(); ++i) {
        if (i > 0) line += "|";
        std::string json;
        appendRestJson(row.values[i], *result->column_types[i], json);
        line += json.front() == '"' ? json.substr(1, json.size() - 2) : json;
      }
      out.push_back(line);
    }
    return out;
  }

  testing::DriverEnvironment environment_{false};
  Engine engine_{environment_, {}};
  Session session_;
};

TEST_F(PullQueryTest, LooksUpAggregatesByKeyWithHavingAndRowtime) {
  run("CREATE STREAM clicks (user VARCHAR KEY, page VARCHAR) WITH (kafka_topic='clicks', value_format='JSON', "
      "partitions=1);"
      "CREATE TABLE counts AS SELECT user, COUNT(*) AS n FROM clicks GROUP BY user HAVING COUNT(*) > 1;"
      "INSERT INTO clicks (user, page, ROWTIME) VALUES ('ann', 'a', 100);"
      "INSERT INTO clicks (user, page, ROWTIME) VALUES ('ann', 'b', 300);"
      "INSERT INTO clicks (user, page, ROWTIME) VALUES ('ann', 'c', 200);"
      "INSERT INTO clicks (user, page, ROWTIME) VALUES ('bob', 'a', 100);");
  EXPECT_EQ(rows("SELECT * FROM counts WHERE user = 'ann';"), std::vector<std::string>{"ann|3"});
  // bob's one click fails HAVING: he is not in the table.
  EXPECT_TRUE(rows("SELECT * FROM counts WHERE user = 'bob';").empty());
  EXPECT_TRUE(rows("SELECT * FROM counts WHERE user = 'nobody';").empty());
  // ROWTIME is the latest time folded into the group.
  EXPECT_EQ(rows("SELECT n, ROWTIME FROM counts WHERE user IN ('ann', 'bob');"), std::vector<std::string>{"3|300"});
  auto result = pull("SELECT * FROM counts WHERE user = 'ann';");
  ASSERT_TRUE(result.isOk());
  EXPECT_EQ(result->column_names, (std::vector<std::string>{"USER", "N"}));
  EXPECT_EQ(result->key_columns, (std::vector<bool>{true, false}));
}

TEST_F(PullQueryTest, ScansInPartitionThenKeyOrderWithLimitAndFilters) {
  run("CREATE TABLE input (id STRING PRIMARY KEY, rank INT) WITH (kafka_topic='input', value_format='JSON', "
      "partitions=4);"
      "CREATE TABLE doubled AS SELECT id, rank * 2 AS twice FROM input WHERE rank > 0;"
      "INSERT INTO input (id, rank) VALUES ('11', 1);"
      "INSERT INTO input (id, rank) VALUES ('10', 2);"
      "INSERT INTO input (id, rank) VALUES ('12', 3);"
      "INSERT INTO input (id, rank) VALUES ('13', -1);");
  // murmur2 puts '11' in partition 0, '10' and '12' in partition 2 of four.
  EXPECT_EQ(rows("SELECT * FROM doubled;"), (std::vector<std::string>{"11|2", "10|4", "12|6"}));
  EXPECT_EQ(rows("SELECT * FROM doubled LIMIT 2;"), (std::vector<std::string>{"11|2", "10|4"}));
  EXPECT_EQ(rows("SELECT id FROM doubled WHERE twice >= 4;"), (std::vector<std::string>{"10", "12"}));
  EXPECT_EQ(rows("SELECT * FROM doubled WHERE id IN ('12', '10', '13');"), (std::vector<std::string>{"12|6", "10|4"}));
  // An update of the source shows in the result.
  run("INSERT INTO input (id, rank) VALUES ('12', 5);");
  EXPECT_EQ(rows("SELECT * FROM doubled WHERE id = '12';"), std::vector<std::string>{"12|10"});
}

TEST_F(PullQueryTest, SourceTablesAreQueryablePlainTablesAreNot) {
  run("CREATE SOURCE TABLE users (id INT PRIMARY KEY, name STRING) WITH (kafka_topic='users', "
      "value_format='JSON', partitions=1);"
      "CREATE TABLE plain (id INT PRIMARY KEY, name STRING) WITH (kafka_topic='plain', value_format='JSON', "
      "partitions=1);");
  ASSERT_TRUE(environment_.produce("users", {std::string("\0\0\0\1", 4), R"({"NAME":"ann"})", 5, {}}).isOk());
  EXPECT_EQ(rows("SELECT * FROM users WHERE id = 1;"), std::vector<std::string>{"1|ann"});
  auto plain = pull("SELECT * FROM plain WHERE id = 1;");
  ASSERT_FALSE(plain.isOk());
  EXPECT_NE(plain.status().message().find("The `PLAIN` table isn't queryable."), std::string::npos);
}

TEST_F(PullQueryTest, RejectsWhatPullQueriesCannotDo) {
  run("CREATE SOURCE TABLE users (id INT PRIMARY KEY, name STRING) WITH (kafka_topic='users', "
      "value_format='JSON', partitions=1);");
  auto error = [&](const std::string& text) {
    auto result = pull(text);
    return result.isOk() ? std::string("no error") : result.status().message();
  };
  EXPECT_NE(error("SELECT id, ROWPARTITION FROM users;")
                .find("Pull queries don't support the following columns in SELECT clauses: `ROWPARTITION`"),
            std::string::npos);
  EXPECT_NE(error("SELECT name, COUNT(*) FROM users GROUP BY name;").find("Pull queries don't support GROUP BY"),
            std::string::npos);
  EXPECT_NE(error("SELECT * FROM users WHERE id IN ('x', 2);").find("invalid input syntax for type INTEGER"),
            std::string::npos);
  EXPECT_NE(error("SELECT * FROM users WHERE id IN ('10', 2);")
                .find("'10' can not be converted to the type of the key column: ID INTEGER KEY"),
            std::string::npos);
  session_.properties["ksql.query.pull.table.scan.enabled"] = "false";
  EXPECT_NE(error("SELECT * FROM users;").find("Query requires table scan to be enabled"), std::string::npos);
  EXPECT_EQ(error("SELECT * FROM users WHERE id = 1;"), "no error");
}

}  // namespace
}  // namespace runnel::sql
