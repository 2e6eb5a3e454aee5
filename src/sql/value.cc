#include "sql/value.h"

namespace runnel::sql {
namespace {

bool sameItems(const std::vector<Value>& a, const std::vector<Value>& b) { return a == b; }

}  // namespace

bool operator==(const Value& a, const Value& b) {
  if (a.storage_.index() != b.storage_.index()) return false;
  if (const auto* array = std::get_if<ArrayPtr>(&a.storage_)) {
    return sameItems((*array)->items, b.asArray().items);
  }
  if (const auto* map = std::get_if<MapPtr>(&a.storage_)) {
    return (*map)->entries == b.asMap().entries;
  }
  if (const auto* fields = std::get_if<StructPtr>(&a.storage_)) {
    return sameItems((*fields)->fields, b.asStruct().fields);
  }
  return a.storage_ == b.storage_;
}

}  // namespace runnel::sql
