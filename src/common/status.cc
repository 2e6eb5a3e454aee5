#include "common/status.h"

#include <cstring>

namespace runnel {
namespace {

const char* codeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "OK";
    case Status::Code::kInvalidArgument: return "Invalid argument";
    case Status::Code::kNotFound: return "Not found";
    case Status::Code::kAlreadyExists: return "Already exists";
    case Status::Code::kCorruption: return "Corruption";
    case Status::Code::kIoError: return "IO error";
    case Status::Code::kOutOfRange: return "Out of range";
    case Status::Code::kUnsupported: return "Unsupported";
    case Status::Code::kTimedOut: return "Timed out";
    case Status::Code::kInternal: return "Internal error";
  }
  return "Unknown";
}

}  // namespace

Status Status::fromErrno(std::string_view what, int errno_value) {
  std::string msg(what);
  msg += ": ";
  msg += std::strerror(errno_value);
  return ioError(std::move(msg));
}

std::string Status::toString() const {
  if (isOk()) return "OK";
  std::string out = codeName(code_);
  out += ": ";
  out += message_;
  return out;
}

}  // namespace runnel
