#pragma once

#include <array>
#include <bitset>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/json_reader.h"
#include "common/json_writer.h"

// Binding C++ structs to JSON objects. A struct describes its fields once, after its
// definition and in its own namespace:
//
//   struct Tweet { int64_t id = 0; std::string text; std::optional<User> user; };
//   RUNNEL_JSON_FIELDS(Tweet, (id, "Id"), (text, "Text"), (user, "User"))
//
// (or by hand: `constexpr auto runnelJsonFields(const Tweet*) { return std::tuple{
// runnel::json::field(&Tweet::id, "Id"), ...}; }`). Supported member types: std::string,
// bool, integers, float and double, std::optional, std::vector and described structs,
// nested freely; other types get a specialization of runnel::json::Codec.
//
// Reading follows Jackson's defaults for a bean: unknown JSON fields are ignored, of
// duplicate keys the last wins, a missing field or a null leaves the member at its
// default (empty string, 0, nullopt, empty vector), a value of the wrong type is an
// error naming the field ("field 'User': field 'Id': expected a string, got an
// integer"). Numbers are not coerced across kinds:
// a string is no integer, 1.5 is no integer, an integer out of the member's range is an
// error. Reading reuses the target: strings are assigned and vectors resized in place, so
// a struct read again and again stops allocating once its buffers have grown.
// Writing writes every field in declaration order, null for an empty optional.

namespace runnel::json {

// One member of T and the name of its JSON field.
template <class T, class M>
struct Field {
  M T::*member;
  std::string_view name;
};

template <class T, class M>
constexpr Field<T, M> field(M T::*member, std::string_view name) {
  return {member, name};
}

// A struct whose fields were described (found by argument-dependent lookup).
template <class T>
concept Described = requires(const T* type) { runnelJsonFields(type); };

// How one C++ type is read from and written to JSON. reset() gives the value of a
// missing field while keeping buffers that the next record can reuse.
template <class T>
struct Codec;

template <class T>
Status read(const Value& value, T& out) {
  return Codec<T>::read(value, out);
}

template <class T>
void write(Writer& writer, const T& value) {
  Codec<T>::write(writer, value);
}

// Parses `text` with this thread's parser and reads it into `out`.
template <class T>
Status fromJson(std::string_view text, T& out) {
  RUNNEL_ASSIGN_OR_RETURN(Value root, threadParser().parse(text));
  return read(root, out);
}

// Appends the JSON text of `value` to `out`.
template <class T>
void appendJson(const T& value, std::string& out) {
  Writer writer(out);
  write(writer, value);
}

namespace internal {

inline Status withContext(std::string_view context, const Status& status) {
  std::string msg(context);
  msg.append(": ").append(status.message());
  return Status::invalidArgument(std::move(msg));
}

}  // namespace internal

template <>
struct Codec<std::string> {
  static Status read(const Value& value, std::string& out) {
    if (value.isNull()) {
      out.clear();
      return Status::ok();
    }
    RUNNEL_ASSIGN_OR_RETURN(std::string_view text, value.getString());
    out.assign(text);
    return Status::ok();
  }
  static void write(Writer& writer, const std::string& value) { writer.writeString(value); }
  static void reset(std::string& out) { out.clear(); }
};

template <>
struct Codec<bool> {
  static Status read(const Value& value, bool& out) {
    if (value.isNull()) {
      out = false;
      return Status::ok();
    }
    RUNNEL_ASSIGN_OR_RETURN(out, value.getBool());
    return Status::ok();
  }
  static void write(Writer& writer, bool value) { writer.writeBool(value); }
  static void reset(bool& out) { out = false; }
};

template <std::integral T>
  requires(!std::same_as<T, bool>)
struct Codec<T> {
  using Wide = std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>;

