#pragma once

// A blocking Kafka-protocol client over a plain socket, for tests that need to send
// exact frames (malformed ones included) and read the raw answers.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "common/bytes.h"
#include "protocol/api.h"

namespace runnel::testing {

class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~RawClient() { ::close(fd_); }

  bool connected() const { return connected_; }

  bool sendRaw(ByteSpan bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += size_t(n);
    }
    return true;
  }

  // The body of the next response frame (after size and correlation id); nullopt when
  // the broker closed the connection.
  std::optional<Bytes> receive(int32_t* correlation_id = nullptr) {
    Bytes size(4);
    if (!readExactly(size)) return std::nullopt;
    Bytes frame(loadBe32(size.data()));
    if (frame.size() < 4 || !readExactly(frame)) return std::nullopt;
    if (correlation_id) *correlation_id = int32_t(loadBe32(frame.data()));
    return Bytes(frame.begin() + 4, frame.end());
  }

  // Sends `request` at `version` and decodes the response as Resp. Views in the response
  // (fetched records) point into this client and stay valid until the next call.
  template <typename Resp, typename Req>
  std::optional<Resp> call(const Req& request, int16_t version) {
    Bytes frame;
    protocol::encodeRequestFrame(request, version, ++correlation_id_, std::string("raw-client"), frame);
    if (!sendRaw(frame)) return std::nullopt;
    int32_t correlation = 0;
    auto body = receive(&correlation);
    if (!body || correlation != correlation_id_) return std::nullopt;
    last_body_ = std::move(*body);
    ByteSpan view(last_body_);
    bool flexible = version >= Resp::kFirstFlexibleVersion;
    if (flexible && Resp::kApiKey != protocol::ApiKey::kApiVersions) view = view.subspan(1);  // empty header tags
    Resp response;
    if (!protocol::decodeBody(view, version, response).isOk()) return std::nullopt;
    return response;
  }

 private:
  bool readExactly(Bytes& out) {
    size_t got = 0;
    while (got < out.size()) {
      ssize_t n = ::recv(fd_, out.data() + got, out.size() - got, 0);
      if (n <= 0) return false;
      got += size_t(n);
    }
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  int32_t correlation_id_ = 0;
  Bytes last_body_;
};

}  // namespace runnel::testing
