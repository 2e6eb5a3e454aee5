// The internal encoding of values (repartition and changelog topics, aggregation state):
//
//   record := varint(count) value*
//   value  := tag payload
//
// where each tag names a Value alternative and its payload follows: nothing (NULL, FALSE,
// TRUE), a zigzag varint (INT, BIGINT, DATE, TIME, TIMESTAMP), 8 little-endian bytes of the
// IEEE double (DOUBLE), zigzag varint scale then zigzag varint of the 128-bit unscaled
// value (DECIMAL), varint length then the bytes (STRING, BYTES), varint count then the
// items (ARRAY, STRUCT) or key-value pairs (MAP). Varints are LEB128. The encoding names
// no types, so it round-trips every value exactly without a schema.
#include <fmt/format.h>

#include <cstring>

#include "sql/row_format.h"

namespace runnel::sql {
namespace {

enum Tag : uint8_t {
  kNull,
  kFalse,
  kTrue,
  kInt,
  kBigint,
  kDouble,
  kDecimal,
  kString,
  kBytes,
  kDate,
  kTime,
  kTimestamp,
  kArray,
  kMap,
  kStruct,
};

// Garbage must fail, not recurse until the stack runs out.
constexpr int kMaxDepth = 100;

using Uint128 = unsigned __int128;

Uint128 zigzag(__int128 v) {
  return (static_cast<Uint128>(v) << 1) ^ static_cast<Uint128>(v >> 127);
}
__int128 unzigzag(Uint128 v) {
  return static_cast<__int128>(v >> 1) ^ -static_cast<__int128>(v & 1);
}

void putVarint(Uint128 v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(v) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void putTagged(Tag tag, Uint128 varint, std::string& out) {
  out.push_back(static_cast<char>(tag));
  putVarint(varint, out);
}

void encodeValue(const Value& value, std::string& out) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out.push_back(static_cast<char>(kNull));
        } else if constexpr (std::is_same_v<T, bool>) {
          out.push_back(static_cast<char>(v ? kTrue : kFalse));
        } else if constexpr (std::is_same_v<T, int32_t>) {
          putTagged(kInt, zigzag(v), out);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          putTagged(kBigint, zigzag(v), out);
        } else if constexpr (std::is_same_v<T, double>) {
          out.push_back(static_cast<char>(kDouble));
          uint64_t bits;
          std::memcpy(&bits, &v, sizeof bits);
          for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(bits >> (8 * i)));
        } else if constexpr (std::is_same_v<T, Decimal>) {
          putTagged(kDecimal, zigzag(v.scale), out);
          putVarint(zigzag(v.unscaled), out);
        } else if constexpr (std::is_same_v<T, std::string>) {
          putTagged(kString, v.size(), out);
          out.append(v);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          putTagged(kBytes, v.data.size(), out);
          out.append(v.data);
        } else if constexpr (std::is_same_v<T, Date>) {
          putTagged(kDate, zigzag(v.days), out);
        } else if constexpr (std::is_same_v<T, Time>) {
          putTagged(kTime, zigzag(v.millis), out);
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          putTagged(kTimestamp, zigzag(v.millis), out);
        } else if constexpr (std::is_same_v<T, ArrayPtr>) {
          putTagged(kArray, v->items.size(), out);
          for (const Value& item : v->items) encodeValue(item, out);
        } else if constexpr (std::is_same_v<T, MapPtr>) {
          putTagged(kMap, v->entries.size(), out);
          for (const auto& [key, item] : v->entries) {
            encodeValue(key, out);
            encodeValue(item, out);
          }
        } else {
          putTagged(kStruct, v->fields.size(), out);
          for (const Value& field : v->fields) encodeValue(field, out);
        }
      },
      value.storage());
}

