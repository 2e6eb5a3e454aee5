#include "sql/engine/row_serdes.h"

namespace runnel::sql {
namespace {

// GenericKey and GenericRow differ only in which side of a record they are.
template <class Row>
class FormatSerde final : public streams::Serde<Row> {
 public:
  explicit FormatSerde(std::shared_ptr<const RowFormat> format) : format_(std::move(format)) {}
  std::string name() const override { return "ksql"; }
  bool serialize(std::string_view, const Row& row, std::string& out) const override {
    return format_->write(row.values, out);
  }
  Status deserialize(std::string_view, std::optional<std::string_view> data, Row& out) const override {
    return format_->read(data, out.values);
  }

 private:
  std::shared_ptr<const RowFormat> format_;
};

// The internal encoding: a null record stays null, an empty row is zero bytes.
template <class Row>
class InternalSerde final : public streams::Serde<Row> {
 public:
  std::string name() const override { return "ksql-internal"; }
  bool serialize(std::string_view, const Row& row, std::string& out) const override {
    encodeValues(row.values, out);
    return true;
  }
  Status deserialize(std::string_view, std::optional<std::string_view> data, Row& out) const override {
    out.values.clear();
    if (!data) return Status::ok();
    return decodeValues(*data, out.values);
  }
};

}  // namespace

streams::SerdePtr<GenericKey> keySerde(std::shared_ptr<const RowFormat> format) {
  return std::make_shared<FormatSerde<GenericKey>>(std::move(format));
}
streams::SerdePtr<GenericRow> rowSerde(std::shared_ptr<const RowFormat> format) {
  return std::make_shared<FormatSerde<GenericRow>>(std::move(format));
}
streams::SerdePtr<GenericKey> internalKeySerde() {
  static const auto serde = std::make_shared<InternalSerde<GenericKey>>();
  return serde;
}
streams::SerdePtr<GenericRow> internalRowSerde() {
  static const auto serde = std::make_shared<InternalSerde<GenericRow>>();
  return serde;
}

}  // namespace runnel::sql
