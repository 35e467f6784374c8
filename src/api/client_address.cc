#include "api/client_address.h"

#include <algorithm>

namespace clipthat::api {
namespace {

bool Trusted(const IpAddress& address, const std::vector<IpNetwork>& trusted) {
  return std::any_of(trusted.begin(), trusted.end(),
                     [&](const IpNetwork& n) { return n.Contains(address); });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string ClientAddress(std::string_view peer, const std::vector<std::string>& forwarded_for,
                          const std::vector<IpNetwork>& trusted_proxies) {
  Result<IpAddress> peer_address = IpAddress::Parse(peer);
  if (trusted_proxies.empty() || !peer_address.ok() || !Trusted(*peer_address, trusted_proxies)) {
    return std::string(peer);
  }
  std::vector<std::string_view> hops;
  for (const std::string& header : forwarded_for) {
    std::string_view rest = header;
    while (true) {
      auto comma = rest.find(',');
      hops.push_back(Trim(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  std::string client(peer);
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    Result<IpAddress> hop = IpAddress::Parse(*it);
    if (!hop.ok()) break;  // not written by a proxy we trust: stop at what we have
    client = hop->ToString();
    if (!Trusted(*hop, trusted_proxies)) break;
  }
  return client;
}

std::string ClientAddress(const httplib::Request& req,
                          const std::vector<IpNetwork>& trusted_proxies) {
  std::vector<std::string> forwarded_for;
  const std::size_t n = req.get_header_value_count("X-Forwarded-For");
  for (std::size_t i = 0; i < n; ++i) {
    forwarded_for.push_back(req.get_header_value("X-Forwarded-For", i));
  }
  return ClientAddress(req.remote_addr, forwarded_for, trusted_proxies);
}

}  // namespace clipthat::api
