#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sql/engine.h"

namespace runnel::server {

// ksqlDB's REST error codes.
inline constexpr int kBadRequest = 40000;
inline constexpr int kBadStatement = 40001;
inline constexpr int kServerError = 50000;

// The JSON entity of one statement's result, as ksqlDB's /ksql returns it ("@type":
// "currentStatus", "streams", "tables", "queries", "kafka_topics", "properties",
// "sourceDescription", ...). `sequence` is the command's number in the command topic.
void appendEntity(const sql::StatementResult& result, int64_t sequence, std::string& out);

// {"@type": "statement_error", "error_code": ..., "message": ..., "statementText": ...,
// "entities": [...]} - with the entities of the statements that ran before the failure.
std::string statementError(const std::string& message, const std::string& statement_text,
                           const std::vector<std::string>& entities);
// {"@type": "generic_error", "error_code": ..., "message": ...}.
std::string genericError(int code, const std::string& message);

}  // namespace runnel::server
