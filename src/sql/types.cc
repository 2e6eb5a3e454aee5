#include "sql/types.h"

#include <fmt/format.h>

namespace runnel::sql {
namespace {

SqlTypePtr primitive(TypeKind kind) { return std::make_shared<const SqlType>(SqlType{kind}); }

}  // namespace

std::string formatIdentifier(const std::string& name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
  }
  return plain ? name : "`" + name + "`";
}

SqlTypePtr SqlType::boolean() {
  static const SqlTypePtr type = primitive(TypeKind::kBoolean);
  return type;
}
SqlTypePtr SqlType::integer() {
  static const SqlTypePtr type = primitive(TypeKind::kInt);
  return type;
}
SqlTypePtr SqlType::bigint() {
  static const SqlTypePtr type = primitive(TypeKind::kBigint);
  return type;
}
SqlTypePtr SqlType::doubleType() {
  static const SqlTypePtr type = primitive(TypeKind::kDouble);
  return type;
}
SqlTypePtr SqlType::string() {
  static const SqlTypePtr type = primitive(TypeKind::kString);
  return type;
}
SqlTypePtr SqlType::bytes() {
  static const SqlTypePtr type = primitive(TypeKind::kBytes);
  return type;
}
SqlTypePtr SqlType::date() {
  static const SqlTypePtr type = primitive(TypeKind::kDate);
  return type;
}
SqlTypePtr SqlType::time() {
  static const SqlTypePtr type = primitive(TypeKind::kTime);
  return type;
}
SqlTypePtr SqlType::timestamp() {
  static const SqlTypePtr type = primitive(TypeKind::kTimestamp);
  return type;
}
SqlTypePtr SqlType::decimal(int precision, int scale) {
  SqlType type{TypeKind::kDecimal};
  type.precision = precision;
  type.scale = scale;
  return std::make_shared<const SqlType>(std::move(type));
}
SqlTypePtr SqlType::array(SqlTypePtr element) {
  SqlType type{TypeKind::kArray};
  type.element = std::move(element);
  return std::make_shared<const SqlType>(std::move(type));
}
SqlTypePtr SqlType::map(SqlTypePtr key, SqlTypePtr value) {
  SqlType type{TypeKind::kMap};
  type.key = std::move(key);
  type.element = std::move(value);
  return std::make_shared<const SqlType>(std::move(type));
}
SqlTypePtr SqlType::structType(std::vector<StructField> fields) {
  SqlType type{TypeKind::kStruct};
  type.fields = std::move(fields);
  return std::make_shared<const SqlType>(std::move(type));
}

std::string SqlType::toString(bool quote_field_names) const {
  switch (kind) {
    case TypeKind::kBoolean: return "BOOLEAN";
    case TypeKind::kInt: return "INTEGER";
    case TypeKind::kBigint: return "BIGINT";
    case TypeKind::kDouble: return "DOUBLE";
    case TypeKind::kDecimal: return fmt::format("DECIMAL({}, {})", precision, scale);
    case TypeKind::kString: return "STRING";
    case TypeKind::kBytes: return "BYTES";
    case TypeKind::kDate: return "DATE";
    case TypeKind::kTime: return "TIME";
    case TypeKind::kTimestamp: return "TIMESTAMP";
    case TypeKind::kArray: return "ARRAY<" + element->toString(quote_field_names) + ">";
    case TypeKind::kMap:
      return "MAP<" + key->toString(quote_field_names) + ", " + element->toString(quote_field_names) + ">";
    case TypeKind::kStruct: {
      std::string out = "STRUCT<";
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ", ";
        std::string name = quote_field_names ? "`" + fields[i].name + "`" : formatIdentifier(fields[i].name);
        out += name + " " + fields[i].type->toString(quote_field_names);
      }
      return out + ">";
    }
  }
  return "?";
}

bool operator==(const SqlType& a, const SqlType& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case TypeKind::kDecimal: return a.precision == b.precision && a.scale == b.scale;
    case TypeKind::kArray: return sameType(a.element, b.element);
    case TypeKind::kMap: return sameType(a.key, b.key) && sameType(a.element, b.element);
    case TypeKind::kStruct:
      if (a.fields.size() != b.fields.size()) return false;
      for (size_t i = 0; i < a.fields.size(); ++i) {
        if (a.fields[i].name != b.fields[i].name || !sameType(a.fields[i].type, b.fields[i].type)) return false;
      }
      return true;
    default: return true;
  }
}

}  // namespace runnel::sql
