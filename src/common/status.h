#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace runnel {

// The outcome of an operation that can fail. Errors cross module boundaries as values,
// never as exceptions. An OK status carries no allocation.
class [[nodiscard]] Status {
 public:
  enum class Code : unsigned char {
    kOk,
    kInvalidArgument,
    kNotFound,
    kAlreadyExists,
    kCorruption,
    kIoError,
    kOutOfRange,
    kUnsupported,
    kTimedOut,
    kInternal,
  };

  Status() = default;

  static Status ok() { return Status(); }
  static Status invalidArgument(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  static Status notFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status alreadyExists(std::string msg) { return {Code::kAlreadyExists, std::move(msg)}; }
  static Status corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status ioError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status outOfRange(std::string msg) { return {Code::kOutOfRange, std::move(msg)}; }
  static Status unsupported(std::string msg) { return {Code::kUnsupported, std::move(msg)}; }
  static Status timedOut(std::string msg) { return {Code::kTimedOut, std::move(msg)}; }
  static Status internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }
  // An I/O error from a failed system call: "<what>: <strerror(errno_value)>".
  static Status fromErrno(std::string_view what, int errno_value);

  bool isOk() const { return code_ == Code::kOk; }
  explicit operator bool() const { return isOk(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "Corruption: bad CRC in segment 00000000000000000000.log", or "OK".
  std::string toString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace runnel

// Variadic so that an expression with template commas needs no extra parentheses.
#define RUNNEL_RETURN_IF_ERROR(...)         \
  do {                                      \
    ::runnel::Status runnel_status_ = (__VA_ARGS__); \
    if (!runnel_status_.isOk()) return runnel_status_; \
  } while (0)
