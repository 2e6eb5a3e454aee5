// NONE: no columns; records are written null and read without looking at their bytes
// (a keyless stream ignores whatever key its records carry).
#include "sql/format/formats.h"

namespace runnel::sql {
namespace {

class NoneFormat final : public RowFormat {
 public:
  Status read(std::optional<std::string_view>, std::vector<Value>& out) const override {
    out.clear();
    return Status::ok();
  }
  bool write(const std::vector<Value>&, std::string&) const override { return false; }
};

}  // namespace

Result<std::shared_ptr<const RowFormat>> makeNoneFormat(const std::vector<Column>& columns,
                                                        bool is_key) {
  if (!columns.empty()) {
    return Status::invalidArgument(
        "The 'NONE' format can only be used when no columns are defined. Got: " +
        columnListText(columns, is_key));
  }
  return std::shared_ptr<const RowFormat>(std::make_shared<NoneFormat>());
}

}  // namespace runnel::sql
