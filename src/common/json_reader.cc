#include "common/json_reader.h"

#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include <simdjson.h>

namespace runnel::json {

namespace dom = simdjson::dom;

// Moves simdjson's handles in and out of the opaque storage of the public classes.
struct Access {
  template <class T>
  static T load(const internal::Handle& handle) {
    static_assert(sizeof(T) <= sizeof(internal::Handle) && std::is_trivially_copyable_v<T>);
    T out;
    std::memcpy(static_cast<void*>(&out), handle.bytes, sizeof(T));
    return out;
  }
  template <class T>
  static void store(internal::Handle& handle, const T& from) {
    static_assert(sizeof(T) <= sizeof(internal::Handle) && std::is_trivially_copyable_v<T>);
    std::memcpy(handle.bytes, static_cast<const void*>(&from), sizeof(T));
  }
  static Value value(dom::element element) {
    Value out;
    store(out.handle_, element);
    return out;
  }
  static dom::element element(const Value& value) { return load<dom::element>(value.handle_); }
  template <class Public, class Dom>
  static Public wrap(const Dom& from) {
    Public out;
    store(out.handle_, from);
    return out;
  }
  template <class Dom, class Public>
  static Dom unwrap(const Public& from) {
    return load<Dom>(from.handle_);
  }
};

namespace {

Type typeOf(dom::element element) {
  switch (element.type()) {
    case dom::element_type::ARRAY: return Type::kArray;
    case dom::element_type::OBJECT: return Type::kObject;
    case dom::element_type::INT64: return Type::kInt64;
    case dom::element_type::UINT64: return Type::kUint64;
    case dom::element_type::DOUBLE: return Type::kDouble;
    case dom::element_type::STRING: return Type::kString;
    case dom::element_type::BOOL: return Type::kBool;
    case dom::element_type::NULL_VALUE: return Type::kNull;
  }
  return Type::kNull;
}

Status expected(std::string_view what, dom::element got) {
  std::string msg = "expected ";
  msg.append(what).append(", got ").append(describe(typeOf(got)));
  return Status::invalidArgument(std::move(msg));
}

Status outOfRange(dom::element got) {
  return Status::invalidArgument("integer " + simdjson::minify(got) + " out of range");
}

}  // namespace

std::string_view describe(Type type) {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBool: return "a boolean";
    case Type::kInt64:
    case Type::kUint64: return "an integer";
    case Type::kDouble: return "a number";
    case Type::kString: return "a string";
    case Type::kArray: return "an array";
    case Type::kObject: return "an object";
  }
  return "?";
}

Type Value::type() const { return typeOf(Access::element(*this)); }

Result<bool> Value::getBool() const {
  dom::element element = Access::element(*this);
  bool out;
  if (element.get_bool().get(out)) return expected("a boolean", element);
  return out;
}

Result<int64_t> Value::getInt64() const {
  dom::element element = Access::element(*this);
  if (element.type() == dom::element_type::UINT64) return outOfRange(element);
  int64_t out;
  if (element.get_int64().get(out)) return expected("an integer", element);
  return out;
}

Result<uint64_t> Value::getUint64() const {
  dom::element element = Access::element(*this);
  int64_t signed_value;
  if (!element.get_int64().get(signed_value) && signed_value < 0) return outOfRange(element);
  uint64_t out;
  if (element.get_uint64().get(out)) return expected("an integer", element);
  return out;
}

Result<double> Value::getDouble() const {
  dom::element element = Access::element(*this);
  double out;
  if (!element.get_double().get(out)) return out;
  std::string_view text;
  if (!element.get_string().get(text)) {
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  return expected("a number", element);
}

Result<std::string_view> Value::getString() const {
  dom::element element = Access::element(*this);
  std::string_view out;
  if (element.get_string().get(out)) return expected("a string", element);
  return out;
}

Result<Object> Value::getObject() const {
  dom::element element = Access::element(*this);
  dom::object out;
  if (element.get_object().get(out)) return expected("an object", element);
  return Access::wrap<Object>(out);
}

Result<Array> Value::getArray() const {
  dom::element element = Access::element(*this);
  dom::array out;
  if (element.get_array().get(out)) return expected("an array", element);
  return Access::wrap<Array>(out);
}

std::optional<Value> Object::find(std::string_view key) const {
  dom::element out;
  if (Access::unwrap<dom::object>(*this).at_key(key).get(out)) return std::nullopt;
  return Access::value(out);
}

size_t Object::size() const { return Access::unwrap<dom::object>(*this).size(); }

Object::Iterator Object::begin() const {
  return Access::wrap<Iterator>(Access::unwrap<dom::object>(*this).begin());
}

Object::Iterator Object::end() const {
  return Access::wrap<Iterator>(Access::unwrap<dom::object>(*this).end());
}

std::pair<std::string_view, Value> Object::Iterator::operator*() const {
  auto it = Access::unwrap<dom::object::iterator>(*this);
  return {it.key(), Access::value(it.value())};
}

Object::Iterator& Object::Iterator::operator++() {
  auto it = Access::unwrap<dom::object::iterator>(*this);
  ++it;
  Access::store(handle_, it);
  return *this;
}

bool Object::Iterator::operator==(const Iterator& other) const {
  return Access::unwrap<dom::object::iterator>(*this) == Access::unwrap<dom::object::iterator>(other);
}

size_t Array::size() const { return Access::unwrap<dom::array>(*this).size(); }

Array::Iterator Array::begin() const {
  return Access::wrap<Iterator>(Access::unwrap<dom::array>(*this).begin());
}

Array::Iterator Array::end() const { return Access::wrap<Iterator>(Access::unwrap<dom::array>(*this).end()); }

Value Array::Iterator::operator*() const { return Access::value(*Access::unwrap<dom::array::iterator>(*this)); }

Array::Iterator& Array::Iterator::operator++() {
  auto it = Access::unwrap<dom::array::iterator>(*this);
  ++it;
  Access::store(handle_, it);
  return *this;
}

bool Array::Iterator::operator==(const Iterator& other) const {
  return Access::unwrap<dom::array::iterator>(*this) == Access::unwrap<dom::array::iterator>(other);
}

struct Parser::Impl {
  dom::parser parser;
};

Parser::Parser() : impl_(std::make_unique<Impl>()) {}
Parser::~Parser() = default;
Parser::Parser(Parser&&) noexcept = default;
Parser& Parser::operator=(Parser&&) noexcept = default;

Result<Value> Parser::parse(std::string_view text) {
  dom::element root;
  if (auto error = impl_->parser.parse(text.data(), text.size()).get(root)) {
    return Status::invalidArgument(std::string("malformed JSON: ") + simdjson::error_message(error));
  }
  return Access::value(root);
}

Parser& threadParser() {
  thread_local Parser parser;
  return parser;
}

}  // namespace runnel::json
