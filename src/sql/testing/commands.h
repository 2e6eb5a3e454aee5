#pragma once

namespace runnel::sql {

// `runnel test-runner -s statements.sql -i input.json -o output.json`: ksqlDB's
// ksql-test-runner, on topology test drivers (no broker).
int testRunnerMain(int argc, char** argv);
// `runnel conformance`: runs ksqlDB's query-validation-test files and prints pass / fail
// / skip per file and in total; --min-pass fails the run below a recorded count.
int conformanceMain(int argc, char** argv);

}  // namespace runnel::sql
