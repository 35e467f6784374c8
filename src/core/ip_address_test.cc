#include "core/ip_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

namespace clipthat {
namespace {

TEST(IpAddressTest, ParsesOnlyStandardNumericForms) {
  Result<IpAddress> v4 = IpAddress::Parse("192.0.2.1");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->family(), IpAddress::Family::kV4);
  EXPECT_EQ(v4->v4_value(), 0xC0000201u);
  EXPECT_EQ(v4->ToString(), "192.0.2.1");
  Result<IpAddress> v6 = IpAddress::Parse("2001:DB8:0:0::1");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->family(), IpAddress::Family::kV6);
  EXPECT_EQ(v6->ToString(), "2001:db8::1");
  EXPECT_EQ(IpAddress::Parse("::ffff:127.0.0.1")->ToString(), "::ffff:127.0.0.1");
  for (const char* bad : {"", "127.1", "0x7f000001", "2130706433", "[::1]", "::1%lo", "256.0.0.1",
                          "example.com", "1.2.3.4 "}) {
    Result<IpAddress> parsed = IpAddress::Parse(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(IpAddressTest, ReadsSocketAddresses) {
  sockaddr_in in4{};
  in4.sin_family = AF_INET;
  in4.sin_port = htons(80);
  in4.sin_addr.s_addr = htonl(0x7F000001);
  Result<IpAddress> a = IpAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&in4), sizeof(in4));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, IpAddress::V4(0x7F000001));
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  in6.sin6_addr = in6addr_loopback;
  Result<IpAddress> b = IpAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&in6), sizeof(in6));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->ToString(), "::1");
  EXPECT_FALSE(IpAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&in6), 8).ok());
  sockaddr other{};
  other.sa_family = AF_UNIX;
  EXPECT_FALSE(IpAddress::FromSockaddr(&other, sizeof(other)).ok());
}

TEST(IpNetworkTest, ContainsExactlyItsPrefix) {
  IpNetwork cgnat = IpNetwork::Parse("100.64.0.0/10").value();
  EXPECT_TRUE(cgnat.Contains(IpAddress::Parse("100.64.0.0").value()));
  EXPECT_TRUE(cgnat.Contains(IpAddress::Parse("100.127.255.255").value()));
  EXPECT_FALSE(cgnat.Contains(IpAddress::Parse("100.128.0.0").value()));
  EXPECT_FALSE(cgnat.Contains(IpAddress::Parse("100.63.255.255").value()));
  EXPECT_FALSE(cgnat.Contains(IpAddress::Parse("::ffff:100.64.0.1").value()));  // other family
  EXPECT_EQ(cgnat.ToString(), "100.64.0.0/10");
  IpNetwork all = IpNetwork::Parse("::/0").value();
  EXPECT_TRUE(all.Contains(IpAddress::Parse("ffff::1").value()));
  IpNetwork one = IpNetwork::Parse("10.20.0.5").value();
  EXPECT_EQ(one.prefix_bits(), 32);
  EXPECT_TRUE(one.Contains(IpAddress::Parse("10.20.0.5").value()));
  EXPECT_FALSE(one.Contains(IpAddress::Parse("10.20.0.4").value()));
}

TEST(IpNetworkTest, RefusesBadPrefixesAndHostBits) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8x", "::/129",
                          "10.0.0.1/8", "fc00::1/7", "x/8"}) {
    EXPECT_FALSE(IpNetwork::Parse(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace clipthat
