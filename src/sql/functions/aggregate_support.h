#pragma once

#include <vector>

#include "sql/functions/catalog.h"

// What the aggregate families share: the types they order, value ordering, and in-place
// updates of an aggregate's array when the engine hands over the only reference to it.
namespace runnel::sql::functions {

// An aggregate whose intermediate and result types are fixed at bind time.
class TypedAggregate : public AggregateFunction {
 public:
  TypedAggregate(SqlTypePtr aggregate_type, SqlTypePtr return_type)
      : aggregate_type_(std::move(aggregate_type)), return_type_(std::move(return_type)) {}
  const SqlTypePtr& aggregateType() const override { return aggregate_type_; }
  const SqlTypePtr& returnType() const override { return return_type_; }

 private:
  SqlTypePtr aggregate_type_;
  SqlTypePtr return_type_;
};

// The parameter types MIN, MAX, TOPK and TOPKDISTINCT accept, one variant each: the
// numbers, STRING, BYTES, DATE, TIME and TIMESTAMP (ksqlDB orders no BOOLEAN or composite).
std::vector<Param> comparableParams(const std::string& name);

// Orders two non-NULL values of one type (DECIMALs of any scale); Java's Double.compare
// for doubles (NaN above everything); bytewise for STRING and BYTES.
int compareValues(const Value& a, const Value& b);

// Equality as Java's equals on ksqlDB's values: maps compare as sets of entries, in any
// order ({a: 1, b: 2} equals {b: 2, a: 1}); everything else as Value's ==.
bool equalValues(const Value& a, const Value& b);

// The items of an ARRAY aggregate, to change in place when `aggregate` holds the only
// reference (the engine moves the stored state in), else a copy. NULL becomes [].
std::vector<Value>& mutableItems(Value& aggregate);

// The fields of a STRUCT aggregate of `size` fields, in place as mutableItems (NULL
// becomes a struct of NULLs).
std::vector<Value>& mutableFields(Value& aggregate, size_t size);

// A literal INT parameter that must be positive (TOPK's k, LATEST_BY_OFFSET's n).
Result<int> positiveLiteral(const std::string& function, const Value& literal);

}  // namespace runnel::sql::functions
