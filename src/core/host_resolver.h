// Resolving host names to addresses, and the check that makes a connection safe to open on a
// user's behalf: resolve once, judge every address, connect to exactly the one judged.
//
//   ASSIGN_OR_RETURN(IpAddress pinned, ResolveAllowedAddress(host, policy, ResolveHost));
//   // connect to `pinned` (cpp-httplib: set_hostname_addr_map({{host, pinned.ToString()}})),
//   // keeping `host` for the Host header and TLS SNI / certificate check; never let the client
//   // resolve `host` again (DNS rebinding would swap the address after the check).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/address_policy.h"
#include "core/ip_address.h"
#include "core/result.h"

namespace clipthat {

// Resolves a host name or address text to its addresses, in the order to try them. Tests pass
// their own (a name mapped to a loopback address); production passes ResolveHost.
using HostResolver = std::function<Result<std::vector<IpAddress>>(const std::string& host)>;

// The system resolver (getaddrinfo, TCP): IPv4 and IPv6 addresses of `host` ("example.com",
// "192.0.2.1", "2001:db8::1" without brackets, and the legacy IPv4 forms "127.1",
// "0x7f000001", "2130706433" as the C library reads them), duplicates removed.
// NotFound "host 'NAME' does not resolve" when it has none.
Result<std::vector<IpAddress>> ResolveHost(const std::string& host);

// Resolves `host` once with `resolve` and returns the address to connect to: the first one,
// provided `policy` allows EVERY address the name has. One denied address refuses the host
// (a name that mixes public and internal addresses is an attack, not a misconfiguration).
// Errors (InvalidArgument; the caller prefixes the field, "url: "):
//   "host 'NAME' does not resolve"
//   "host 10.0.0.1 is a private address"                        (an address literal)
//   "host 'NAME' resolves to 127.0.0.1, a loopback address"     (a name)
Result<IpAddress> ResolveAllowedAddress(const std::string& host, const AddressPolicy& policy,
                                        const HostResolver& resolve);

}  // namespace clipthat
