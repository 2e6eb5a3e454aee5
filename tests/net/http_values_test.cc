// The plain value helpers: URL, query and header handling, and route matching without sockets.
#include <gtest/gtest.h>

#include "net/http.h"
#include "net/router.h"

namespace runnel::net {
namespace {

TEST(HttpValuesTest, ParsesUrls) {
  auto full = parseUrl("http://localhost:8088/query?x=1");
  ASSERT_TRUE(full.isOk());
  EXPECT_EQ(full->host, "localhost");
  EXPECT_EQ(full->port, 8088);
  EXPECT_EQ(full->target, "/query?x=1");
  auto bare = parseUrl("127.0.0.1:9");
  ASSERT_TRUE(bare.isOk());
  EXPECT_EQ(bare->target, "/");
  auto v6 = parseUrl("[::1]:80/a");
  ASSERT_TRUE(v6.isOk());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_FALSE(parseUrl("https://x:1/").isOk());
  EXPECT_FALSE(parseUrl("x:99999/").isOk());
  EXPECT_FALSE(parseUrl(":80/").isOk());
}

TEST(HttpValuesTest, DecodesQueriesAndPaths) {
  auto query = parseQuery("a=1&b=x%20y+z&flag&&c=%zz");
  EXPECT_EQ(query["a"], "1");
  EXPECT_EQ(query["b"], "x y z");
  EXPECT_EQ(query["flag"], "");
  EXPECT_EQ(query["c"], "%zz");  // malformed escapes stay literal
  EXPECT_EQ(percentDecode("a+b%2F", false), "a+b/");
  EXPECT_EQ(percentEncode("a b/ü"), "a%20b%2F%C3%BC");
  EXPECT_EQ(splitPath("/a/b%2Fc/"), (std::vector<std::string>{"a", "b/c", ""}));
}

TEST(HttpValuesTest, HeadersIgnoreCase) {
  Headers headers{{"Content-Type", "a"}};
  EXPECT_EQ(headers.get("content-type"), "a");
  headers.set("CONTENT-TYPE", "b");
  EXPECT_EQ(headers.fields().size(), 1u);
  EXPECT_EQ(headers.get("Content-Type"), "b");
  headers.add("Set-Cookie", "1");
  headers.add("set-cookie", "2");
  EXPECT_EQ(headers.fields().size(), 3u);
  headers.remove("SET-COOKIE");
  EXPECT_EQ(headers.fields().size(), 1u);
  EXPECT_FALSE(headers.contains("x"));
}

TEST(HttpValuesTest, RouterMatchesInOrderAndAnswers405) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/a/special", [](Request&) { return Response::text(200, "special"); }).isOk());
  ASSERT_TRUE(router.add("GET", "/a/:id", [](Request& r) { return Response::text(200, "id=" + r.path_params["id"]); }).isOk());
  ASSERT_TRUE(router.add("GET", "/", [](Request&) { return Response::text(200, "root"); }).isOk());
  EXPECT_FALSE(router.add("GET", "a", [](Request&) { return Response{}; }).isOk());
  auto dispatch = [&](std::string method, std::string target) {
    Request request;
    request.method = std::move(method);
    request.target = std::move(target);
    return router.dispatch(request);
  };
  EXPECT_EQ(dispatch("GET", "/a/special").body, "special");
  EXPECT_EQ(dispatch("GET", "/a/x%20y?q=1").body, "id=x y");
  EXPECT_EQ(dispatch("GET", "/").body, "root");
  EXPECT_EQ(dispatch("GET", "/a/").status, 404);  // a capture needs a non-empty segment
  EXPECT_EQ(dispatch("GET", "/a/b/c").status, 404);
  Response wrong_method = dispatch("DELETE", "/a/1");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.headers.get("Allow"), "GET");
}

}  // namespace
}  // namespace runnel::net
