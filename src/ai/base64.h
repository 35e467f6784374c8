// Base64 (RFC 4648, standard alphabet, with padding), for data: URIs in chat requests.
#pragma once

#include <string>
#include <string_view>

namespace clipthat::ai {

std::string Base64Encode(std::string_view bytes);

}  // namespace clipthat::ai
