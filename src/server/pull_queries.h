#pragma once

#include "net/http.h"
#include "server/query_framing.h"
#include "sql/engine.h"

namespace runnel::server {

// Answers a pull query (a SELECT without EMIT CHANGES) in one response: the header, the
// rows the table holds now, and for a stream's pull query its final message. The caller
// holds the engine's lock.
net::Response runPullQuery(sql::Engine& engine, const sql::Statement& statement, sql::Session& session,
                           PushFraming framing);

}  // namespace runnel::server
