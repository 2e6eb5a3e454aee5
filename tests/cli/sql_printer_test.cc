// The shell's rendering of DESCRIBE FUNCTION's and EXPLAIN's entities, as the ksql CLI
// lays them out.
#include "cli/sql_printer.h"

#include <gtest/gtest.h>

#include <sstream>

namespace runnel::cli {
namespace {

std::string render(const std::string& entities) {
  std::ostringstream out;
  SqlPrinter printer(out, OutputFormat::kTabular);
  EXPECT_TRUE(printer.printEntities(entities).isOk());
  return out.str();
}

TEST(SqlPrinterTest, DescribeFunctionPrintsEveryVariation) {
  std::string out = render(R"([{"@type":"describe_function","name":"CONCAT","description":"Joins strings.",
      "author":"Confluent","version":"","path":"internal","type":"SCALAR","functions":[
      {"arguments":[{"name":"inputs","type":"VARCHAR","description":"","isVariadic":true}],
       "returnType":"VARCHAR","description":"Concatenates.","argumentTypes":["VARCHAR"]}],
      "statementText":"DESCRIBE FUNCTION concat;","warnings":[]}])");
  EXPECT_EQ(out,
            "\n"
            "Name        : CONCAT\n"
            "Author      : Confluent\n"
            "Overview    : Joins strings.\n"
            "Type        : SCALAR\n"
            "Jar         : internal\n"
            "Variations  : \n"
            "\n"
            "\tVariation   : CONCAT(inputs VARCHAR[])\n"
            "\tReturns     : VARCHAR\n"
            "\tDescription : Concatenates.\n");
}

TEST(SqlPrinterTest, QueryDescriptionPrintsSchemaSourcesSinksPlanAndTopology) {
  std::string out = render(R"([{"@type":"queryDescription","queryDescription":{"id":"CSAS_B_0",
      "statementText":"CREATE STREAM b AS SELECT * FROM a;","windowType":null,
      "fields":[{"name":"ID","schema":{"type":"INTEGER","fields":null,"memberSchema":null},"type":"KEY"},
                {"name":"V","schema":{"type":"STRING","fields":null,"memberSchema":null}}],
      "sources":["A"],"sinks":["B"],"topology":"Topologies: ...","executionPlan":" > [ SINK ] ...",
      "overriddenProperties":{},"queryType":"PERSISTENT","state":"RUNNING"},
      "statementText":"EXPLAIN CSAS_B_0;","warnings":[]}])");
  EXPECT_NE(out.find("ID                   : CSAS_B_0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Query Type           : PERSISTENT\n"), std::string::npos) << out;
  EXPECT_NE(out.find("SQL                  : CREATE STREAM b AS SELECT * FROM a;\n"), std::string::npos) << out;
  EXPECT_NE(out.find(" ID    | INTEGER (key)   "), std::string::npos) << out;
  EXPECT_NE(out.find(" V     | VARCHAR(STRING) "), std::string::npos) << out;
  EXPECT_NE(out.find("Sources that this query reads from: \n-----------------------------------\nA\n"),
            std::string::npos) << out;
  EXPECT_NE(out.find("Sinks that this query writes to: \n-----------------------------------\nB\n"),
            std::string::npos) << out;
  EXPECT_NE(out.find("Execution plan      \n--------------      \n > [ SINK ] ...\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Processing topology \n------------------- \nTopologies: ...\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("Overridden Properties"), std::string::npos) << out;
}

}  // namespace
}  // namespace runnel::cli
