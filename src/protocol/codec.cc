#include "protocol/codec.h"

#include <bit>
#include <cstring>

namespace runnel::protocol {

void Decoder::float64(double& v) { v = std::bit_cast<double>(in_.be64()); }

void Decoder::uuid(Uuid& v) {
  ByteSpan b = in_.bytes(v.size());
  if (in_.ok()) std::memcpy(v.data(), b.data(), v.size());
}

int64_t Decoder::arrayLength() {
  int64_t n = flexible_ ? int64_t(in_.uvarint()) - 1 : int64_t(int32_t(in_.be32()));
  if (!in_.ok()) return -2;
  if (n < -1 || (n > 0 && uint64_t(n) > in_.remaining())) {
    in_.fail();
    return -2;
  }
  return n;
}

int64_t Decoder::stringLength() {
  int64_t n = flexible_ ? int64_t(in_.uvarint()) - 1 : int64_t(int16_t(in_.be16()));
  if (!in_.ok()) return -2;
  if (n < -1 || (n > 0 && uint64_t(n) > in_.remaining())) {
    in_.fail();
    return -2;
  }
  return n;
}

void Decoder::string(std::string& v) {
  int64_t n = stringLength();
  if (n < 0) {
    if (n == -1) in_.fail();  // null in a non-nullable string
    return;
  }
  v.assign(asStringView(in_.bytes(size_t(n))));
}

void Decoder::nullableString(std::optional<std::string>& v) {
  int64_t n = stringLength();
  if (n < 0) {
    v.reset();
    return;
  }
  v.emplace(asStringView(in_.bytes(size_t(n))));
}

void Decoder::bytes(Bytes& v) {
  std::optional<ByteSpan> view;
  records(view);
  if (view) v.assign(view->begin(), view->end());
  else v.clear();
}

void Decoder::nullableBytes(std::optional<Bytes>& v) {
  std::optional<ByteSpan> view;
  records(view);
  if (view) v.emplace(view->begin(), view->end());
  else v.reset();
}

void Decoder::records(std::optional<ByteSpan>& v) {
  int64_t n = flexible_ ? int64_t(in_.uvarint()) - 1 : int64_t(int32_t(in_.be32()));
  if (!in_.ok() || n < -1 || (n > 0 && uint64_t(n) > in_.remaining())) {
    in_.fail();
    v.reset();
    return;
  }
  if (n == -1) v.reset();
  else v = in_.bytes(size_t(n));
}

void Decoder::taggedFields(std::vector<TaggedField>& out) {
  uint64_t count = in_.uvarint();
  if (count > in_.remaining()) {
    in_.fail();
    return;
  }
  out.clear();
  for (uint64_t i = 0; i < count && in_.ok(); ++i) {
    TaggedField field;
    field.tag = uint32_t(in_.uvarint());
    uint64_t size = in_.uvarint();
    ByteSpan data = in_.bytes(size_t(size));
    field.data.assign(data.begin(), data.end());
    out.push_back(std::move(field));
  }
}

void Encoder::float64(const double& v) { out_.be64(std::bit_cast<uint64_t>(v)); }

void Encoder::arrayLength(int64_t n) {
  if (flexible_) out_.uvarint(uint64_t(n + 1));
  else out_.be32(uint32_t(int32_t(n)));
}

void Encoder::stringLength(int64_t n) {
  if (flexible_) out_.uvarint(uint64_t(n + 1));
  else out_.be16(uint16_t(int16_t(n)));
}

void Encoder::string(const std::string& v) {
  stringLength(int64_t(v.size()));
  out_.raw(v);
}

void Encoder::nullableString(const std::optional<std::string>& v) {
  if (!v) {
    stringLength(-1);
    return;
  }
  string(*v);
}

void Encoder::records(const std::optional<ByteSpan>& v) {
  int64_t n = v ? int64_t(v->size()) : -1;
  if (flexible_) out_.uvarint(uint64_t(n + 1));
  else out_.be32(uint32_t(int32_t(n)));
  if (v) out_.raw(*v);
}

void Encoder::bytes(const Bytes& v) { records(ByteSpan(v)); }

void Encoder::nullableBytes(const std::optional<Bytes>& v) {
  if (!v) {
    records(std::nullopt);
    return;
  }
  records(ByteSpan(*v));
}

void Encoder::taggedFields(const std::vector<TaggedField>& fields) {
  out_.uvarint(fields.size());
  for (const auto& f : fields) {
    out_.uvarint(f.tag);
    out_.uvarint(f.data.size());
    out_.raw(ByteSpan(f.data));
  }
}

}  // namespace runnel::protocol
