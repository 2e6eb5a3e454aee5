#include "streams/serdes.h"

#include <bit>
#include <type_traits>

namespace runnel::streams {
namespace {

constexpr std::string_view kPrefix = "org.apache.kafka.common.serialization.Serdes$";

std::string kafkaName(std::string_view serde) { return std::string(kPrefix).append(serde); }

// String and Bytes: the same bytes, told apart only by name.
class RawSerde final : public Serde<std::string> {
 public:
  explicit RawSerde(std::string_view serde) : name_(kafkaName(serde)) {}
  std::string name() const override { return name_; }
  bool serialize(std::string_view, const std::string& data, std::string& out) const override {
    out.append(data);
    return true;
  }
  Status deserialize(std::string_view, std::optional<std::string_view> data, std::string& out) const override {
    out.assign(data.value_or(std::string_view()));
    return Status::ok();
  }

 private:
  std::string name_;
};

class ByteArraySerde final : public Serde<std::vector<uint8_t>> {
 public:
  std::string name() const override { return kafkaName("ByteArraySerde"); }
  bool serialize(std::string_view, const std::vector<uint8_t>& data, std::string& out) const override {
    out.append(reinterpret_cast<const char*>(data.data()), data.size());
    return true;
  }
  Status deserialize(std::string_view, std::optional<std::string_view> data,
                     std::vector<uint8_t>& out) const override {
    std::string_view bytes = data.value_or(std::string_view());
    out.assign(bytes.begin(), bytes.end());
    return Status::ok();
  }
};

template <class T>
using BitsOf = std::conditional_t<sizeof(T) == 2, uint16_t, std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>;

// Short, Integer, Long, Float and Double: the value's bits, big-endian.
template <class T>
class FixedWidthSerde final : public Serde<T> {
 public:
  // `size_error` is Kafka's message; Float and Double say just "Deserializer".
  FixedWidthSerde(std::string_view serde, std::string size_error)
      : name_(kafkaName(serde)), size_error_(std::move(size_error)) {}

  std::string name() const override { return name_; }

  bool serialize(std::string_view, const T& data, std::string& out) const override {
    auto bits = std::bit_cast<BitsOf<T>>(data);
    char bytes[sizeof(T)];
    for (size_t i = 0; i < sizeof(T); ++i) bytes[i] = char(bits >> (8 * (sizeof(T) - 1 - i)));
    out.append(bytes, sizeof(T));
    return true;
  }

  Status deserialize(std::string_view, std::optional<std::string_view> data, T& out) const override {
    if (!data) {
      out = T{};
      return Status::ok();
    }
    if (data->size() != sizeof(T)) return Status::invalidArgument(size_error_);
    BitsOf<T> bits = 0;
    for (unsigned char byte : *data) bits = BitsOf<T>(bits << 8 | byte);
    out = std::bit_cast<T>(bits);
    return Status::ok();
  }

 private:
  std::string name_;
  std::string size_error_;
};

class BooleanSerde final : public Serde<bool> {
 public:
  std::string name() const override { return kafkaName("BooleanSerde"); }
  bool serialize(std::string_view, const bool& data, std::string& out) const override {
    out.push_back(data ? '\x01' : '\x00');
    return true;
  }
  Status deserialize(std::string_view, std::optional<std::string_view> data, bool& out) const override {
    if (!data) {
      out = false;
      return Status::ok();
    }
    if (data->size() != 1) return Status::invalidArgument("Size of data received by BooleanDeserializer is not 1");
    auto byte = static_cast<unsigned char>((*data)[0]);
    if (byte > 1) {
      return Status::invalidArgument("Unexpected byte received by BooleanDeserializer: " + std::to_string(byte));
    }
    out = byte == 1;
    return Status::ok();
  }
};

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isDashPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

// The canonical 36-character form that java.util.UUID.toString() writes. Java's
// fromString also takes shortened groups ("1-2-3-4-5"), which no serializer writes.
class UuidSerde final : public Serde<Uuid128> {
 public:
  static constexpr size_t kTextSize = 36;

  std::string name() const override { return kafkaName("UUIDSerde"); }

  bool serialize(std::string_view, const Uuid128& data, std::string& out) const override {
    static constexpr char kHex[] = "0123456789abcdef";
    char text[kTextSize];
    size_t pos = 0;
    for (size_t i = 0; i < data.size(); ++i) {
      if (isDashPosition(pos)) text[pos++] = '-';
      text[pos++] = kHex[data[i] >> 4];
      text[pos++] = kHex[data[i] & 0xf];
    }
    out.append(text, kTextSize);
    return true;
  }

