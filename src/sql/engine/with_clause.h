#pragma once

#include <optional>
#include <set>
#include <string>

#include "common/result.h"
#include "sql/ast.h"
#include "sql/row_format.h"

namespace runnel::sql {

// The WITH (...) properties of a statement, checked against the names the statement
// accepts, read with ksqlDB's defaults and messages.
class WithClause {
 public:
  // Fails naming the first property not in `allowed`.
  static Result<WithClause> of(const Properties& properties, const std::set<std::string>& allowed);

  bool has(const std::string& name) const { return properties_.count(name) != 0; }
  std::optional<std::string> string(const std::string& name) const;
  Result<std::optional<int64_t>> integer(const std::string& name) const;
  Result<std::optional<bool>> boolean(const std::string& name) const;

  // KEY_FORMAT / VALUE_FORMAT, or FORMAT for both (not together with either), upper-cased,
  // with their options (VALUE_DELIMITER / KEY_DELIMITER). nullopt when not given.
  Result<std::optional<FormatInfo>> keyFormat() const;
  Result<std::optional<FormatInfo>> valueFormat() const;

 private:
  Result<std::optional<FormatInfo>> format(const std::string& side, const std::string& delimiter) const;
  Properties properties_;
};

// The properties each statement kind accepts.
const std::set<std::string>& createSourceProperties();
const std::set<std::string>& createAsSelectProperties();

}  // namespace runnel::sql
