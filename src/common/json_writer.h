#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace runnel::json {

// Appends compact JSON text to a caller's string, so that a serializer writes straight
// into the record buffer it was handed. The writer does not check the grammar: the caller
// pairs start/end calls and puts a key before each value inside an object.
//
// Output follows Jackson's defaults so that bytes match what Java applications write:
// '"', '\\' and control characters are escaped (\b \t \n \f \r, others as \u00XX), '/'
// and non-ASCII UTF-8 pass through; doubles are the shortest text that reads back to the
// same value, with ".0" on integral ones (40.0); NaN and infinities become the strings
// "NaN", "Infinity", "-Infinity", as Jackson writes them; \u00XX has upper-case hex.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void startObject() { open('{'); }
  void endObject() { close('}'); }
  void startArray() { open('['); }
  void endArray() { close(']'); }

  // The name of the next member of the current object.
  void writeKey(std::string_view name);

  void writeString(std::string_view value);
  void writeInt64(int64_t value);
  void writeUint64(uint64_t value);
  void writeDouble(double value);
  void writeBool(bool value) {
    separate();
    out_.append(value ? "true" : "false");
  }
  void writeNull() {
    separate();
    out_.append("null");
  }
  // Text that is already valid JSON, written as one value.
  void writeRaw(std::string_view json) {
    separate();
    out_.append(json);
  }

 private:
  // No stack is needed for commas: a value needs one exactly when the previous thing
  // written at any depth completed a value (a scalar, or a closed container).
  void separate() {
    if (needs_comma_) out_.push_back(',');
    needs_comma_ = true;
  }
  void open(char bracket) {
    separate();
    out_.push_back(bracket);
    needs_comma_ = false;
  }
  void close(char bracket) {
    out_.push_back(bracket);
    needs_comma_ = true;
  }
  void appendQuoted(std::string_view text);

  std::string& out_;
  bool needs_comma_ = false;
};

}  // namespace runnel::json
