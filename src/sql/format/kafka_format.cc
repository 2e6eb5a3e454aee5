// KAFKA: one column as Kafka's own serializers write it (IntegerSerializer, LongSerializer,
// DoubleSerializer: big-endian; StringSerializer: UTF-8; BYTES as they are).
#include <fmt/format.h>

#include <cstring>

#include "common/bytes.h"
#include "sql/format/formats.h"

namespace runnel::sql {
namespace {

class KafkaFormat final : public RowFormat {
 public:
  // kind: the single column's type.
  explicit KafkaFormat(TypeKind kind) : kind_(kind) {}

  Status read(std::optional<std::string_view> bytes, std::vector<Value>& out) const override {
    out.resize(1);
    if (!bytes) {
      out[0] = Value();
      return Status::ok();
    }
    const auto* data = reinterpret_cast<const uint8_t*>(bytes->data());
    switch (kind_) {
      case TypeKind::kInt:
        if (bytes->size() != 4) return sizeError("IntegerDeserializer", 4);
        out[0] = static_cast<int32_t>(loadBe32(data));
        return Status::ok();
      case TypeKind::kBigint:
        if (bytes->size() != 8) return sizeError("LongDeserializer", 8);
        out[0] = static_cast<int64_t>(loadBe64(data));
        return Status::ok();
      case TypeKind::kDouble: {
        if (bytes->size() != 8) return sizeError("DoubleDeserializer", 8);
        uint64_t bits = loadBe64(data);
        double value;
        std::memcpy(&value, &bits, sizeof value);
        out[0] = value;
        return Status::ok();
      }
      case TypeKind::kString:
        assignText(out[0], *bytes);
        return Status::ok();
      default:
        out[0] = Bytes{std::string(*bytes)};
        return Status::ok();
    }
  }

  bool write(const std::vector<Value>& values, std::string& out) const override {
    if (values[0].isNull()) return false;
    const Value& value = values[0];
    size_t at = out.size();
    switch (kind_) {
      case TypeKind::kInt:
        out.resize(at + 4);
        storeBe32(reinterpret_cast<uint8_t*>(out.data() + at),
                  static_cast<uint32_t>(value.asInt()));
        break;
      case TypeKind::kBigint:
        out.resize(at + 8);
        storeBe64(reinterpret_cast<uint8_t*>(out.data() + at),
                  static_cast<uint64_t>(value.asBigint()));
        break;
      case TypeKind::kDouble: {
        uint64_t bits;
        double d = value.asDouble();
        std::memcpy(&bits, &d, sizeof bits);
        out.resize(at + 8);
        storeBe64(reinterpret_cast<uint8_t*>(out.data() + at), bits);
        break;
      }
      case TypeKind::kString:
        out.append(value.asString());
        break;
      default:
        out.append(value.as<Bytes>().data);
        break;
    }
    return true;
  }

 private:
  static Status sizeError(std::string_view deserializer, int size) {
    return Status::invalidArgument(
        fmt::format("Size of data received by {} is not {}", deserializer, size));
  }

  TypeKind kind_;
};

}  // namespace

Result<std::shared_ptr<const RowFormat>> makeKafkaFormat(const std::vector<Column>& columns,
                                                         bool is_key) {
  if (columns.size() > 1) {
    return Status::invalidArgument("The 'KAFKA' format only supports a single field. Got: " +
                                   columnListText(columns, is_key));
  }
  TypeKind kind = columns[0].type->kind;
  switch (kind) {
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kDouble:
    case TypeKind::kString:
    case TypeKind::kBytes:
      return std::shared_ptr<const RowFormat>(std::make_shared<KafkaFormat>(kind));
    default:
      return unsupportedType("KAFKA", kind);
  }
}

}  // namespace runnel::sql
