#pragma once

#include <utility>

#include "common/result.h"
#include "common/status.h"
#include "streams/processor_error.h"

namespace runnel::streams {

// For processor code, where Kafka Streams throws and the task catches: stores return
// errors as values, and these turn an error into a StreamsException in one call.
//   int64_t count = orThrow(store.get(key)).value_or(0);
//   orThrow(store.put(key, count + 1));
inline void orThrow(const Status& status) {
  if (!status.isOk()) throw StreamsException(status.toString());
}

template <class T>
T orThrow(Result<T>&& result) {
  orThrow(result.status());
  return std::move(result).value();
}

}  // namespace runnel::streams