class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : bytes_(bytes) {}

  bool atEnd() const { return pos_ == bytes_.size(); }

  // A count of values that follow, each at least one byte: larger is garbage, and must
  // not size an allocation.
  Status count(size_t& out) {
    Uint128 v;
    RUNNEL_RETURN_IF_ERROR(varint(v, 64));
    if (v > bytes_.size() - pos_) return corrupt("count larger than the record");
    out = static_cast<size_t>(v);
    return Status::ok();
  }

  Status value(Value& out, int depth) {
    if (depth > kMaxDepth) return corrupt("values nested too deeply");
    if (pos_ == bytes_.size()) return corrupt("truncated");
    auto tag = static_cast<uint8_t>(bytes_[pos_++]);
    switch (tag) {
      case kNull:
        out = Value();
        return Status::ok();
      case kFalse:
        out = false;
        return Status::ok();
      case kTrue:
        out = true;
        return Status::ok();
      case kInt:
        return integer<int32_t>(out, [](int32_t v) { return Value(v); });
      case kBigint:
        return integer<int64_t>(out, [](int64_t v) { return Value(v); });
      case kDate:
        return integer<int32_t>(out, [](int32_t v) { return Value(Date{v}); });
      case kTime:
        return integer<int64_t>(out, [](int64_t v) { return Value(Time{v}); });
      case kTimestamp:
        return integer<int64_t>(out, [](int64_t v) { return Value(Timestamp{v}); });
      case kDouble: {
        if (bytes_.size() - pos_ < 8) return corrupt("truncated");
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
          bits |= uint64_t(static_cast<uint8_t>(bytes_[pos_ + i])) << (8 * i);
        pos_ += 8;
        double d;
        std::memcpy(&d, &bits, sizeof d);
        out = d;
        return Status::ok();
      }
      case kDecimal: {
        Uint128 scale;
        Uint128 unscaled;
        RUNNEL_RETURN_IF_ERROR(varint(scale, 32));
        RUNNEL_RETURN_IF_ERROR(varint(unscaled, 128));
        out = Decimal{unzigzag(unscaled), static_cast<int32_t>(unzigzag(scale))};
        return Status::ok();
      }
      case kString: {
        std::string_view text;
        RUNNEL_RETURN_IF_ERROR(lengthPrefixed(text));
        out = std::string(text);
        return Status::ok();
      }
      case kBytes: {
        std::string_view data;
        RUNNEL_RETURN_IF_ERROR(lengthPrefixed(data));
        out = Bytes{std::string(data)};
        return Status::ok();
      }
      case kArray:
      case kStruct: {
        size_t n;
        RUNNEL_RETURN_IF_ERROR(count(n));
        std::vector<Value> items(n);
        for (Value& item : items) RUNNEL_RETURN_IF_ERROR(value(item, depth + 1));
        out = tag == kArray ? Value::array(std::move(items)) : Value::structOf(std::move(items));
        return Status::ok();
      }
      case kMap: {
        size_t n;
        RUNNEL_RETURN_IF_ERROR(count(n));
        std::vector<std::pair<Value, Value>> entries(n);
        for (auto& [key, item] : entries) {
          RUNNEL_RETURN_IF_ERROR(value(key, depth + 1));
          RUNNEL_RETURN_IF_ERROR(value(item, depth + 1));
        }
        out = Value::map(std::move(entries));
        return Status::ok();
      }
      default:
        return corrupt(fmt::format("unknown value tag {}", tag));
    }
  }

 private:
  static Status corrupt(std::string_view what) {
    return Status::corruption(fmt::format("Malformed internal record: {}", what));
  }

  // A LEB128 varint of at most `bits` significant bits.
  Status varint(Uint128& out, int bits) {
    out = 0;
    for (int shift = 0;; shift += 7) {
      if (pos_ == bytes_.size()) return corrupt("truncated");
      auto byte = static_cast<uint8_t>(bytes_[pos_++]);
      if (shift >= bits ||
          (shift > 0 && bits - shift < 7 && (byte & 0x7f) >> (bits - shift) != 0)) {
        return corrupt("varint out of range");
      }
      out |= static_cast<Uint128>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return Status::ok();
    }
  }

  template <class Int, class Make>
  Status integer(Value& out, Make make) {
    Uint128 v;
    RUNNEL_RETURN_IF_ERROR(varint(v, sizeof(Int) * 8));
    out = make(static_cast<Int>(unzigzag(v)));
    return Status::ok();
  }

  Status lengthPrefixed(std::string_view& out) {
    Uint128 length;
    RUNNEL_RETURN_IF_ERROR(varint(length, 64));
    if (length > bytes_.size() - pos_) return corrupt("truncated");
    out = bytes_.substr(pos_, static_cast<size_t>(length));
    pos_ += static_cast<size_t>(length);
    return Status::ok();
  }

  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace

void encodeValues(const std::vector<Value>& values, std::string& out) {
  putVarint(values.size(), out);
  for (const Value& value : values) encodeValue(value, out);
}

Status decodeValues(std::string_view bytes, std::vector<Value>& out) {
  Decoder decoder(bytes);
  size_t n;
  RUNNEL_RETURN_IF_ERROR(decoder.count(n));
  out.resize(n);
  for (Value& value : out) RUNNEL_RETURN_IF_ERROR(decoder.value(value, 0));
  if (!decoder.atEnd()) return Status::corruption("Malformed internal record: trailing bytes");
  return Status::ok();
}

}  // namespace runnel::sql
