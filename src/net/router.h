#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "net/http.h"

namespace runnel::net {

// Answers one request. Runs on an I/O thread of the server: it may block briefly (a remote
// lookup through HttpClient), but long work belongs elsewhere, as each blocked handler holds
// one of the server's I/O threads.
using Handler = std::function<Response(Request&)>;

// Method + path-pattern routing. A pattern is a path whose segments are literals or
// ":name" captures ("/leaderboard/:productId"); a capture matches one non-empty,
// percent-decoded segment. Routes are tried in the order they were added; a path that
// matches a route of another method only gets 405 with an Allow header; no match at all
// goes to the fallback (404 unless replaced).
class Router {
 public:
  Router();

  Status add(std::string_view method, std::string_view pattern, Handler handler);
  void setFallback(Handler handler) { fallback_ = std::move(handler); }

  // Fills request.path_params and calls the matching handler.
  Response dispatch(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // ":name" for a capture
    Handler handler;
  };

  std::vector<Route> routes_;
  Handler fallback_;
};

// "/a/b%2Fc/" -> {"a", "b/c", ""}: split before decoding, so an encoded slash stays data.
std::vector<std::string> splitPath(std::string_view raw_path);

}  // namespace runnel::net
