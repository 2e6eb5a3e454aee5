#include "broker/group/group_codec.h"

namespace runnel::broker::group {
namespace {

constexpr int16_t kGroupValueVersion = 3;

void writeString(ByteWriter& w, const std::string& s) {
  w.be16(uint16_t(s.size()));
  w.raw(s);
}

void writeNullableString(ByteWriter& w, const std::optional<std::string>& s) {
  if (!s) {
    w.be16(uint16_t(-1));
    return;
  }
  writeString(w, *s);
}

void writeBytes(ByteWriter& w, const Bytes& b) {
  w.be32(uint32_t(b.size()));
  w.raw(ByteSpan(b));
}

std::optional<std::string> readNullableString(ByteReader& r) {
  int16_t n = int16_t(r.be16());
  if (n < 0) return std::nullopt;
  return std::string(asStringView(r.bytes(size_t(n))));
}

std::string readString(ByteReader& r) { return readNullableString(r).value_or(""); }

Bytes readBytes(ByteReader& r) {
  int32_t n = int32_t(r.be32());
  if (n <= 0) return {};
  ByteSpan span = r.bytes(size_t(n));
  return Bytes(span.begin(), span.end());
}

}  // namespace

Bytes encodeGroupRecord(const GroupRecord& record) {
  Bytes out;
  ByteWriter w(out);
  w.be16(uint16_t(kGroupValueVersion));
  writeString(w, record.protocol_type);
  w.be32(uint32_t(record.generation));
  writeNullableString(w, record.protocol_name);
  writeNullableString(w, record.leader);
  w.be64(uint64_t(record.state_timestamp_ms));
  w.be32(uint32_t(record.members.size()));
  for (const auto& m : record.members) {
    writeString(w, m.member_id);
    writeNullableString(w, m.group_instance_id);
    writeString(w, m.client_id);
    writeString(w, m.client_host);
    w.be32(uint32_t(m.rebalance_timeout_ms));
    w.be32(uint32_t(m.session_timeout_ms));
    writeBytes(w, m.subscription);
    writeBytes(w, m.assignment);
  }
  return out;
}

std::optional<GroupRecord> decodeGroupRecord(ByteSpan value) {
  ByteReader r(value);
  int16_t version = int16_t(r.be16());
  if (!r.ok() || version < 0 || version > kGroupValueVersion) return std::nullopt;
  GroupRecord record;
  record.protocol_type = readString(r);
  record.generation = int32_t(r.be32());
  record.protocol_name = readNullableString(r);
  record.leader = readNullableString(r);
  if (version >= 2) record.state_timestamp_ms = int64_t(r.be64());
  int32_t count = int32_t(r.be32());
  for (int32_t i = 0; i < count && r.ok(); ++i) {
    GroupRecord::MemberRecord m;
    m.member_id = readString(r);
    if (version >= 3) m.group_instance_id = readNullableString(r);
    m.client_id = readString(r);
    m.client_host = readString(r);
    if (version >= 1) m.rebalance_timeout_ms = int32_t(r.be32());
    m.session_timeout_ms = int32_t(r.be32());
    if (version == 0) m.rebalance_timeout_ms = m.session_timeout_ms;
    m.subscription = readBytes(r);
    m.assignment = readBytes(r);
    record.members.push_back(std::move(m));
  }
  if (!r.ok()) return std::nullopt;
  return record;
}

std::vector<std::string> subscriptionTopics(ByteSpan metadata) {
  ByteReader r(metadata);
  r.be16();  // version: every version starts with the topic array
  int32_t count = int32_t(r.be32());
  std::vector<std::string> topics;
  for (int32_t i = 0; i < count && r.ok(); ++i) topics.push_back(readString(r));
  if (!r.ok()) return {};
  return topics;
}

}  // namespace runnel::broker::group
