#pragma once

#include <optional>
#include <string>
#include <unordered_map>

// Functions whose text arguments are compiled (date patterns, zones, JSON paths) get the
// same argument on every row, usually a literal: each thread keeps what it compiled, so a
// row costs a hash lookup instead of a compilation.
namespace runnel::sql::functions {

// The compiled form of `key` (`make(key)` returns Result<T>), failures remembered as
// nullptr. The memo is emptied when full: only a handful of distinct texts are in use at
// once. The pointer is valid until the next call for the same T.
template <class T, class Make>
const T* memoized(const std::string& key, Make make) {
  thread_local std::unordered_map<std::string, std::optional<T>> memo;
  auto it = memo.find(key);
  if (it == memo.end()) {
    if (memo.size() >= 64) memo.clear();
    auto made = make(key);
    it = memo.emplace(key, made.isOk() ? std::optional<T>(std::move(made).value()) : std::nullopt)
             .first;
  }
  return it->second ? &*it->second : nullptr;
}

}  // namespace runnel::sql::functions
