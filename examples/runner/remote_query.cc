#include "runner/remote_query.h"

#include <algorithm>

#include "common/json_writer.h"

namespace runnel::examples {

net::Response jsonError(int status, std::string_view message) {
  std::string body;
  json::Writer writer(body);
  writer.startObject();
  writer.writeKey("error");
  writer.writeString(message);
  writer.endObject();
  return net::Response::json(status, std::move(body));
}

RemoteQueries::RemoteQueries(const streams::KafkaStreams& streams, streams::HostInfo self)
    : streams_(streams), self_(std::move(self)) {}

net::Response RemoteQueries::forward(const streams::HostInfo& owner, const net::Request& request) {
  if (auto by = request.header(kForwardedHeader)) {
    return jsonError(503, "the key is moving between instances: " + std::string(*by) + " sent it here, " +
                              owner.toString() + " holds it now");
  }
  net::Headers headers{{kForwardedHeader, self_.toString()}};
  auto answer = client_.request("GET", "http://" + owner.toString() + request.target, {}, headers, kForwardTimeout);
  if (!answer.isOk()) {
    return jsonError(503, "instance " + owner.toString() + " holds the key but did not answer: " +
                              answer.status().message());
  }
  net::Response relayed;
  relayed.status = answer->status;
  relayed.content_type = std::move(answer->content_type);
  relayed.body = std::move(answer->body);
  return relayed;
}

bool RemoteQueries::runsPartition(int32_t partition) const {
  // Task ids are "<sub-topology>_<partition>". The store lives in one sub-topology, so a
  // task of another one on the same partition could stand in for it; the examples'
  // stores all sit in a single-sub-topology application, where this is exact.
  std::string suffix = "_" + std::to_string(partition);
  auto tasks = streams_.activeTaskIds();
  return std::any_of(tasks.begin(), tasks.end(), [&](const std::string& id) { return id.ends_with(suffix); });
}

net::HttpServerOptions queryServerOptions(const streams::HostInfo& self) {
  net::HttpServerOptions options;
  options.host = self.host;
  options.port = static_cast<uint16_t>(self.port);
  options.io_threads = 4;
  return options;
}

}  // namespace runnel::examples
