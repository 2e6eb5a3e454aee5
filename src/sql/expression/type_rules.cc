#include "sql/expression/node.h"

namespace runnel::sql::expression {
namespace {

int numericRank(TypeKind kind) {
  switch (kind) {
    case TypeKind::kInt: return 1;
    case TypeKind::kBigint: return 2;
    case TypeKind::kDecimal: return 3;
    case TypeKind::kDouble: return 4;
    default: return 0;
  }
}

}  // namespace

SqlTypePtr asDecimalType(const SqlTypePtr& numeric) {
  switch (numeric->kind) {
    case TypeKind::kInt: return SqlType::decimal(10, 0);
    case TypeKind::kBigint: return SqlType::decimal(19, 0);
    default: return numeric;
  }
}

SqlTypePtr widerNumericType(const SqlTypePtr& a, const SqlTypePtr& b) {
  int rank_a = numericRank(a->kind), rank_b = numericRank(b->kind);
  if (rank_a == 0 || rank_b == 0) return nullptr;
  if (a->kind == TypeKind::kDecimal || b->kind == TypeKind::kDecimal) {
    if (rank_a == 4 || rank_b == 4) return SqlType::doubleType();
    // The decimal that holds both: enough integer digits for either, the larger scale.
    auto x = asDecimalType(a), y = asDecimalType(b);
    int scale = std::max(x->scale, y->scale);
    int integer_digits = std::max(x->precision - x->scale, y->precision - y->scale);
    return SqlType::decimal(std::min(integer_digits + scale, 38), scale);
  }
  return rank_a >= rank_b ? a : b;
}

SqlTypePtr commonType(const SqlTypePtr& a, const SqlTypePtr& b) {
  if (!a) return b;
  if (!b) return a;
  if (sameType(a, b)) return a;
  if (auto numeric = widerNumericType(a, b)) return numeric;
  if (a->kind != b->kind) return nullptr;
  switch (a->kind) {
    case TypeKind::kArray: {
      auto element = commonType(a->element, b->element);
      return element ? SqlType::array(element) : nullptr;
    }
    case TypeKind::kMap: {
      auto key = commonType(a->key, b->key);
      auto value = commonType(a->element, b->element);
      return key && value ? SqlType::map(key, value) : nullptr;
    }
    case TypeKind::kStruct: {
      if (a->fields.size() != b->fields.size()) return nullptr;
      std::vector<StructField> fields;
      for (size_t i = 0; i < a->fields.size(); ++i) {
        if (a->fields[i].name != b->fields[i].name) return nullptr;
        auto type = commonType(a->fields[i].type, b->fields[i].type);
        if (!type) return nullptr;
        fields.push_back({a->fields[i].name, type});
      }
      return SqlType::structType(std::move(fields));
    }
    default: return nullptr;
  }
}

}  // namespace runnel::sql::expression
