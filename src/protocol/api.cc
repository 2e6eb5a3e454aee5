#include "protocol/api.h"

#include <algorithm>
#include <array>
#include <climits>

namespace runnel::protocol {
namespace {

// Sorted by key. The ranges are the ones the broker implements; the flexible boundary
// comes from Kafka's message definitions.
//
// Produce and Fetch start at v0 although only magic-2 record batches (Produce v3+,
// Fetch v4+) are stored: librdkafka derives its "MsgVer1" feature from Produce v2 and
// Fetch v2 being advertised, and without it refuses to send gzip, snappy or lz4 batches
// ("Broker does not support compression type"). The message definitions decode every
// version; old-format message sets in v0-2 fail record batch validation.
constexpr std::array kApis = {
    ApiSupport{ApiKey::kProduce, 0, 7, 9},
    ApiSupport{ApiKey::kFetch, 0, 11, 12},
    ApiSupport{ApiKey::kListOffsets, 0, 3, 6},
    ApiSupport{ApiKey::kMetadata, 0, 8, 9},
    ApiSupport{ApiKey::kOffsetCommit, 0, 7, 8},
    ApiSupport{ApiKey::kOffsetFetch, 0, 7, 6},
    ApiSupport{ApiKey::kFindCoordinator, 0, 2, 3},
    ApiSupport{ApiKey::kJoinGroup, 0, 5, 6},
    ApiSupport{ApiKey::kHeartbeat, 0, 3, 4},
    ApiSupport{ApiKey::kLeaveGroup, 0, 3, 4},
    ApiSupport{ApiKey::kSyncGroup, 0, 3, 4},
    ApiSupport{ApiKey::kDescribeGroups, 0, 4, 5},
    ApiSupport{ApiKey::kListGroups, 0, 4, 3},
    ApiSupport{ApiKey::kApiVersions, 0, 3, 3},
    ApiSupport{ApiKey::kCreateTopics, 0, 4, 5},
    ApiSupport{ApiKey::kDeleteTopics, 0, 3, 4},
    ApiSupport{ApiKey::kDeleteRecords, 0, 1, 2},
    ApiSupport{ApiKey::kInitProducerId, 0, 4, 2},
    ApiSupport{ApiKey::kDescribeConfigs, 0, 2, 4},
    ApiSupport{ApiKey::kAlterConfigs, 0, 0, 2},
    ApiSupport{ApiKey::kCreatePartitions, 0, 1, 2},
    ApiSupport{ApiKey::kDeleteGroups, 0, 2, 2},
    ApiSupport{ApiKey::kOffsetDelete, 0, 0, INT16_MAX},
};
static_assert(std::is_sorted(kApis.begin(), kApis.end(),
                             [](const ApiSupport& a, const ApiSupport& b) { return a.key < b.key; }));

}  // namespace

std::span<const ApiSupport> supportedApis() { return kApis; }

const ApiSupport* findApi(int16_t api_key) {
  for (const auto& api : kApis) {
    if (static_cast<int16_t>(api.key) == api_key) return &api;
  }
  return nullptr;
}

bool isFlexible(int16_t api_key, int16_t api_version) {
  const ApiSupport* api = findApi(api_key);
  return api && api_version >= api->first_flexible_version;
}

Result<RequestHeader> decodeRequestHeader(ByteSpan frame, size_t& body_offset) {
  RequestHeader header;
  Decoder decoder(frame, 1, false);
  decoder.int16(header.api_key);
  decoder.int16(header.api_version);
  decoder.int32(header.correlation_id);
  decoder.nullableString(header.client_id);
  if (!decoder.ok()) return Status::corruption("request header is truncated");
  const ApiSupport* api = findApi(header.api_key);
  bool known_version =
      api && header.api_version >= api->min_version && header.api_version <= api->max_version;
  if (known_version && header.api_version >= api->first_flexible_version) {
    ByteReader tags(frame.subspan(decoder.position()));
    uint64_t count = tags.uvarint();
    for (uint64_t i = 0; i < count && tags.ok(); ++i) {
      tags.uvarint();
      tags.skip(size_t(tags.uvarint()));
    }
    if (!tags.ok()) return Status::corruption("request header tagged fields are truncated");
    body_offset = decoder.position() + tags.position();
  } else {
    body_offset = decoder.position();
  }
  return header;
}

}  // namespace runnel::protocol
