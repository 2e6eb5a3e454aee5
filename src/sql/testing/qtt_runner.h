#pragma once

#include <optional>
#include <string>

#include "sql/testing/qtt_case.h"

namespace runnel::sql::testing {

enum class Verdict : unsigned char { kPass, kFail, kSkip };

struct CaseResult {
  Verdict verdict = Verdict::kPass;
  std::string detail;  // why it failed or was skipped
};

// Runs one case as ksqlDB's test tools do: the statements on a fresh engine over topology
// test drivers, the inputs piped in their topics' formats, then the outputs compared per
// topic in order (key, value, and timestamp / headers where the case gives them) and the
// catalog checked against `post`. Cases that need a schema registry format are skipped.
CaseResult runTestCase(const TestCase& test);

// A case of ksqlDB's REST query-validation tests (qtt-rest/): the statements before the
// first SELECT run as one script, the inputs are produced, then each SELECT runs as a
// pull or push query; every response is compared with the expected one, then the outputs.
CaseResult runRestTestCase(const TestCase& test);

}  // namespace runnel::sql::testing

namespace runnel::sql {
class MetaStore;
}

namespace runnel::sql::testing {

class DriverEnvironment;

// What both runners share.
bool needsSchemaRegistry(const TestCase& test);
// Produces the case's inputs, each in the formats of the first source on its topic.
Status produceInputs(const TestCase& test, DriverEnvironment& environment, const MetaStore& metastore);
// The first difference between the case's expected outputs and the topics' records.
std::optional<std::string> compareOutputs(const TestCase& test, DriverEnvironment& environment,
                                          const MetaStore& metastore);

}  // namespace runnel::sql::testing
