// ClientAddress: the address a request came from, as the API's per-address limits (sign-up
// budget, login throttling) must see it.
//
// Behind a load balancer every connection comes from the balancer; it names the client in
// X-Forwarded-For ("client, proxy1, proxy2", each hop appending the address it received the
// request from). Anyone can send that header, so it is believed only as far as it was written
// by trusted proxies: when the connection's peer is in `trusted_proxies`, the header is read
// from the right, skipping addresses in `trusted_proxies`, and the first other address is the
// client. With no trusted proxies (the default) or a peer outside them, the peer is the client.
//
//   peer 10.0.0.2 (trusted), "203.0.113.7, 10.0.0.9"  -> "203.0.113.7" if 10.0.0.9 is trusted
//   peer 10.0.0.2 (trusted), "1.2.3.4, 203.0.113.7"   -> "203.0.113.7" (1.2.3.4 is the client's
//                                                        own claim, not believed)
//   peer 198.51.100.1 (not trusted), anything         -> "198.51.100.1"
//
// A hop that is not an address (garbage, "unknown", a port) stops the walk at the last address
// read, so a forged entry can never be chosen over one a trusted proxy wrote. Several
// X-Forwarded-For headers count as one list, in order.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.h"

namespace clipthat::api {

std::string ClientAddress(std::string_view peer, const std::vector<std::string>& forwarded_for,
                          const std::vector<IpNetwork>& trusted_proxies);

// The same for a request: its peer and X-Forwarded-For headers.
std::string ClientAddress(const httplib::Request& req,
                          const std::vector<IpNetwork>& trusted_proxies);

}  // namespace clipthat::api
