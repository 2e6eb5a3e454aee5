#pragma once

#include "broker/request_context.h"
#include "common/status.h"

namespace runnel::broker {

// Routes a request to its API's handler, which answers through `responder` (now or
// later). An error Status means the request could not be understood: the connection
// is closed after logging it, as Kafka does.
Status dispatch(BrokerContext& context, Request request, Responder responder);

}  // namespace runnel::broker
