#pragma once

#include <mutex>

#include "net/http.h"
#include "sql/engine.h"

namespace runnel::server {

// POST /inserts-stream, as ksqlDB's InsertsStreamHandler: the body is newline-delimited
// JSON, {"target": "S"} then one object per row; each row is produced into the stream and
// answered by an ack, {"status":"ok","seq":N}, or by {"status":"error","seq":N,
// "errorCode":...,"message":...} for a row that cannot be inserted (the next rows still
// are). A line that is not JSON ends the response, as in ksqlDB. The acks are
// newline-delimited, or a JSON array when the client accepts application/json only.
// The whole request body is read before the first row is inserted (the HTTP server does
// not stream request bodies).
net::Response insertsStream(sql::Engine& engine, std::mutex& engine_mutex, const net::Request& request);

}  // namespace runnel::server
