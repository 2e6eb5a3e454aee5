#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace runnel::json {

// Reading JSON: a Parser turns text into a read-only document (simdjson's DOM, which
// validates the whole text first, so a malformed record never half-fills anything);
// Value, Object and Array are cheap handles into that document, valid until the parser
// parses again or is destroyed. Strings they return point into the document too.
//
// simdjson stays inside json_reader.cc: a handle holds simdjson's 16-byte element as
// opaque bytes (sizes checked there), so includers do not compile simdjson.h.

enum class Type : uint8_t { kNull, kBool, kInt64, kUint64, kDouble, kString, kArray, kObject };

// "null", "a boolean", "an integer", "a number", "a string", "an array", "an object":
// the words used in error messages ("expected a string, got a number").
std::string_view describe(Type type);

class Object;
class Array;

namespace internal {
// Storage of one simdjson handle (element, object, array or their iterators).
struct alignas(8) Handle {
  unsigned char bytes[16];
};
}  // namespace internal

class Value {
 public:
  Type type() const;
  bool isNull() const { return type() == Type::kNull; }

  // Each fails with "expected <kind>, got <kind>" when the value is of another type.
  Result<bool> getBool() const;
  // An integer that fits int64_t; a number with a fraction or exponent is an error,
  // as is an integer beyond the range ("integer 18446744073709551615 out of range").
  Result<int64_t> getInt64() const;
  Result<uint64_t> getUint64() const;
  // Any number; also the strings "NaN", "Infinity" and "-Infinity" that Jackson writes
  // for doubles that JSON cannot express.
  Result<double> getDouble() const;
  Result<std::string_view> getString() const;
  Result<Object> getObject() const;
  Result<Array> getArray() const;

 private:
  friend struct Access;
  internal::Handle handle_;
};

// The members of a JSON object, in document order.
class Object {
 public:
  // The member named `key`, or nullopt when there is none (distinct from a member whose
  // value is null). With duplicate keys the first one wins.
  std::optional<Value> find(std::string_view key) const;
  size_t size() const;

  class Iterator {
   public:
    std::pair<std::string_view, Value> operator*() const;
    Iterator& operator++();
    bool operator==(const Iterator& other) const;

   private:
    friend struct Access;
    internal::Handle handle_;
  };
  Iterator begin() const;
  Iterator end() const;

 private:
  friend struct Access;
  internal::Handle handle_;
};

class Array {
 public:
  size_t size() const;

  class Iterator {
   public:
    Value operator*() const;
    Iterator& operator++();
    bool operator==(const Iterator& other) const;

   private:
    friend struct Access;
    internal::Handle handle_;
  };
  Iterator begin() const;
  Iterator end() const;

 private:
  friend struct Access;
  internal::Handle handle_;
};

// Owns the buffers documents are parsed into; they grow to the largest text seen and are
// reused, so parsing allocates nothing in steady state. Not thread-safe: one per thread.
class Parser {
 public:
  Parser();
  ~Parser();
  Parser(Parser&&) noexcept;
  Parser& operator=(Parser&&) noexcept;

  // The root of `text`, valid until the next parse(). A malformed text, or one nested
  // deeper than 1024 levels, gives an InvalidArgument status naming simdjson's reason.
  Result<Value> parse(std::string_view text);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// This thread's shared parser, for code that parses one document at a time and is done
// with it before parsing the next (deserializers). Code that keeps a document while
// calling other code that may parse should own its Parser instead.
Parser& threadParser();

}  // namespace runnel::json
