#pragma once

#include "sql/value.h"

namespace runnel::sql::functions {

// Java's natural order of two non-NULL values of one comparable type (BOOLEAN, numbers,
// STRING, BYTES, DATE, TIME, TIMESTAMP), as GREATEST, ARRAY_MAX and ARRAY_SORT use it:
// Double.compareTo puts NaN above everything, ByteBuffer.compareTo compares bytes as
// signed. DECIMALs must share their scale (values of one column type do).
bool javaLess(const Value& a, const Value& b);

}  // namespace runnel::sql::functions
