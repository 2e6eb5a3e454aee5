#pragma once

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

}  // namespace runnel::sql::testing
