#pragma once

// One librdkafka admin request, run synchronously. Private to this module: include only
// from .cc files, so that rdkafka.h stays out of the public headers.

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <functional>

#include "common/status.h"

namespace runnel::client::rdkafka {

// Starts the request with `start` on fresh options (request timeout set to `timeout`)
// and a private queue, waits for the result event and hands it to `check`. A missing
// event, an event-level error or an unexpected event type is returned as an error
// without calling `check`.
Status runAdminRequest(rd_kafka_t* rk, std::chrono::milliseconds timeout, rd_kafka_admin_op_t op,
                       rd_kafka_event_type_t expected,
                       const std::function<void(rd_kafka_AdminOptions_t*, rd_kafka_queue_t*)>& start,
                       const std::function<Status(rd_kafka_event_t*)>& check);

}  // namespace runnel::client::rdkafka
