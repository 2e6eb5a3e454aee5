#pragma once

// Interactive queries over HTTP for the examples: a key lookup that any instance of an
// application answers, from its own store when it holds the key, otherwise by forwarding
// the request to the instance that does (the book's "remote queries", chapter 4).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "common/json_bind.h"
#include "net/http.h"
#include "net/http_client.h"
#include "net/http_server.h"
#include "streams/interactive_queries.h"
#include "streams/kafka_streams.h"
#include "streams/serde.h"

namespace runnel::examples {

// {"error": message} with `status`.
net::Response jsonError(int status, std::string_view message);

// What every RemoteKeyLookup shares, whatever its key and value types: this instance's
// identity and the forwarding of a request to another instance.
class RemoteQueries {
 public:
  // A forwarded request carries this header, so that an instance that does not hold the
  // key either (ownership moving during a rebalance) answers 503 instead of forwarding
  // again, possibly back: requests never ping-pong between instances.
  static constexpr const char* kForwardedHeader = "X-Runnel-Forwarded-By";
  // Bounds a forwarded lookup; an owner that does not answer in time gets a 503.
  static constexpr std::chrono::milliseconds kForwardTimeout{5000};

  // `self` is this instance's application.server.
  RemoteQueries(const streams::KafkaStreams& streams, streams::HostInfo self);

  const streams::HostInfo& self() const { return self_; }
  const streams::KafkaStreams& streams() const { return streams_; }

  // Sends `request` (same target) to `owner` and relays its status and body. 503 when the
  // owner cannot be reached (killed, not listening yet) or when `request` is itself a
  // forwarded one.
  net::Response forward(const streams::HostInfo& owner, const net::Request& request);
  // Whether this instance runs a task for `partition` now. Between the group's assignment
  // and the end of a task's restore the assignment already names this instance, while the
  // task (and so the key) is not there yet: that is a 503, not a 404.
  bool runsPartition(int32_t partition) const;

 private:
  const streams::KafkaStreams& streams_;
  streams::HostInfo self_;
  net::HttpClient client_;
};

// The JSON text of a value with a json::Codec (RUNNEL_JSON_FIELDS structs, numbers,
// strings, optionals, ...).
template <class V>
std::string toJson(const V& value) {
  std::string out;
  json::appendJson(value, out);
  return out;
}

// Answers GET lookups of single keys of the key-value store `store_name`:
//   200 and the value's JSON when the key is there,
//   404 {"error": ...} when the instance that holds the key's partition has no such key,
//   503 {"error": ...} while no instance can answer for the key: its partition has no
//       owner (rebalancing), the owner is restoring the store, or cannot be reached.
// Lookups of keys another instance holds are forwarded to it (the same request target)
// and its answer is relayed. Thread-safe: handlers on several I/O threads share one.
template <class K, class V>
class RemoteKeyLookup {
 public:
  using ValueEncoder = std::function<std::string(const V&)>;

  // `key_serde` must be the serde the store's input topic is partitioned with, as
  // queryMetadataForKey needs. `streams` must outlive this object.
  RemoteKeyLookup(const streams::KafkaStreams& streams, streams::HostInfo self, std::string store_name,
                  streams::SerdePtr<K> key_serde, ValueEncoder encode = toJson<V>)
      : remote_(streams, std::move(self)),
        store_name_(std::move(store_name)),
        key_serde_(std::move(key_serde)),
        encode_(std::move(encode)) {}

  net::Response lookup(const K& key, const net::Request& request) {
    const streams::KafkaStreams& app = remote_.streams();
    auto owner = app.queryMetadataForKey(store_name_, key, key_serde_);
    // Any failure to locate the key (no owner yet, the group or the broker briefly
    // unavailable) passes with time: 503, so that clients retry.
    if (!owner.isOk()) return jsonError(503, owner.status().message());
    if (owner->active_host != remote_.self()) return remote_.forward(owner->active_host, request);
    if (!remote_.runsPartition(owner->partition)) {
      return jsonError(503, "store " + store_name_ + " is not queryable yet: partition " +
                                std::to_string(owner->partition) + " is being restored");
    }
    auto store = app.template store<K, V>(store_name_);
    if (!store.isOk()) return jsonError(503, store.status().message());
    auto value = store->get(key);
    if (!value.isOk()) return jsonError(500, value.status().message());
    if (!*value) return jsonError(404, "no such key in store " + store_name_);
    return net::Response::json(200, encode_(**value));
  }

 private:
  RemoteQueries remote_;
  std::string store_name_;
  streams::SerdePtr<K> key_serde_;
  ValueEncoder encode_;
};

// The options of an HTTP server listening on `self` (the application.server), with
// threads enough that a handler blocked on a forwarded lookup does not hold up the rest.
net::HttpServerOptions queryServerOptions(const streams::HostInfo& self);

}  // namespace runnel::examples
