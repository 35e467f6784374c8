#include "core/host_resolver.h"

#include <netdb.h>

#include <algorithm>
#include <memory>

namespace clipthat {
namespace {

struct AddrinfoDeleter {
  void operator()(addrinfo* list) const { freeaddrinfo(list); }
};
using AddrinfoList = std::unique_ptr<addrinfo, AddrinfoDeleter>;

}  // namespace

Result<std::vector<IpAddress>> ResolveHost(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw = nullptr;
  const int rc = host.empty() ? EAI_NONAME : getaddrinfo(host.c_str(), nullptr, &hints, &raw);
  AddrinfoList list(raw);
  std::vector<IpAddress> addresses;
  if (rc == 0) {
    for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
      Result<IpAddress> address = IpAddress::FromSockaddr(ai->ai_addr, ai->ai_addrlen);
      if (address.ok() &&
          std::find(addresses.begin(), addresses.end(), *address) == addresses.end()) {
        addresses.push_back(*address);
      }
    }
  }
  if (addresses.empty()) return NotFoundError("host '" + host + "' does not resolve");
  return addresses;
}

Result<IpAddress> ResolveAllowedAddress(const std::string& host, const AddressPolicy& policy,
                                        const HostResolver& resolve) {
  Result<std::vector<IpAddress>> addresses = resolve(host);
  if (!addresses.ok() || addresses->empty()) {
    return InvalidArgumentError("host '" + host + "' does not resolve");
  }
  for (const IpAddress& address : *addresses) {
    if (policy.Allows(address)) continue;
    const std::string_view kind = DescribeAddressKind(ClassifyAddress(address));
    const Result<IpAddress> literal = IpAddress::Parse(host);
    if (literal.ok() && *literal == address) {
      return InvalidArgumentError("host " + host + " is " + std::string(kind));
    }
    return InvalidArgumentError("host '" + host + "' resolves to " + address.ToString() + ", " +
                                std::string(kind));
  }
  return addresses->front();
}

}  // namespace clipthat
