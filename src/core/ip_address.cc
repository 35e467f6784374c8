#include "core/ip_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace clipthat {

IpAddress IpAddress::V4(std::uint32_t value) {
  std::array<std::uint8_t, 16> bytes{};
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
  return IpAddress(Family::kV4, bytes);
}

IpAddress IpAddress::V6(const std::array<std::uint8_t, 16>& bytes) {
  return IpAddress(Family::kV6, bytes);
}

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  const std::string s(text);
  std::array<std::uint8_t, 16> bytes{};
  if (s.size() <= INET6_ADDRSTRLEN) {
    if (inet_pton(AF_INET, s.c_str(), bytes.data()) == 1) return IpAddress(Family::kV4, bytes);
    if (inet_pton(AF_INET6, s.c_str(), bytes.data()) == 1) return IpAddress(Family::kV6, bytes);
  }
  return InvalidArgumentError("'" + s.substr(0, 64) + "' is not an IP address");
}

Result<IpAddress> IpAddress::FromSockaddr(const sockaddr* address, socklen_t length_bytes) {
  std::array<std::uint8_t, 16> bytes{};
  if (address != nullptr && address->sa_family == AF_INET &&
      length_bytes >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    std::memcpy(bytes.data(), &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, 4);
    return IpAddress(Family::kV4, bytes);
  }
  if (address != nullptr && address->sa_family == AF_INET6 &&
      length_bytes >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    std::memcpy(bytes.data(), &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, 16);
    return IpAddress(Family::kV6, bytes);
  }
  return InvalidArgumentError("not an IPv4 or IPv6 socket address");
}

std::uint32_t IpAddress::v4_value() const {
  if (family_ != Family::kV4) return 0;
  return (std::uint32_t{bytes_[0]} << 24) | (std::uint32_t{bytes_[1]} << 16) |
         (std::uint32_t{bytes_[2]} << 8) | std::uint32_t{bytes_[3]};
}

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family_ == Family::kV4 ? AF_INET : AF_INET6, bytes_.data(), text, sizeof(text));
  return text;
}

Result<IpNetwork> IpNetwork::Parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  ASSIGN_OR_RETURN(IpAddress base, IpAddress::Parse(text.substr(0, slash)));
  const int max_bits = base.size_bytes() * 8;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        bits < 0 || bits > max_bits) {
      return InvalidArgumentError("'" + std::string(text.substr(0, 64)) +
                                  "': the prefix length must be from 0 to " +
                                  std::to_string(max_bits));
    }
  }
  for (int bit = bits; bit < max_bits; ++bit) {
    if (base.bytes()[bit / 8] & (0x80 >> (bit % 8))) {
      return InvalidArgumentError("'" + std::string(text.substr(0, 64)) +
                                  "' has host bits set after the prefix");
    }
  }
  return IpNetwork(base, bits);
}

bool IpNetwork::Contains(const IpAddress& address) const {
  if (address.family() != base_.family()) return false;
  const auto& a = address.bytes();
  const auto& b = base_.bytes();
  const int whole_bytes = prefix_bits_ / 8;
  if (std::memcmp(a.data(), b.data(), whole_bytes) != 0) return false;
  const int rest_bits = prefix_bits_ % 8;
  if (rest_bits == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest_bits));
  return (a[whole_bytes] & mask) == (b[whole_bytes] & mask);
}

std::string IpNetwork::ToString() const {
  return base_.ToString() + "/" + std::to_string(prefix_bits_);
}

}  // namespace clipthat
