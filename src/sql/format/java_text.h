#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace runnel::sql {

// Numbers as text the way the JVM parses and prints them, since ksqlDB's text formats
// (DELIMITED fields, JSON strings coerced to numbers) go through Java's parsers.

// Integer.parseInt / Long.parseLong: [+-]digits, nothing else, in range.
bool parseJavaInt(std::string_view text, int32_t& out);
bool parseJavaLong(std::string_view text, int64_t& out);
// Double.parseDouble: surrounding whitespace, "NaN", "[+-]Infinity" and a trailing d/f
// are allowed; hexadecimal floats are not supported here.
bool parseJavaDouble(std::string_view text, double& out);

// Double.toString(): "10.0", "0.001", "1.0E7", "1.234E-5", "NaN", "-Infinity", with the
// shortest digits that read back to the same double.
void appendJavaDouble(double value, std::string& out);

// The shortest text of a double that reads back to it, with ".0" on integral values, as
// JSON numbers are written ("40.0", "1.5", "1e+21").
void appendShortestDouble(double value, std::string& out);

}  // namespace runnel::sql
