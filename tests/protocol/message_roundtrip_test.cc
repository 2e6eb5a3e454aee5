// Every message at every version: encode -> decode -> re-encode is byte-identical, every
// byte is consumed, and a frame cut short fails to decode instead of misreading.

#include <gtest/gtest.h>

#include <string>
#include <typeinfo>

#include "message_filler.h"
#include "message_list.h"
#include "protocol/api.h"

namespace runnel::protocol {
namespace {

template <typename Msg>
Bytes encode(const Msg& msg, int16_t version) {
  Bytes out;
  Encoder(out, version, version >= Msg::kFirstFlexibleVersion).structure(msg);
  return out;
}

template <typename Msg>
void checkRoundTrip(int16_t version, uint32_t seed) {
  SCOPED_TRACE(std::string(typeid(Msg).name()) + " v" + std::to_string(version) + " seed " + std::to_string(seed));
  Msg msg;
  testing::Filler filler(version, version >= Msg::kFirstFlexibleVersion, seed);
  filler.structure(msg);
  Bytes first = encode(msg, version);

  Msg decoded;
  Status status = decodeBody(first, version, decoded);
  ASSERT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(encode(decoded, version), first);

  if (!first.empty()) {
    Msg truncated;
    EXPECT_FALSE(decodeBody(ByteSpan(first).first(first.size() - 1), version, truncated).isOk());
  }
  Bytes longer = first;
  longer.push_back(0);
  Msg trailing;
  EXPECT_FALSE(decodeBody(longer, version, trailing).isOk());
}

TEST(MessageRoundTrip, EveryMessageEveryVersion) {
  int checked = 0;
  testing::forEachMessageType([&]<typename Msg>(int16_t max_version, bool) {
    for (int16_t version = 0; version <= max_version; ++version) {
      for (uint32_t seed = 1; seed <= 20; ++seed) {
        checkRoundTrip<Msg>(version, seed * 2654435761u);
        ++checked;
      }
    }
  });
  EXPECT_GT(checked, 3000);
}

TEST(MessageRoundTrip, DefaultsEncodeAndDecode) {
  testing::forEachMessageType([&]<typename Msg>(int16_t max_version, bool) {
    for (int16_t version = 0; version <= max_version; ++version) {
      Msg msg;
      Bytes bytes = encode(msg, version);
      Msg decoded;
      EXPECT_TRUE(decodeBody(bytes, version, decoded).isOk()) << typeid(Msg).name() << " v" << version;
      EXPECT_EQ(encode(decoded, version), bytes);
    }
  });
}

// Served request APIs travel in frames whose header version depends on flexibility.
TEST(MessageRoundTrip, RequestFramesOfServedApis) {
  int frames = 0;
  testing::forEachMessageType([&]<typename Msg>(int16_t, bool is_request) {
    const ApiSupport* api = findApi(int16_t(Msg::kApiKey));
    if (!is_request || !api) return;
    for (int16_t version = api->min_version; version <= api->max_version; ++version) {
      Msg msg;
      testing::Filler(version, version >= Msg::kFirstFlexibleVersion, 7).structure(msg);
      Bytes frame;
      encodeRequestFrame(msg, version, 42, std::string("client-1"), frame);
      ASSERT_EQ(loadBe32(frame.data()), frame.size() - 4);
      size_t body_offset = 0;
      auto header = decodeRequestHeader(ByteSpan(frame).subspan(4), body_offset);
      ASSERT_TRUE(header.isOk());
      EXPECT_EQ(header->api_key, int16_t(Msg::kApiKey));
      EXPECT_EQ(header->api_version, version);
      EXPECT_EQ(header->correlation_id, 42);
      EXPECT_EQ(header->client_id, "client-1");
      Msg decoded;
      ASSERT_TRUE(decodeBody(ByteSpan(frame).subspan(4 + body_offset), version, decoded).isOk());
      EXPECT_EQ(encode(decoded, version), encode(msg, version));
      ++frames;
    }
  });
  EXPECT_GT(frames, 50);
}

}  // namespace
}  // namespace runnel::protocol
