#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/bytes.h"
#include "common/result.h"
#include "protocol/codec.h"

namespace runnel::protocol {

// Kafka API keys, by their wire values.
enum class ApiKey : int16_t {
  kProduce = 0,
  kFetch = 1,
  kListOffsets = 2,
  kMetadata = 3,
  kOffsetCommit = 8,
  kOffsetFetch = 9,
  kFindCoordinator = 10,
  kJoinGroup = 11,
  kHeartbeat = 12,
  kLeaveGroup = 13,
  kSyncGroup = 14,
  kDescribeGroups = 15,
  kListGroups = 16,
  kApiVersions = 18,
  kCreateTopics = 19,
  kDeleteTopics = 20,
  kDeleteRecords = 21,
  kInitProducerId = 22,
  kDescribeConfigs = 32,
  kAlterConfigs = 33,
  kCreatePartitions = 37,
  kDeleteGroups = 42,
  kOffsetDelete = 47,
};

// The version range this project serves for an API, and where its flexible versions
// begin (INT16_MAX when none of the served versions is flexible).
struct ApiSupport {
  ApiKey key;
  int16_t min_version;
  int16_t max_version;
  int16_t first_flexible_version;
};

// Every API the broker answers, ascending by key; what ApiVersions advertises.
std::span<const ApiSupport> supportedApis();
// nullptr for an API the broker does not serve.
const ApiSupport* findApi(int16_t api_key);

struct RequestHeader {
  int16_t api_key = 0;
  int16_t api_version = 0;
  int32_t correlation_id = 0;
  std::optional<std::string> client_id;
};

// Decodes the header of a request frame (the bytes after the 4-byte size prefix) and
// returns the offset of the body. Header v2 (with tagged fields) is used for flexible
// versions of served APIs; for an API or version we do not serve, only the fixed v1 part
// is read, which is enough to answer with an error.
Result<RequestHeader> decodeRequestHeader(ByteSpan frame, size_t& body_offset);
// Whether requests of this API at this version use flexible encoding.
bool isFlexible(int16_t api_key, int16_t api_version);

// Decodes a whole message body; fails on truncated input or trailing garbage.
template <typename Msg>
Status decodeBody(ByteSpan body, int16_t version, Msg& out) {
  Decoder decoder(body, version, version >= Msg::kFirstFlexibleVersion);
  decoder.structure(out);
  if (!decoder.ok()) return Status::corruption("truncated or malformed request body");
  if (!decoder.atEnd()) return Status::corruption("trailing bytes after request body");
  return Status::ok();
}

// Appends a whole response frame: size prefix, response header, body. ApiVersions always
// uses response header v0 (no tagged fields), as clients expect.
template <typename Msg>
void encodeResponseFrame(const Msg& msg, int16_t version, int32_t correlation_id, Bytes& out) {
  ByteWriter w(out);
  size_t size_at = w.placeholder(4);
  w.be32(uint32_t(correlation_id));
  bool flexible = version >= Msg::kFirstFlexibleVersion;
  if (flexible && Msg::kApiKey != ApiKey::kApiVersions) w.uvarint(0);
  Encoder encoder(out, version, flexible);
  encoder.structure(msg);
  storeBe32(out.data() + size_at, uint32_t(out.size() - size_at - 4));
}

// Appends a whole request frame; used by tests, fuzz seeds and benchmarks.
template <typename Msg>
void encodeRequestFrame(const Msg& msg, int16_t version, int32_t correlation_id,
                        const std::optional<std::string>& client_id, Bytes& out) {
  ByteWriter w(out);
  size_t size_at = w.placeholder(4);
  w.be16(uint16_t(Msg::kApiKey));
  w.be16(uint16_t(version));
  w.be32(uint32_t(correlation_id));
  // The client id stays a classic nullable string even in header v2.
  Encoder(out, version, false).nullableString(client_id);
  bool flexible = version >= Msg::kFirstFlexibleVersion;
  if (flexible) w.uvarint(0);
  Encoder encoder(out, version, flexible);
  encoder.structure(msg);
  storeBe32(out.data() + size_at, uint32_t(out.size() - size_at - 4));
}

}  // namespace runnel::protocol
