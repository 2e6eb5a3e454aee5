#include "streams/interactive_queries.h"

#include "common/properties.h"

namespace runnel::streams {

Result<HostInfo> HostInfo::parse(const std::string& host_port) {
  auto colon = host_port.rfind(':');
  std::optional<int64_t> port;
  if (colon != std::string::npos && colon > 0) port = parseInt64(std::string_view(host_port).substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) {
    return Status::invalidArgument("Invalid value " + host_port +
                                   " for configuration application.server: expected host:port");
  }
  return HostInfo{host_port.substr(0, colon), static_cast<int32_t>(*port)};
}

}  // namespace runnel::streams
