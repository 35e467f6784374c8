// IpAddress and IpNetwork: IPv4 and IPv6 addresses and CIDR networks as plain values.
//
//   ASSIGN_OR_RETURN(IpAddress a, IpAddress::Parse("2001:db8::1"));
//   ASSIGN_OR_RETURN(IpNetwork n, IpNetwork::Parse("2001:db8::/32"));
//   if (n.Contains(a)) ...
//
// Parse accepts only the standard numeric forms (inet_pton): dotted quads "192.0.2.1" and IPv6
// text "2001:db8::1", "::ffff:192.0.2.1", without brackets or a zone ("%eth0"). Legacy IPv4
// spellings that resolvers accept ("127.1", "0x7f000001", "2130706433") are not addresses here:
// they are names, and resolving them (core/host_resolver.h) yields the address they mean.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace clipthat {

class IpAddress {
 public:
  enum class Family { kV4, kV6 };

  // The IPv4 address with the given value in host byte order (0x7F000001 is 127.0.0.1).
  static IpAddress V4(std::uint32_t value);
  // The IPv6 address with these 16 bytes in network order.
  static IpAddress V6(const std::array<std::uint8_t, 16>& bytes);
  // InvalidArgument "'TEXT' is not an IP address" for anything but the numeric forms above.
  static Result<IpAddress> Parse(std::string_view text);
  // The address of an AF_INET or AF_INET6 socket address (the port and scope are dropped);
  // InvalidArgument for other families or a too short `length_bytes`.
  static Result<IpAddress> FromSockaddr(const sockaddr* address, socklen_t length_bytes);

  Family family() const { return family_; }
  // Network-order bytes: 4 for IPv4 (the rest zero), 16 for IPv6.
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  int size_bytes() const { return family_ == Family::kV4 ? 4 : 16; }
  // Host byte order value of an IPv4 address; 0 for IPv6.
  std::uint32_t v4_value() const;

  // Canonical text: "192.0.2.1", "2001:db8::1" (RFC 5952, no brackets).
  std::string ToString() const;

  bool operator==(const IpAddress&) const = default;

 private:
  IpAddress(Family family, const std::array<std::uint8_t, 16>& bytes)
      : family_(family), bytes_(bytes) {}

  Family family_;
  std::array<std::uint8_t, 16> bytes_;
};

// A CIDR network: the addresses of one family whose first `prefix_bits` bits equal `base`'s.
class IpNetwork {
 public:
  // "10.0.0.0/8", "fc00::/7"; a bare address is a network of that one address. InvalidArgument
  // for bad text, a prefix longer than the family allows, or host bits set ("10.0.0.1/8").
  static Result<IpNetwork> Parse(std::string_view text);

  const IpAddress& base() const { return base_; }
  int prefix_bits() const { return prefix_bits_; }
  // False for an address of the other family.
  bool Contains(const IpAddress& address) const;
  std::string ToString() const;  // "10.0.0.0/8"

 private:
  IpNetwork(IpAddress base, int prefix_bits) : base_(base), prefix_bits_(prefix_bits) {}

  IpAddress base_;
  int prefix_bits_;
};

}  // namespace clipthat
