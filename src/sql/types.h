#pragma once

#include <memory>
#include <string>
#include <vector>

namespace runnel::sql {

// ksqlDB's SQL types. DECIMAL carries precision and scale; ARRAY, MAP and STRUCT their
// element, key/value and field types. Named types (CREATE TYPE) are resolved to these at
// parse-analysis time, so nothing downstream sees a name.
enum class TypeKind : unsigned char {
  kBoolean,
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

struct SqlType;
// Types are immutable and shared between schemas, expressions and rows' serdes.
using SqlTypePtr = std::shared_ptr<const SqlType>;

struct StructField {
  std::string name;
  SqlTypePtr type;
};

struct SqlType {
  TypeKind kind = TypeKind::kString;
  int precision = 0;  // DECIMAL only
  int scale = 0;      // DECIMAL only
  SqlTypePtr key;     // MAP key
  SqlTypePtr element; // ARRAY element, MAP value
  std::vector<StructField> fields;  // STRUCT

  // As ksqlDB prints types: `INTEGER`, `DECIMAL(4, 2)`, `ARRAY<STRING>`,
  // `MAP<STRING, INTEGER>`, `STRUCT<A INTEGER, `b` STRING>`.
  // As ksqlDB prints types: STRUCT<`F` INTEGER>; quote_field_names=false leaves struct
  // field names bare, as its JSON conversion errors do.
  std::string toString(bool quote_field_names = true) const;
  bool isNumeric() const {
    return kind == TypeKind::kInt || kind == TypeKind::kBigint || kind == TypeKind::kDouble ||
           kind == TypeKind::kDecimal;
  }
  bool isPrimitive() const { return kind != TypeKind::kArray && kind != TypeKind::kMap && kind != TypeKind::kStruct; }

  static SqlTypePtr boolean();
  static SqlTypePtr integer();
  static SqlTypePtr bigint();
  static SqlTypePtr doubleType();
  static SqlTypePtr string();
  static SqlTypePtr bytes();
  static SqlTypePtr date();
  static SqlTypePtr time();
  static SqlTypePtr timestamp();
  static SqlTypePtr decimal(int precision, int scale);
  static SqlTypePtr array(SqlTypePtr element);
  static SqlTypePtr map(SqlTypePtr key, SqlTypePtr value);
  static SqlTypePtr structType(std::vector<StructField> fields);
};

// A name as ksqlDB prints it in types and expressions: as is when it is upper-case letters,
// digits and underscores, else in backquotes (`zip`).
std::string formatIdentifier(const std::string& name);

// Deep equality (DECIMAL(4,2) != DECIMAL(5,2); struct field names compare exactly).
bool operator==(const SqlType& a, const SqlType& b);
inline bool sameType(const SqlTypePtr& a, const SqlTypePtr& b) { return a == b || (a && b && *a == *b); }

}  // namespace runnel::sql
