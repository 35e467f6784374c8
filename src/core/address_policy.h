// Which IP addresses the server may connect to on a user's behalf (URL imports, a user's model
// server): the one owner of the deny-list against server-side request forgery.
//
//   AddressPolicy policy;                       // public addresses only
//   if (!policy.Allows(address)) {
//     return InvalidArgumentError("url: host " + address.ToString() + " is " +
//                                 std::string(DescribeAddressKind(ClassifyAddress(address))));
//   }
//
// ClassifyAddress names the special-purpose range an address falls in (IANA's IPv4 and IPv6
// special-purpose registries, plus the deprecated ranges still routed somewhere):
//   IPv4  0.0.0.0 unspecified, 0/8 "this network", 10/8 172.16/12 192.168/16 private,
//         100.64/10 carrier-grade NAT, 127/8 loopback, 169.254/16 link-local, 192.0.0/24 IETF
//         protocol assignments, 192.0.2/24 198.51.100/24 203.0.113/24 documentation,
//         192.88.99/24 6to4 relay, 198.18/15 benchmarking, 224/4 multicast, 240/4 reserved,
//         255.255.255.255 broadcast.
//   IPv6  :: unspecified, ::1 loopback, ::ffff:0:0/96 IPv4-mapped (judged as the IPv4 address
//         it carries), ::/96 IPv4-compatible (deprecated), 64:ff9b::/96 and 64:ff9b:1::/48
//         NAT64, 100::/64 discard-only, 2001::/32 Teredo, 2001::/23 IETF protocol assignments,
//         2001:db8::/32 and 3fff::/20 documentation, 2002::/16 6to4, fc00::/7 unique local
//         (private), fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast, and
//         anything outside the global unicast block 2000::/3 reserved.
// Every other address is kPublic. Translation forms (NAT64, 6to4, Teredo) are denied whatever
// IPv4 address they carry: a gateway would forward them to it.
#pragma once

#include <string_view>
#include <vector>

#include "core/ip_address.h"

namespace clipthat {

enum class AddressKind {
  kPublic,
  kUnspecified,
  kThisNetwork,
  kLoopback,
  kPrivate,
  kLinkLocal,
  kSiteLocal,
  kCarrierGradeNat,
  kProtocolAssignment,
  kDocumentation,
  kBenchmarking,
  kMulticast,
  kBroadcast,
  kReserved,
  kNat64,
  kSixToFour,
  kTeredo,
  kIpv4Compatible,
  kDiscardOnly,
};

// The range `address` falls in; an IPv4-mapped IPv6 address is classified as its IPv4 address.
AddressKind ClassifyAddress(const IpAddress& address);

// "a private address", "the unspecified address", "a NAT64 address": reads after "is".
std::string_view DescribeAddressKind(AddressKind kind);

// The address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) carries; `address` itself otherwise.
IpAddress UnmapIpv4(const IpAddress& address);

struct AddressPolicy {
  enum class Reach {
    kPublicOnly,  // only kPublic addresses (and allowed_networks): anything a user supplies
    kAny,         // every address: the operator's own configuration (a model server on loopback)
  };
  Reach reach = Reach::kPublicOnly;
  // Networks reachable although the deny-list covers them (an operator's internal media server,
  // "10.20.0.5/32"). An IPv4-mapped address is matched as its IPv4 address.
  std::vector<IpNetwork> allowed_networks;

  bool Allows(const IpAddress& address) const;
};

}  // namespace clipthat
