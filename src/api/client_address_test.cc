#include "api/client_address.h"

#include <gtest/gtest.h>

namespace clipthat::api {
namespace {

std::vector<IpNetwork> Networks(std::initializer_list<const char*> texts) {
  std::vector<IpNetwork> out;
  for (const char* t : texts) out.push_back(*IpNetwork::Parse(t));
  return out;
}

TEST(ClientAddressTest, WithoutTrustedProxiesThePeerIsTheClient) {
  EXPECT_EQ(ClientAddress("198.51.100.1", {"203.0.113.7"}, {}), "198.51.100.1");
}

TEST(ClientAddressTest, AnUntrustedPeerCannotClaimAnotherAddress) {
  EXPECT_EQ(ClientAddress("198.51.100.1", {"203.0.113.7"}, Networks({"10.0.0.0/8"})),
            "198.51.100.1");
}

TEST(ClientAddressTest, BehindTrustedProxiesTheRightmostOtherAddressIsTheClient) {
  auto proxies = Networks({"10.0.0.0/8", "::1"});
  EXPECT_EQ(ClientAddress("10.0.0.2", {"203.0.113.7"}, proxies), "203.0.113.7");
  EXPECT_EQ(ClientAddress("10.0.0.2", {"203.0.113.7, 10.0.0.9"}, proxies), "203.0.113.7");
  // What the client wrote itself, left of the address the proxy saw, is not believed.
  EXPECT_EQ(ClientAddress("10.0.0.2", {"1.2.3.4, 203.0.113.7"}, proxies), "203.0.113.7");
  // Several headers are one list.
  EXPECT_EQ(ClientAddress("10.0.0.2", {"1.2.3.4", "203.0.113.7 ,10.0.0.3"}, proxies),
            "203.0.113.7");
  EXPECT_EQ(ClientAddress("::1", {"2001:db8::5"}, proxies), "2001:db8::5");
}

TEST(ClientAddressTest, GarbageOrAMissingHeaderStopsAtTheLastAddressATrustedProxyWrote) {
  auto proxies = Networks({"10.0.0.0/8"});
  EXPECT_EQ(ClientAddress("10.0.0.2", {}, proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", {"unknown"}, proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", {"203.0.113.7:5555"}, proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress("10.0.0.2", {"203.0.113.7, garbage, 10.0.0.4"}, proxies), "10.0.0.4");
  // Every hop a trusted proxy: the leftmost.
  EXPECT_EQ(ClientAddress("10.0.0.2", {"10.0.0.5, 10.0.0.4"}, proxies), "10.0.0.5");
}

}  // namespace
}  // namespace clipthat::api
