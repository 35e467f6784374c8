#include "core/address_policy.h"

#include <gtest/gtest.h>

#include <string>

namespace clipthat {
namespace {

IpAddress Ip(const std::string& text) {
  Result<IpAddress> address = IpAddress::Parse(text);
  EXPECT_TRUE(address.ok()) << text;
  return address.ok() ? *address : IpAddress::V4(0);
}

AddressKind Kind(const std::string& text) { return ClassifyAddress(Ip(text)); }

// One special-purpose range: its first and last addresses, and the addresses just outside it
// with the kind they have ("" where the range starts or ends the address space or a wider
// range's special first address).
struct RangeEdges {
  AddressKind kind;
  std::string first, last;
  std::string before;
  AddressKind before_kind;
  std::string after;
  AddressKind after_kind;
};

constexpr auto kPublic = AddressKind::kPublic;
constexpr auto kReserved = AddressKind::kReserved;
const std::string kMax6 = ":ffff:ffff:ffff:ffff:ffff:ffff:ffff";  // 7 groups of ones

const RangeEdges kIpv4Ranges[] = {
    {AddressKind::kUnspecified, "0.0.0.0", "0.0.0.0", "", kPublic, "0.0.0.1",
     AddressKind::kThisNetwork},
    {AddressKind::kThisNetwork, "0.0.0.1", "0.255.255.255", "0.0.0.0", AddressKind::kUnspecified,
     "1.0.0.0", kPublic},
    {AddressKind::kPrivate, "10.0.0.0", "10.255.255.255", "9.255.255.255", kPublic, "11.0.0.0",
     kPublic},
    {AddressKind::kCarrierGradeNat, "100.64.0.0", "100.127.255.255", "100.63.255.255", kPublic,
     "100.128.0.0", kPublic},
    {AddressKind::kLoopback, "127.0.0.0", "127.255.255.255", "126.255.255.255", kPublic,
     "128.0.0.0", kPublic},
    {AddressKind::kLinkLocal, "169.254.0.0", "169.254.255.255", "169.253.255.255", kPublic,
     "169.255.0.0", kPublic},
    {AddressKind::kPrivate, "172.16.0.0", "172.31.255.255", "172.15.255.255", kPublic, "172.32.0.0",
     kPublic},
    {AddressKind::kProtocolAssignment, "192.0.0.0", "192.0.0.255", "191.255.255.255", kPublic,
     "192.0.1.0", kPublic},
    {AddressKind::kDocumentation, "192.0.2.0", "192.0.2.255", "192.0.1.255", kPublic, "192.0.3.0",
     kPublic},
    {AddressKind::kSixToFour, "192.88.99.0", "192.88.99.255", "192.88.98.255", kPublic,
     "192.88.100.0", kPublic},
    {AddressKind::kPrivate, "192.168.0.0", "192.168.255.255", "192.167.255.255", kPublic,
     "192.169.0.0", kPublic},
    {AddressKind::kBenchmarking, "198.18.0.0", "198.19.255.255", "198.17.255.255", kPublic,
     "198.20.0.0", kPublic},
    {AddressKind::kDocumentation, "198.51.100.0", "198.51.100.255", "198.51.99.255", kPublic,
     "198.51.101.0", kPublic},
    {AddressKind::kDocumentation, "203.0.113.0", "203.0.113.255", "203.0.112.255", kPublic,
     "203.0.114.0", kPublic},
    {AddressKind::kMulticast, "224.0.0.0", "239.255.255.255", "223.255.255.255", kPublic,
     "240.0.0.0", kReserved},
    {kReserved, "240.0.0.0", "255.255.255.254", "239.255.255.255", AddressKind::kMulticast,
     "255.255.255.255", AddressKind::kBroadcast},
    {AddressKind::kBroadcast, "255.255.255.255", "255.255.255.255", "255.255.255.254", kReserved,
     "", kPublic},
};

const RangeEdges kIpv6Ranges[] = {
    {AddressKind::kUnspecified, "::", "::", "", kPublic, "::1", AddressKind::kLoopback},
    {AddressKind::kLoopback, "::1", "::1", "::", AddressKind::kUnspecified, "::2",
     AddressKind::kIpv4Compatible},
    {AddressKind::kIpv4Compatible, "::2", "::ffff:ffff", "::1", AddressKind::kLoopback, "::1:0:0",
     kReserved},
    {AddressKind::kNat64, "64:ff9b::", "64:ff9b::ffff:ffff",
     "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", kReserved, "64:ff9b::1:0:0", kReserved},
    {AddressKind::kNat64, "64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
     "64:ff9b:0:ffff:ffff:ffff:ffff:ffff", kReserved, "64:ff9b:2::", kReserved},
    {AddressKind::kDiscardOnly, "100::", "100::ffff:ffff:ffff:ffff", "ff" + kMax6, kReserved,
     "100:0:0:1::", kReserved},
    {AddressKind::kTeredo, "2001::", "2001:0:ffff:ffff:ffff:ffff:ffff:ffff", "2000" + kMax6,
     kPublic, "2001:1::", AddressKind::kProtocolAssignment},
    {AddressKind::kProtocolAssignment, "2001:1::", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
     "2001:0:ffff:ffff:ffff:ffff:ffff:ffff", AddressKind::kTeredo, "2001:200::", kPublic},
    {AddressKind::kDocumentation, "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
     "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", kPublic, "2001:db9::", kPublic},
    {AddressKind::kSixToFour, "2002::", "2002" + kMax6, "2001" + kMax6, kPublic, "2003::", kPublic},
    {AddressKind::kDocumentation, "3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff",
     "3ffe" + kMax6, kPublic, "3fff:1000::", kPublic},
    {AddressKind::kPrivate, "fc00::", "fdff" + kMax6, "fbff" + kMax6, kReserved,
     "fe00::", kReserved},
    {AddressKind::kLinkLocal, "fe80::", "febf" + kMax6, "fe7f" + kMax6, kReserved,
     "fec0::", AddressKind::kSiteLocal},
    {AddressKind::kSiteLocal, "fec0::", "feff" + kMax6, "febf" + kMax6, AddressKind::kLinkLocal,
     "ff00::", AddressKind::kMulticast},
    {AddressKind::kMulticast, "ff00::", "ffff" + kMax6, "feff" + kMax6, AddressKind::kSiteLocal, "",
     kPublic},
    // Everything outside the global unicast block 2000::/3 that has no name of its own.
    {kReserved, "::1:0:0", "1fff" + kMax6, "::ffff:ffff", AddressKind::kIpv4Compatible,
     "2000::", kPublic},
    {kReserved, "4000::", "fbff" + kMax6, "3fff" + kMax6, kPublic, "fc00::", AddressKind::kPrivate},
};

void ExpectEdges(const RangeEdges& r) {
  SCOPED_TRACE(r.first + " - " + r.last + " is " + std::string(DescribeAddressKind(r.kind)));
  EXPECT_EQ(Kind(r.first), r.kind);
  EXPECT_EQ(Kind(r.last), r.kind);
  if (!r.before.empty()) {
    EXPECT_EQ(Kind(r.before), r.before_kind) << r.before;
  }
  if (!r.after.empty()) {
    EXPECT_EQ(Kind(r.after), r.after_kind) << r.after;
  }
  AddressPolicy policy;
  EXPECT_FALSE(policy.Allows(Ip(r.first)));
  EXPECT_FALSE(policy.Allows(Ip(r.last)));
}

TEST(AddressPolicyTest, EveryIpv4SpecialRangeIsClassifiedToItsEdges) {
  for (const RangeEdges& r : kIpv4Ranges) ExpectEdges(r);
}

TEST(AddressPolicyTest, EveryIpv6SpecialRangeIsClassifiedToItsEdges) {
  for (const RangeEdges& r : kIpv6Ranges) ExpectEdges(r);
}

TEST(AddressPolicyTest, Ipv4MappedAddressesAreJudgedAsTheIpv4AddressTheyCarry) {
  EXPECT_EQ(Kind("::ffff:127.0.0.1"), AddressKind::kLoopback);
  EXPECT_EQ(Kind("::ffff:10.1.2.3"), AddressKind::kPrivate);
  EXPECT_EQ(Kind("::ffff:169.254.169.254"), AddressKind::kLinkLocal);
  EXPECT_EQ(Kind("::ffff:0.0.0.0"), AddressKind::kUnspecified);
  EXPECT_EQ(Kind("::ffff:8.8.8.8"), kPublic);
  EXPECT_EQ(UnmapIpv4(Ip("::ffff:192.0.2.7")), Ip("192.0.2.7"));
  EXPECT_EQ(UnmapIpv4(Ip("2001:db8::1")), Ip("2001:db8::1"));
  // Just outside ::ffff:0:0/96.
  EXPECT_EQ(Kind("::fffe:ffff:ffff"), kReserved);
  EXPECT_EQ(Kind("::1:0:0:0"), kReserved);
}

TEST(AddressPolicyTest, TranslationFormsAreDeniedWhateverTheyCarry) {
  AddressPolicy policy;
  EXPECT_FALSE(policy.Allows(Ip("64:ff9b::808:808")));                      // NAT64 of 8.8.8.8
  EXPECT_FALSE(policy.Allows(Ip("64:ff9b::7f00:1")));                       // NAT64 of 127.0.0.1
  EXPECT_FALSE(policy.Allows(Ip("2002:7f00:1::")));                         // 6to4 of 127.0.0.1
  EXPECT_FALSE(policy.Allows(Ip("2001:0:4136:e378:8000:63bf:3fff:fdd2")));  // Teredo
  EXPECT_FALSE(policy.Allows(Ip("::127.0.0.1")));                           // IPv4-compatible
}

TEST(AddressPolicyTest, PublicAddressesAreAllowed) {
  AddressPolicy policy;
  for (const char* text : {"1.1.1.1", "8.8.8.8", "93.184.216.34", "223.255.255.255",
                           "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8"}) {
    EXPECT_EQ(Kind(text), kPublic) << text;
    EXPECT_TRUE(policy.Allows(Ip(text))) << text;
  }
}

TEST(AddressPolicyTest, AllowedNetworksAndReachAnyOpenDeniedRanges) {
  AddressPolicy policy;
  policy.allowed_networks.push_back(IpNetwork::Parse("10.20.0.5/32").value());
  policy.allowed_networks.push_back(IpNetwork::Parse("fd00:1::/64").value());
  EXPECT_TRUE(policy.Allows(Ip("10.20.0.5")));
  EXPECT_TRUE(policy.Allows(Ip("::ffff:10.20.0.5")));  // matched as its IPv4 address
  EXPECT_FALSE(policy.Allows(Ip("10.20.0.6")));
  EXPECT_TRUE(policy.Allows(Ip("fd00:1::9")));
  EXPECT_FALSE(policy.Allows(Ip("fd00:2::9")));
  EXPECT_FALSE(policy.Allows(Ip("127.0.0.1")));

  AddressPolicy any;
  any.reach = AddressPolicy::Reach::kAny;
  EXPECT_TRUE(any.Allows(Ip("127.0.0.1")));
  EXPECT_TRUE(any.Allows(Ip("::1")));
}

TEST(AddressPolicyTest, KindsReadAfterIs) {
  EXPECT_EQ(DescribeAddressKind(AddressKind::kPrivate), "a private address");
  EXPECT_EQ(DescribeAddressKind(AddressKind::kNat64), "a NAT64 address");
  EXPECT_EQ(DescribeAddressKind(AddressKind::kUnspecified), "the unspecified address");
}

}  // namespace
}  // namespace clipthat
