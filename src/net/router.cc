#include "net/router.h"

#include <map>

namespace runnel::net {

std::vector<std::string> splitPath(std::string_view raw_path) {
  std::vector<std::string> segments;
  if (raw_path.starts_with('/')) raw_path.remove_prefix(1);
  if (raw_path.empty()) return segments;
  while (true) {
    size_t slash = raw_path.find('/');
    segments.push_back(percentDecode(raw_path.substr(0, slash), false));
    if (slash == std::string_view::npos) break;
    raw_path.remove_prefix(slash + 1);
  }
  return segments;
}

Router::Router()
    : fallback_([](Request& request) { return Response::text(404, "not found: " + request.path + "\n"); }) {}

Status Router::add(std::string_view method, std::string_view pattern, Handler handler) {
  if (!pattern.starts_with('/')) return Status::invalidArgument("route pattern must start with '/': " + std::string(pattern));
  if (method.empty()) return Status::invalidArgument("route method is empty");
  Route route{std::string(method), {}, std::move(handler)};
  std::string_view rest = pattern.substr(1);
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string segment(rest.substr(0, slash));
    if (segment == ":") return Status::invalidArgument("route capture without a name: " + std::string(pattern));
    route.segments.push_back(std::move(segment));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
    if (rest.empty()) route.segments.emplace_back();  // trailing slash is significant
  }
  routes_.push_back(std::move(route));
  return Status::ok();
}

Response Router::dispatch(Request& request) const {
  std::string_view raw_path = std::string_view(request.target).substr(0, request.target.find('?'));
  std::vector<std::string> segments = splitPath(raw_path);
  std::string allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& expected = route.segments[i];
      if (expected.size() > 1 && expected[0] == ':') {
        if (segments[i].empty()) match = false;
        else params[expected.substr(1)] = segments[i];
      } else {
        match = expected == segments[i];
      }
    }
    if (!match) continue;
    if (route.method != request.method) {
      if (allowed.find(route.method) == std::string::npos) allowed += allowed.empty() ? route.method : ", " + route.method;
      continue;
    }
    request.path_params = std::move(params);
    return route.handler(request);
  }
  if (!allowed.empty()) {
    Response response = Response::text(405, "method " + request.method + " not allowed on " + request.path + "\n");
    response.headers.set("Allow", allowed);
    return response;
  }
  return fallback_(request);
}

}  // namespace runnel::net