  static Status read(const Value& value, T& out) {
    if (value.isNull()) {
      out = 0;
      return Status::ok();
    }
    Wide wide;
    if constexpr (std::is_signed_v<T>) {
      RUNNEL_ASSIGN_OR_RETURN(wide, value.getInt64());
    } else {
      RUNNEL_ASSIGN_OR_RETURN(wide, value.getUint64());
    }
    if (wide < Wide(std::numeric_limits<T>::min()) || wide > Wide(std::numeric_limits<T>::max())) {
      return Status::invalidArgument("integer " + std::to_string(wide) + " out of range for " +
                                     (std::is_signed_v<T> ? "int" : "uint") + std::to_string(sizeof(T) * 8) +
                                     "_t");
    }
    out = T(wide);
    return Status::ok();
  }
  static void write(Writer& writer, T value) {
    if constexpr (std::is_signed_v<T>) {
      writer.writeInt64(value);
    } else {
      writer.writeUint64(value);
    }
  }
  static void reset(T& out) { out = 0; }
};

template <std::floating_point T>
struct Codec<T> {
  static Status read(const Value& value, T& out) {
    if (value.isNull()) {
      out = 0;
      return Status::ok();
    }
    RUNNEL_ASSIGN_OR_RETURN(double number, value.getDouble());
    out = T(number);
    return Status::ok();
  }
  static void write(Writer& writer, T value) { writer.writeDouble(double(value)); }
  static void reset(T& out) { out = 0; }
};

template <class U>
struct Codec<std::optional<U>> {
  static Status read(const Value& value, std::optional<U>& out) {
    if (value.isNull()) {
      out.reset();
      return Status::ok();
    }
    if (!out) out.emplace();
    return Codec<U>::read(value, *out);
  }
  static void write(Writer& writer, const std::optional<U>& value) {
    if (value) {
      Codec<U>::write(writer, *value);
    } else {
      writer.writeNull();
    }
  }
  static void reset(std::optional<U>& out) { out.reset(); }
};

template <class U>
struct Codec<std::vector<U>> {
  static Status read(const Value& value, std::vector<U>& out) {
    if (value.isNull()) {
      out.clear();
      return Status::ok();
    }
    RUNNEL_ASSIGN_OR_RETURN(Array array, value.getArray());
    out.resize(array.size());
    size_t i = 0;
    for (Value element : array) {
      Status status = readElement(element, out, i);
      if (!status.isOk()) return internal::withContext("element " + std::to_string(i), status);
      ++i;
    }
    return Status::ok();
  }
  static void write(Writer& writer, const std::vector<U>& value) {
    writer.startArray();
    for (const U& element : value) Codec<U>::write(writer, element);
    writer.endArray();
  }
  static void reset(std::vector<U>& out) { out.clear(); }

 private:
  // std::vector<bool> hands out proxies, not bool&.
  static Status readElement(const Value& element, std::vector<U>& out, size_t i) {
    if constexpr (std::is_same_v<U, bool>) {
      bool flag = false;
      RUNNEL_RETURN_IF_ERROR(Codec<bool>::read(element, flag));
      out[i] = flag;
      return Status::ok();
    } else {
      return Codec<U>::read(element, out[i]);
    }
  }
};

template <Described T>
struct Codec<T> {
  static constexpr auto kFields = runnelJsonFields(static_cast<const T*>(nullptr));
  static constexpr size_t kCount = std::tuple_size_v<decltype(kFields)>;

  // One pass over the object's members. Each key is looked up among the fields starting
  // after the last one matched, so members in declaration order match at the first try.
  static Status read(const Value& value, T& out) {
    auto object = value.getObject();
    if (!object.isOk()) {
      if (!value.isNull()) return object.status();
      reset(out);
      return Status::ok();
    }
    std::bitset<kCount> seen;
    size_t next = 0;
    for (auto [key, member] : *object) {
      size_t index = find(key, next);
      if (index == kCount) continue;  // unknown fields are ignored
      seen.set(index);
      next = index + 1;
      Status status = kReaders[index](member, out);
      if (!status.isOk()) return internal::withContext("field '" + std::string(kNames[index]) + "'", status);
    }
    for (size_t i = 0; i < kCount && !seen.all(); ++i) {
      if (!seen[i]) kResetters[i](out);
    }
    return Status::ok();
  }
  static void write(Writer& writer, const T& value) {
    writer.startObject();
    std::apply(
        [&](const auto&... fields) {
          ((writer.writeKey(fields.name), json::write(writer, value.*fields.member)), ...);
        },
        kFields);
    writer.endObject();
  }
  static void reset(T& out) {
    for (auto resetter : kResetters) resetter(out);
  }

