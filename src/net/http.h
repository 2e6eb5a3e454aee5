#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

// Plain HTTP value types shared by the server and the client. No Asio or Beast here: every
// module that serves or calls HTTP includes this, and it must stay cheap to compile.
namespace runnel::net {

// Header fields in arrival order; lookup ignores ASCII case, as HTTP field names do.
class Headers {
 public:
  Headers() = default;
  Headers(std::initializer_list<std::pair<std::string, std::string>> fields);

  // The first value of the field, or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  // Replaces every field of that name with one.
  void set(std::string name, std::string value);
  // Appends, keeping earlier fields of the same name (Set-Cookie style).
  void add(std::string name, std::string value);
  void remove(std::string_view name);

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

bool equalsIgnoreCase(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // as sent: "GET", "POST", ...
  std::string target;  // as sent: "/leaderboard/42?limit=5"
  std::string path;    // percent-decoded path without the query: "/leaderboard/42"
  std::map<std::string, std::string> query;        // decoded; a repeated key keeps the last
  std::map<std::string, std::string> path_params;  // ":productId" -> "42", from the route
  Headers headers;
  std::string body;
  std::string remote;  // "127.0.0.1:51234": tells connections apart (keep-alive, logs)

  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
  // The query parameter or path parameter, or nullopt.
  std::optional<std::string_view> queryParam(const std::string& name) const;
  std::optional<std::string_view> pathParam(const std::string& name) const;
};

class ResponseStream;

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  Headers headers;
  std::string body;

  // Set by streaming(): instead of `body`, the server sends the head with chunked transfer
  // encoding and hands the stream to this function (on an I/O thread; it must not block,
  // but may keep the stream and write to it from any thread). Server side only.
  std::function<void(std::shared_ptr<ResponseStream>)> on_stream;

  static Response text(int status, std::string body);
  static Response json(int status, std::string body);
  static Response streaming(int status, std::string content_type,
                            std::function<void(std::shared_ptr<ResponseStream>)> on_stream);
};

// "a%20b+c" -> "a b c" when plus_is_space (query strings), "a b+c" otherwise (paths).
// Malformed escapes are kept literally rather than rejected: lenient like most servers.
std::string percentDecode(std::string_view text, bool plus_is_space);
// Encodes everything except unreserved characters (RFC 3986), for building targets.
std::string percentEncode(std::string_view text);
// "a=1&b=x%20y" -> {a: 1, b: "x y"}.
std::map<std::string, std::string> parseQuery(std::string_view query);

// An HTTP URL split for a connection: "http://host:port/target", "host:port/target" or
// "host:port" (target "/"). Only plain http: TLS is out of scope for the module.
struct Url {
  std::string host;
  uint16_t port = 80;
  std::string target = "/";
};
Result<Url> parseUrl(std::string_view url);

}  // namespace runnel::net
