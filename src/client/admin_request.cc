#include "client/admin_request.h"

#include <string>

#include "client/rdkafka_support.h"

namespace runnel::client::rdkafka {

Status runAdminRequest(rd_kafka_t* rk, std::chrono::milliseconds timeout, rd_kafka_admin_op_t op,
                       rd_kafka_event_type_t expected,
                       const std::function<void(rd_kafka_AdminOptions_t*, rd_kafka_queue_t*)>& start,
                       const std::function<Status(rd_kafka_event_t*)>& check) {
  char errstr[512];
  int timeout_ms = static_cast<int>(timeout.count());
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, op);
  rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms, errstr, sizeof errstr);
  // Create/delete answer once the change is visible in the cluster's metadata, so that
  // a describe right after a create sees the topic.
  if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS ||
      op == RD_KAFKA_ADMIN_OP_CREATEPARTITIONS) {
    rd_kafka_AdminOptions_set_operation_timeout(options, timeout_ms, errstr, sizeof errstr);
  }
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  start(options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, timeout_ms + 5000);
  Status status;
  if (event == nullptr) {
    status = toStatus(RD_KAFKA_RESP_ERR__TIMED_OUT, "no response from the cluster in time");
  } else if (rd_kafka_event_error(event)) {
    status = toStatus(rd_kafka_event_error(event), rd_kafka_event_error_string(event));
  } else if (rd_kafka_event_type(event) != expected) {
    status = Status::internal("unexpected admin event " + std::string(rd_kafka_event_name(event)));
  } else {
    status = check(event);
  }
  if (event) rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  rd_kafka_AdminOptions_destroy(options);
  return status;
}

}  // namespace runnel::client::rdkafka
