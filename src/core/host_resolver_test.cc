#include "core/host_resolver.h"

#include <gtest/gtest.h>

#include <map>

namespace clipthat {
namespace {

IpAddress Ip(const char* text) { return IpAddress::Parse(text).value(); }

TEST(HostResolverTest, ResolvesNamesLiteralsAndLegacyIpv4Forms) {
  Result<std::vector<IpAddress>> localhost = ResolveHost("localhost");
  ASSERT_TRUE(localhost.ok()) << localhost.status().ToString();
  EXPECT_EQ(ClassifyAddress(localhost->front()), AddressKind::kLoopback);
  for (const char* legacy : {"0x7f000001", "2130706433", "127.1", "127.0.0.1"}) {
    Result<std::vector<IpAddress>> a = ResolveHost(legacy);
    ASSERT_TRUE(a.ok()) << legacy;
    EXPECT_EQ(*a, std::vector<IpAddress>{Ip("127.0.0.1")}) << legacy;
  }
  Result<std::vector<IpAddress>> v6 = ResolveHost("64:ff9b::7f00:1");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(*v6, std::vector<IpAddress>{Ip("64:ff9b::7f00:1")});
  EXPECT_EQ(ResolveHost("").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ResolveHost("no-such-host.invalid").status().code(), StatusCode::kNotFound);
}

TEST(HostResolverTest, RefusesEveryInternalFormWithTheHostNamed) {
  const AddressPolicy policy;
  const std::map<std::string, std::string> refused = {
      {"0x7f000001", "host '0x7f000001' resolves to 127.0.0.1, a loopback address"},
      {"2130706433", "host '2130706433' resolves to 127.0.0.1, a loopback address"},
      {"127.1", "host '127.1' resolves to 127.0.0.1, a loopback address"},
      {"10.0.0.1", "host 10.0.0.1 is a private address"},
      {"::ffff:127.0.0.1", "host ::ffff:127.0.0.1 is a loopback address"},
      {"64:ff9b::7f00:1", "host 64:ff9b::7f00:1 is a NAT64 address"},
      {"2002:7f00:1::", "host 2002:7f00:1:: is a 6to4 address"},
      {"169.254.169.254", "host 169.254.169.254 is a link-local address"},
      {"no-such-host.invalid", "host 'no-such-host.invalid' does not resolve"},
  };
  for (const auto& [host, message] : refused) {
    Result<IpAddress> pinned = ResolveAllowedAddress(host, policy, ResolveHost);
    ASSERT_FALSE(pinned.ok()) << host;
    EXPECT_EQ(pinned.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(pinned.status().message(), message);
  }
  // localhost is 127.0.0.1 or ::1, whichever the system lists first.
  Result<IpAddress> localhost = ResolveAllowedAddress("localhost", policy, ResolveHost);
  ASSERT_FALSE(localhost.ok());
  EXPECT_TRUE(localhost.status().message().starts_with("host 'localhost' resolves to "));
  EXPECT_TRUE(localhost.status().message().ends_with(", a loopback address"));
}

TEST(HostResolverTest, OneDeniedAddressRefusesTheNameAndTheFirstAllowedOneIsPinned) {
  std::map<std::string, std::vector<IpAddress>> names = {
      {"mixed.test", {Ip("93.184.216.34"), Ip("10.0.0.7")}},
      {"public.test", {Ip("2606:4700::6810:84e5"), Ip("93.184.216.34")}},
  };
  int calls = 0;
  const HostResolver resolve = [&](const std::string& host) -> Result<std::vector<IpAddress>> {
    ++calls;
    auto it = names.find(host);
    if (it == names.end()) return NotFoundError("unknown");
    return it->second;
  };
  const AddressPolicy policy;
  Result<IpAddress> mixed = ResolveAllowedAddress("mixed.test", policy, resolve);
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().message(), "host 'mixed.test' resolves to 10.0.0.7, a private address");
  Result<IpAddress> pinned = ResolveAllowedAddress("public.test", policy, resolve);
  ASSERT_TRUE(pinned.ok());
  EXPECT_EQ(*pinned, Ip("2606:4700::6810:84e5"));
  EXPECT_EQ(calls, 2);  // one resolution per check

  AddressPolicy internal_media;
  internal_media.allowed_networks.push_back(IpNetwork::Parse("10.0.0.7/32").value());
  EXPECT_EQ(ResolveAllowedAddress("mixed.test", internal_media, resolve).value(),
            Ip("93.184.216.34"));
  AddressPolicy any;
  any.reach = AddressPolicy::Reach::kAny;
  EXPECT_EQ(ClassifyAddress(ResolveAllowedAddress("localhost", any, ResolveHost).value()),
            AddressKind::kLoopback);
}

}  // namespace
}  // namespace clipthat
