#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "sql/functions/catalog.h"

namespace runnel::sql {

// The registry's tables: every family's declarations, indexed by upper-case name. Built
// once (FunctionRegistry::builtin()) and read-only afterwards, so lookups need no lock.
class FunctionRegistry::Impl {
 public:
  Impl();

  const functions::ScalarFunction* findScalar(const std::string& upper_name) const;
  const functions::AggregateFunctionDef* findAggregate(const std::string& upper_name) const;
  const std::vector<functions::ScalarFunction>& scalars() const { return scalars_; }
  const std::vector<functions::AggregateFunctionDef>& aggregates() const { return aggregates_; }

 private:
  std::vector<functions::ScalarFunction> scalars_;
  std::vector<functions::AggregateFunctionDef> aggregates_;
  std::unordered_map<std::string, size_t> scalar_index_;
  std::unordered_map<std::string, size_t> aggregate_index_;
};

}  // namespace runnel::sql