  Status deserialize(std::string_view, std::optional<std::string_view> data, Uuid128& out) const override {
    if (!data) {
      out = Uuid128{};
      return Status::ok();
    }
    Uuid128 parsed;
    size_t byte = 0;
    bool valid = data->size() == kTextSize;
    for (size_t pos = 0; valid && pos < kTextSize; ++pos) {
      if (isDashPosition(pos)) {
        valid = (*data)[pos] == '-';
        continue;
      }
      int high = hexValue((*data)[pos]);
      int low = hexValue((*data)[++pos]);
      valid = high >= 0 && low >= 0;
      parsed[byte++] = uint8_t(high << 4 | low);
    }
    if (!valid) return Status::invalidArgument("Error parsing data into UUID");
    out = parsed;
    return Status::ok();
  }
};

class VoidSerde final : public Serde<Void> {
 public:
  std::string name() const override { return kafkaName("VoidSerde"); }
  bool serialize(std::string_view, const Void&, std::string&) const override { return false; }
  Status deserialize(std::string_view, std::optional<std::string_view> data, Void&) const override {
    if (data) return Status::invalidArgument("Data should be null for a VoidDeserializer.");
    return Status::ok();
  }
};

template <class T>
std::string sizeError(std::string_view deserializer) {
  return "Size of data received by " + std::string(deserializer) + " is not " + std::to_string(sizeof(T));
}

bool consumePrefix(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

// "String" from "org.apache.kafka.common.serialization.Serdes$StringSerde",
// "Serdes$StringSerde" or "String"; empty when the name has another shape.
std::string_view shortName(std::string_view class_name) {
  std::string_view name = class_name;
  bool has_package = consumePrefix(name, "org.apache.kafka.common.serialization.");
  if (consumePrefix(name, "Serdes$")) {
    if (!name.ends_with("Serde")) return {};
    name.remove_suffix(std::string_view("Serde").size());
    return name;
  }
  return has_package ? std::string_view() : name;
}

template <auto kFactory>
std::shared_ptr<const SerdeBase> erased() {
  return kFactory();
}

}  // namespace

SerdePtr<std::string> Serdes::String() {
  static const SerdePtr<std::string> kSerde = std::make_shared<RawSerde>("StringSerde");
  return kSerde;
}

SerdePtr<std::string> Serdes::Bytes() {
  static const SerdePtr<std::string> kSerde = std::make_shared<RawSerde>("BytesSerde");
  return kSerde;
}

SerdePtr<std::vector<uint8_t>> Serdes::ByteArray() {
  static const SerdePtr<std::vector<uint8_t>> kSerde = std::make_shared<ByteArraySerde>();
  return kSerde;
}

SerdePtr<int16_t> Serdes::Short() {
  static const SerdePtr<int16_t> kSerde =
      std::make_shared<FixedWidthSerde<int16_t>>("ShortSerde", sizeError<int16_t>("ShortDeserializer"));
  return kSerde;
}

SerdePtr<int32_t> Serdes::Integer() {
  static const SerdePtr<int32_t> kSerde =
      std::make_shared<FixedWidthSerde<int32_t>>("IntegerSerde", sizeError<int32_t>("IntegerDeserializer"));
  return kSerde;
}

SerdePtr<int64_t> Serdes::Long() {
  static const SerdePtr<int64_t> kSerde =
      std::make_shared<FixedWidthSerde<int64_t>>("LongSerde", sizeError<int64_t>("LongDeserializer"));
  return kSerde;
}

SerdePtr<float> Serdes::Float() {
  static const SerdePtr<float> kSerde =
      std::make_shared<FixedWidthSerde<float>>("FloatSerde", sizeError<float>("Deserializer"));
  return kSerde;
}

SerdePtr<double> Serdes::Double() {
  static const SerdePtr<double> kSerde =
      std::make_shared<FixedWidthSerde<double>>("DoubleSerde", sizeError<double>("Deserializer"));
  return kSerde;
}

SerdePtr<bool> Serdes::Boolean() {
  static const SerdePtr<bool> kSerde = std::make_shared<BooleanSerde>();
  return kSerde;
}

SerdePtr<Uuid128> Serdes::UUID() {
  static const SerdePtr<Uuid128> kSerde = std::make_shared<UuidSerde>();
  return kSerde;
}

SerdePtr<Void> Serdes::Void() {
  static const SerdePtr<streams::Void> kSerde = std::make_shared<VoidSerde>();
  return kSerde;
}

Result<std::shared_ptr<const SerdeBase>> serdeByName(std::string_view class_name) {
  struct Known {
    std::string_view short_name;
    std::shared_ptr<const SerdeBase> (*make)();
  };
  static constexpr Known kKnown[] = {
      {"String", &erased<&Serdes::String>},   {"Bytes", &erased<&Serdes::Bytes>},
      {"ByteArray", &erased<&Serdes::ByteArray>}, {"Short", &erased<&Serdes::Short>},
      {"Integer", &erased<&Serdes::Integer>}, {"Long", &erased<&Serdes::Long>},
      {"Float", &erased<&Serdes::Float>},     {"Double", &erased<&Serdes::Double>},
      {"Boolean", &erased<&Serdes::Boolean>}, {"UUID", &erased<&Serdes::UUID>},
      {"Void", &erased<&Serdes::Void>},
  };
  std::string_view name = shortName(class_name);
  std::string known_names;
  for (const Known& known : kKnown) {
    if (!name.empty() && known.short_name == name) return known.make();
    known_names.append(known.short_name).append(", ");
  }
  return Status::invalidArgument("Class " + std::string(class_name) + " could not be found: not a built-in serde (" +
                                 known_names + "as in Serdes$StringSerde)");
}

}  // namespace runnel::streams
