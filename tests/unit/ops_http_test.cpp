// The HTTP endpoint's request reading and bearer check (runtime/ops/http_request.h).
#include <gtest/gtest.h>

#include "ops/http_request.h"

namespace sbc::ops {
namespace {

TEST(HttpRequest, ReadsMethodPathAndTheHeadersItNeeds) {
  auto r = parse_http_request(
      "GET /metrics?x=1 HTTP/1.1\r\nHost: 127.0.0.20:8090\r\nauthorization:  Bearer s3cret \r\n"
      "Content-Length: 12\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method, "GET");
  EXPECT_EQ(r->path, "/metrics");
  EXPECT_EQ(r->authorization, "Bearer s3cret");
  EXPECT_EQ(r->content_length, 12u);
}

TEST(HttpRequest, RefusesWhatIsNotHttp) {
  EXPECT_FALSE(parse_http_request("GET /metrics\r\n\r\n"));
  EXPECT_FALSE(parse_http_request("GET metrics HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(parse_http_request("INVITE sip:a@b SIP/2.0\r\n\r\n"));
  EXPECT_FALSE(parse_http_request(""));
}

TEST(HttpRequest, BearerTokenMustMatchExactly) {
  EXPECT_TRUE(bearer_matches("Bearer s3cret", "s3cret"));
  EXPECT_TRUE(bearer_matches("bearer s3cret", "s3cret"));
  EXPECT_FALSE(bearer_matches("Bearer s3cre", "s3cret"));
  EXPECT_FALSE(bearer_matches("Bearer s3cretx", "s3cret"));
  EXPECT_FALSE(bearer_matches("Basic s3cret", "s3cret"));
  EXPECT_FALSE(bearer_matches("", "s3cret"));
  EXPECT_FALSE(bearer_matches("Bearer ", "")) << "an empty token never matches";
}

}  // namespace
}  // namespace sbc::ops
