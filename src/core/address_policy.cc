#include "core/address_policy.h"

#include <utility>

namespace clipthat {
namespace {

struct Range {
  std::string_view network;
  AddressKind kind;
};

// First match wins: a narrower range comes before the wider one that holds it.
constexpr Range kRanges[] = {
    {"0.0.0.0/32", AddressKind::kUnspecified},
    {"0.0.0.0/8", AddressKind::kThisNetwork},
    {"10.0.0.0/8", AddressKind::kPrivate},
    {"100.64.0.0/10", AddressKind::kCarrierGradeNat},
    {"127.0.0.0/8", AddressKind::kLoopback},
    {"169.254.0.0/16", AddressKind::kLinkLocal},
    {"172.16.0.0/12", AddressKind::kPrivate},
    {"192.0.0.0/24", AddressKind::kProtocolAssignment},
    {"192.0.2.0/24", AddressKind::kDocumentation},
    {"192.88.99.0/24", AddressKind::kSixToFour},
    {"192.168.0.0/16", AddressKind::kPrivate},
    {"198.18.0.0/15", AddressKind::kBenchmarking},
    {"198.51.100.0/24", AddressKind::kDocumentation},
    {"203.0.113.0/24", AddressKind::kDocumentation},
    {"224.0.0.0/4", AddressKind::kMulticast},
    {"255.255.255.255/32", AddressKind::kBroadcast},
    {"240.0.0.0/4", AddressKind::kReserved},
    {"::/128", AddressKind::kUnspecified},
    {"::1/128", AddressKind::kLoopback},
    {"::/96", AddressKind::kIpv4Compatible},
    {"64:ff9b::/96", AddressKind::kNat64},
    {"64:ff9b:1::/48", AddressKind::kNat64},
    {"100::/64", AddressKind::kDiscardOnly},
    {"2001::/32", AddressKind::kTeredo},
    {"2001::/23", AddressKind::kProtocolAssignment},
    {"2001:db8::/32", AddressKind::kDocumentation},
    {"2002::/16", AddressKind::kSixToFour},
    {"3fff::/20", AddressKind::kDocumentation},
    {"fc00::/7", AddressKind::kPrivate},
    {"fe80::/10", AddressKind::kLinkLocal},
    {"fec0::/10", AddressKind::kSiteLocal},
    {"ff00::/8", AddressKind::kMulticast},
};

const std::vector<std::pair<IpNetwork, AddressKind>>& Networks() {
  static const auto* networks = [] {
    auto* parsed = new std::vector<std::pair<IpNetwork, AddressKind>>();
    for (const Range& range : kRanges) {
      parsed->emplace_back(IpNetwork::Parse(range.network).value(), range.kind);
    }
    return parsed;
  }();
  return *networks;
}

const IpNetwork& Ipv4Mapped() {
  static const IpNetwork network = IpNetwork::Parse("::ffff:0:0/96").value();
  return network;
}

const IpNetwork& GlobalUnicast() {
  static const IpNetwork network = IpNetwork::Parse("2000::/3").value();
  return network;
}

}  // namespace

IpAddress UnmapIpv4(const IpAddress& address) {
  if (!Ipv4Mapped().Contains(address)) return address;
  const auto& b = address.bytes();
  return IpAddress::V4((std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) |
                       (std::uint32_t{b[14]} << 8) | std::uint32_t{b[15]});
}

AddressKind ClassifyAddress(const IpAddress& address) {
  const IpAddress judged = UnmapIpv4(address);
  for (const auto& [network, kind] : Networks()) {
    if (network.Contains(judged)) return kind;
  }
  if (judged.family() == IpAddress::Family::kV6 && !GlobalUnicast().Contains(judged)) {
    return AddressKind::kReserved;
  }
  return AddressKind::kPublic;
}

std::string_view DescribeAddressKind(AddressKind kind) {
  switch (kind) {
    case AddressKind::kPublic: return "a public address";
    case AddressKind::kUnspecified: return "the unspecified address";
    case AddressKind::kThisNetwork: return "a 'this network' address";
    case AddressKind::kLoopback: return "a loopback address";
    case AddressKind::kPrivate: return "a private address";
    case AddressKind::kLinkLocal: return "a link-local address";
    case AddressKind::kSiteLocal: return "a site-local address";
    case AddressKind::kCarrierGradeNat: return "a carrier-grade NAT address";
    case AddressKind::kProtocolAssignment: return "an IETF protocol assignment address";
    case AddressKind::kDocumentation: return "a documentation address";
    case AddressKind::kBenchmarking: return "a benchmarking address";
    case AddressKind::kMulticast: return "a multicast address";
    case AddressKind::kBroadcast: return "the broadcast address";
    case AddressKind::kReserved: return "a reserved address";
    case AddressKind::kNat64: return "a NAT64 address";
    case AddressKind::kSixToFour: return "a 6to4 address";
    case AddressKind::kTeredo: return "a Teredo address";
    case AddressKind::kIpv4Compatible: return "an IPv4-compatible IPv6 address";
    case AddressKind::kDiscardOnly: return "a discard-only address";
  }
  return "an unknown kind of address";
}

bool AddressPolicy::Allows(const IpAddress& address) const {
  if (reach == Reach::kAny) return true;
  const IpAddress judged = UnmapIpv4(address);
  for (const IpNetwork& network : allowed_networks) {
    if (network.Contains(judged)) return true;
  }
  return ClassifyAddress(judged) == AddressKind::kPublic;
}

}  // namespace clipthat