 private:
  static size_t find(std::string_view key, size_t start) {
    for (size_t n = 0; n < kCount; ++n) {
      size_t i = start + n < kCount ? start + n : start + n - kCount;
      if (kNames[i] == key) return i;
    }
    return kCount;
  }

  template <size_t I>
  static Status readMember(const Value& value, T& out) {
    auto& member = out.*std::get<I>(kFields).member;
    return Codec<std::remove_reference_t<decltype(member)>>::read(value, member);
  }
  template <size_t I>
  static void resetMember(T& out) {
    auto& member = out.*std::get<I>(kFields).member;
    Codec<std::remove_reference_t<decltype(member)>>::reset(member);
  }

  // Tables indexed by field number, so that a key found at run time reaches its member.
  static constexpr auto kNames = []<size_t... I>(std::index_sequence<I...>) {
    return std::array<std::string_view, kCount>{std::get<I>(kFields).name...};
  }(std::make_index_sequence<kCount>());
  static constexpr auto kReaders = []<size_t... I>(std::index_sequence<I...>) {
    return std::array<Status (*)(const Value&, T&), kCount>{&readMember<I>...};
  }(std::make_index_sequence<kCount>());
  static constexpr auto kResetters = []<size_t... I>(std::index_sequence<I...>) {
    return std::array<void (*)(T&), kCount>{&resetMember<I>...};
  }(std::make_index_sequence<kCount>());
};

}  // namespace runnel::json

// RUNNEL_JSON_FIELDS(Type, (member, "JsonName"), ...): describes Type's JSON fields.
// Use at namespace scope in Type's namespace, after Type is complete.
#define RUNNEL_JSON_FIELDS(Type, ...)                                          \
  [[maybe_unused]] constexpr auto runnelJsonFields(const Type*) {              \
    return std::make_tuple(RUNNEL_JSON_FOR_EACH_(Type, __VA_ARGS__));          \
  }

// A bounded macro loop (C++20 __VA_OPT__): RUNNEL_JSON_EXPAND_ rescans its argument 64
// times, one field per rescan, so a struct describes up to 64 fields.
#define RUNNEL_JSON_PARENS_ ()
#define RUNNEL_JSON_EXPAND_(...) RUNNEL_JSON_EXPAND3_(RUNNEL_JSON_EXPAND3_(RUNNEL_JSON_EXPAND3_(RUNNEL_JSON_EXPAND3_(__VA_ARGS__))))
#define RUNNEL_JSON_EXPAND3_(...) RUNNEL_JSON_EXPAND2_(RUNNEL_JSON_EXPAND2_(RUNNEL_JSON_EXPAND2_(RUNNEL_JSON_EXPAND2_(__VA_ARGS__))))
#define RUNNEL_JSON_EXPAND2_(...) RUNNEL_JSON_EXPAND1_(RUNNEL_JSON_EXPAND1_(RUNNEL_JSON_EXPAND1_(RUNNEL_JSON_EXPAND1_(__VA_ARGS__))))
#define RUNNEL_JSON_EXPAND1_(...) __VA_ARGS__
#define RUNNEL_JSON_FOR_EACH_(Type, ...) __VA_OPT__(RUNNEL_JSON_EXPAND_(RUNNEL_JSON_EACH_(Type, __VA_ARGS__)))
#define RUNNEL_JSON_EACH_(Type, pair, ...) \
  RUNNEL_JSON_FIELD_(Type, RUNNEL_JSON_UNPAREN_ pair) __VA_OPT__(, RUNNEL_JSON_EACH_AGAIN_ RUNNEL_JSON_PARENS_(Type, __VA_ARGS__))
#define RUNNEL_JSON_EACH_AGAIN_() RUNNEL_JSON_EACH_
#define RUNNEL_JSON_UNPAREN_(...) __VA_ARGS__
#define RUNNEL_JSON_FIELD_(Type, ...) RUNNEL_JSON_FIELD2_(Type, __VA_ARGS__)
#define RUNNEL_JSON_FIELD2_(Type, member, name) ::runnel::json::field(&Type::member, name)
