#include "api/login_throttle.h"

#include <gtest/gtest.h>

namespace clipthat::api {
namespace {

constexpr char kOwner[] = "owner@example.com";

TEST(LoginThrottleTest, FreeFailuresThenDoublingDelaysPerEmailAndAddress) {
  LoginThrottle t({.free_failures = 3, .base_delay_ms = 1000, .max_delay_ms = 8000});
  std::int64_t now = 1'000'000;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(t.Begin(kOwner, "1.1.1.1", now), 0);
  EXPECT_EQ(t.Begin(kOwner, "1.1.1.1", now), 1000);
  EXPECT_EQ(t.Begin(kOwner, "1.1.1.1", now + 400), 600);  // a refused attempt counts nothing
  now += 1000;
  EXPECT_EQ(t.Begin(kOwner, "1.1.1.1", now), 0);
  EXPECT_EQ(t.Begin(kOwner, "1.1.1.1", now), 2000);
  now += 2000;
  EXPECT_EQ(t.Begin(kOwner, "1.1.1.1", now), 0);
  EXPECT_EQ(t.Begin(kOwner, "1.1.1.1", now), 4000);
  for (int i = 0; i < 10; ++i) {
    now += 8000;
    EXPECT_EQ(t.Begin(kOwner, "1.1.1.1", now), 0);
  }
  EXPECT_EQ(t.Begin(kOwner, "1.1.1.1", now), 8000);  // capped at max_delay_ms
}

TEST(LoginThrottleTest, GuessesFromManyAddressesDelayTheOwnerBySecondsAtMost) {
  LoginThrottle t({.free_failures = 3,
                   .base_delay_ms = 1000,
                   .max_delay_ms = 60000,
                   .account_free_failures = 10,
                   .account_max_delay_ms = 2000});
  std::int64_t now = 1'000'000;
  // A thousand addresses, each using its free failures, as fast as they are let in.
  for (int a = 0; a < 1000; ++a) {
    for (int i = 0; i < 3; ++i) {
      const std::string address = "10.0." + std::to_string(a / 256) + "." + std::to_string(a % 256);
      std::int64_t wait = t.Begin(kOwner, address, now);
      EXPECT_LE(wait, 2000);
      now += wait;
      if (wait > 0) {
        EXPECT_EQ(t.Begin(kOwner, address, now), 0);
      }
    }
  }
  // The owner, at an address of their own, waits at most account_max_delay_ms.
  const std::int64_t wait = t.Begin(kOwner, "192.0.2.7", now);
  EXPECT_LE(wait, 2000);
  EXPECT_EQ(t.Begin(kOwner, "192.0.2.7", now + wait), 0);
  t.Succeeded(kOwner, "192.0.2.7");
  EXPECT_EQ(t.Begin(kOwner, "192.0.2.7", now + wait), 0);
}

TEST(LoginThrottleTest, ASuccessForgetsOnlyItsOwnAddressAndOldFailuresExpire) {
  LoginThrottle t({.free_failures = 1, .base_delay_ms = 1000, .forget_after_ms = 60000});
  std::int64_t now = 1'000'000;
  EXPECT_EQ(t.Begin(kOwner, "guesser", now), 0);
  EXPECT_EQ(t.Begin(kOwner, "owner", now), 0);
  t.Succeeded(kOwner, "owner");
  EXPECT_EQ(t.Begin(kOwner, "owner", now), 0);
  EXPECT_GT(t.Begin(kOwner, "guesser", now), 0);
  EXPECT_EQ(t.Begin("other@example.com", "guesser", now), 0);  // per e-mail
  EXPECT_EQ(t.Begin(kOwner, "guesser", now + 60001), 0);       // forgotten
}

}  // namespace
}  // namespace clipthat::api
