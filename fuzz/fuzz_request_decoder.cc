// Fuzzes the request path of the broker: a frame (without its size prefix) goes through
// decodeRequestHeader and then decodeBody of the API it names, at the version it names.
// A body that decodes must re-encode to a canonical form that is a fixed point.

#include <cstdint>
#include <cstdlib>

#include "protocol/api.h"
#include "request_types.h"

using namespace runnel;
using namespace runnel::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteSpan frame(data, size);
  size_t body_offset = 0;
  auto header = decodeRequestHeader(frame, body_offset);
  if (!header.isOk()) return 0;
  if (body_offset > frame.size()) std::abort();
  ByteSpan body = frame.subspan(body_offset);
  int16_t version = header->api_version;
  fuzz::withRequestType(header->api_key, [&]<typename Msg>(int16_t max_version) {
    if (version < 0 || version > max_version) return;
    Msg msg;
    if (!decodeBody(body, version, msg).isOk()) return;
    bool flexible = version >= Msg::kFirstFlexibleVersion;
    Bytes first;
    Encoder(first, version, flexible).structure(msg);
    Msg again;
    if (!decodeBody(first, version, again).isOk()) std::abort();
    Bytes second;
    Encoder(second, version, flexible).structure(again);
    if (first != second) std::abort();
  });
  return 0;
}
