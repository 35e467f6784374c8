#include "ai/wav.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "core/base64.h"

namespace clipthat::ai {
namespace {

std::uint32_t U32(const std::string& b, std::size_t at) {
  return static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8 |
         static_cast<unsigned char>(b[at + 2]) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
std::int16_t S16(const std::string& b, std::size_t at) {
  return static_cast<std::int16_t>(static_cast<unsigned char>(b[at]) |
                                   static_cast<unsigned char>(b[at + 1]) << 8);
}

TEST(WavTest, EncodesSixteenBitPcm) {
  media::AudioBuffer audio;
  audio.samples = {0.0f, 1.0f, -1.0f, 0.5f, 2.0f, -3.0f};
  auto wav = EncodeWav16(audio);
  ASSERT_TRUE(wav.ok());
  const std::string& b = *wav;
  ASSERT_EQ(b.size(), 44u + 12u);
  EXPECT_EQ(b.substr(0, 4), "RIFF");
  EXPECT_EQ(U32(b, 4), 36u + 12u);
  EXPECT_EQ(b.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(U32(b, 16), 16u);
  EXPECT_EQ(S16(b, 20), 1);  // PCM
  EXPECT_EQ(S16(b, 22), 1);  // mono
  EXPECT_EQ(U32(b, 24), 16000u);
  EXPECT_EQ(U32(b, 28), 32000u);
  EXPECT_EQ(S16(b, 32), 2);
  EXPECT_EQ(S16(b, 34), 16);
  EXPECT_EQ(b.substr(36, 4), "data");
  EXPECT_EQ(U32(b, 40), 12u);
  EXPECT_EQ(S16(b, 44), 0);
  EXPECT_EQ(S16(b, 46), 32767);
  EXPECT_EQ(S16(b, 48), -32767);
  EXPECT_EQ(S16(b, 50), 16384);
  EXPECT_EQ(S16(b, 52), 32767);   // clipped
  EXPECT_EQ(S16(b, 54), -32767);  // clipped
}

TEST(WavTest, RejectsABadFormat) {
  media::AudioBuffer audio;
  audio.sample_rate_hz = 0;
  EXPECT_EQ(EncodeWav16(audio).status().code(), StatusCode::kInvalidArgument);
}

TEST(Base64Test, MatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xd8\xff", 3)), "/9j/");
}

}  // namespace
}  // namespace clipthat::ai
