#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "sql/types.h"
#include "sql/value.h"

namespace runnel::sql {

// DECIMAL text as Java's BigDecimal reads and writes it, which is what every ksqlDB format
// does with decimals.

// Reads `text` (BigDecimal(String): [+-]digits[.digits][e[+-]digits]) into a decimal of the
// DECIMAL `type`, rescaled to its scale without rounding, as ksqlDB's DecimalUtil.ensureFit
// does; fails with its messages ("Numeric field overflow: ...", "Cannot fit decimal ...").
Status parseDecimal(std::string_view text, const SqlType& type, Decimal& out);

// BigDecimal.toPlainString(): "-12.50", "0.001", never an exponent.
void appendDecimal(const Decimal& value, std::string& out);

}  // namespace runnel::sql
