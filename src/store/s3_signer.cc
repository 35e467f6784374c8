#include "store/s3_signer.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "core/crypto.h"

namespace clipthat::store {
namespace {

constexpr char kAlgorithm[] = "AWS4-HMAC-SHA256";

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// "20130524T000000Z" and "20130524".
std::pair<std::string, std::string> AmzTime(std::int64_t unix_time_s) {
  const std::time_t t = static_cast<std::time_t>(unix_time_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char full[32];
  std::strftime(full, sizeof(full), "%Y%m%dT%H%M%SZ", &tm);
  return {full, std::string(full, 8)};
}

std::string AsString(const Sha256Digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string SigningKey(const S3Credentials& credentials, const std::string& date) {
  std::string key = AsString(HmacSha256("AWS4" + credentials.secret_key, date));
  key = AsString(HmacSha256(key, credentials.region));
  key = AsString(HmacSha256(key, "s3"));
  return AsString(HmacSha256(key, "aws4_request"));
}

std::string CanonicalQuery(std::vector<std::pair<std::string, std::string>> query) {
  for (auto& [name, value] : query) {
    name = S3UriEncode(name, Slash::kEncode);
    value = S3UriEncode(value, Slash::kEncode);
  }
  std::sort(query.begin(), query.end());
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

struct Signed {
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // lowercase hex
};

// Signs the canonical request made of `request` with `headers` (lower-case names) and `query`.
Signed Sign(const S3Request& request, const std::vector<std::pair<std::string, std::string>>& query,
            std::vector<std::pair<std::string, std::string>> headers,
            const S3Credentials& credentials, const std::string& amz_date,
            const std::string& date) {
  for (auto& [name, value] : headers) {
    name = Lower(name);
    value = Trim(value);
  }
  std::sort(headers.begin(), headers.end());
  std::string canonical_headers;
  Signed out;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += name;
  }
  const std::string canonical_request = request.method + "\n" + request.path + "\n" +
                                        CanonicalQuery(query) + "\n" + canonical_headers + "\n" +
                                        out.signed_headers + "\n" + request.payload_sha256_hex;
  const std::string scope = date + "/" + credentials.region + "/s3/aws4_request";
  const std::string string_to_sign = std::string(kAlgorithm) + "\n" + amz_date + "\n" + scope +
                                     "\n" + Sha256Hex(canonical_request);
  out.signature = HmacSha256Hex(SigningKey(credentials, date), string_to_sign);
  return out;
}

}  // namespace

std::string S3UriEncode(std::string_view text, Slash slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (c == '/' && slash == Slash::kKeep)) {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> SignS3Request(const S3Request& request,
                                                               const S3Credentials& credentials,
                                                               std::int64_t unix_time_s) {
  const auto [amz_date, date] = AmzTime(unix_time_s);
  std::vector<std::pair<std::string, std::string>> headers = request.headers;
  headers.emplace_back("host", request.host);
  headers.emplace_back("x-amz-content-sha256", request.payload_sha256_hex);
  headers.emplace_back("x-amz-date", amz_date);
  const Signed s = Sign(request, request.query, headers, credentials, amz_date, date);
  return {
      {"x-amz-date", amz_date},
      {"x-amz-content-sha256", request.payload_sha256_hex},
      {"Authorization", std::string(kAlgorithm) + " Credential=" + credentials.access_key + "/" +
                            date + "/" + credentials.region + "/s3/aws4_request, SignedHeaders=" +
                            s.signed_headers + ", Signature=" + s.signature},
  };
}

std::string PresignS3Get(const S3Request& request, const S3Credentials& credentials,
                         std::int64_t unix_time_s, std::int64_t expires_s) {
  const auto [amz_date, date] = AmzTime(unix_time_s);
  std::vector<std::pair<std::string, std::string>> query = request.query;
  query.emplace_back("X-Amz-Algorithm", kAlgorithm);
  query.emplace_back("X-Amz-Credential", credentials.access_key + "/" + date + "/" +
                                             credentials.region + "/s3/aws4_request");
  query.emplace_back("X-Amz-Date", amz_date);
  query.emplace_back("X-Amz-Expires", std::to_string(expires_s));
  query.emplace_back("X-Amz-SignedHeaders", "host");
  S3Request get = request;
  get.method = "GET";
  get.payload_sha256_hex = "UNSIGNED-PAYLOAD";
  const Signed s = Sign(get, query, {{"host", request.host}}, credentials, amz_date, date);
  return request.path + "?" + CanonicalQuery(query) + "&X-Amz-Signature=" + s.signature;
}

}  // namespace clipthat::store
