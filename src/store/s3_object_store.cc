#include "store/s3_object_store.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <vector>

#include "core/crypto.h"

namespace clipthat::store {
namespace {

constexpr std::int64_t kMinPartBytes = 5 << 20;  // S3's minimum for every part but the last
constexpr int kMaxParts = 10000;                 // S3's maximum parts per upload
constexpr std::size_t kMaxAnswerBytes = 16 << 20;
constexpr std::size_t kMaxMessageChars = 300;
constexpr char kPartsSuffix[] = ".parts/";

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string XmlUnescape(std::string_view text) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out.push_back(c);
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(text[i++]);
  }
  return out;
}

// The raw inner text of every <tag>...</tag> in `xml`, in order (S3's answers do not nest an
// element inside one of the same name).
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    const std::size_t begin = pos + open.size();
    const std::size_t end = xml.find(close, begin);
    if (end == std::string_view::npos) break;
    out.push_back(xml.substr(begin, end - begin));
    pos = end + close.size();
  }
  return out;
}

std::string XmlElement(std::string_view xml, std::string_view tag) {
  auto all = XmlElements(xml, tag);
  return all.empty() ? std::string() : XmlUnescape(all.front());
}

// One printable line of at most kMaxMessageChars, for error messages.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxMessageChars)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
  }
  if (text.size() > kMaxMessageChars) out += "...";
  return out;
}

// Status for an S3 error answer: the XML Code and Message, with what was being done.
Status ErrorFromAnswer(const std::string& what, std::string_view op, int status,
                       std::string_view body) {
  const std::string code = XmlElement(body, "Code");
  std::string text = what + ": " + std::string(op) + ": ";
  if (!code.empty()) text += OneLine(code) + ": ";
  const std::string message = XmlElement(body, "Message");
  text += message.empty() ? std::string("no message") : OneLine(message);
  text += " (HTTP " + std::to_string(status) + ")";
  if (status == 404) return NotFoundError(text);
  if (status == 401 || status == 403) return PermissionDeniedError(text);
  if (status >= 500 || status == 429 || status == 408) return UnavailableError(text);
  return InvalidArgumentError(text);
}

Status TransportError(const std::string& what, std::string_view op, httplib::Error error) {
  return UnavailableError(what + ": " + std::string(op) +
                          ": no answer from the S3 server: " + httplib::to_string(error));
}

std::string PartKey(std::string_view key, std::int64_t end_offset) {
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%019lld", static_cast<long long>(end_offset));
  return std::string(key) + kPartsSuffix + digits;
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool ValidBucket(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  return std::all_of(bucket.begin(), bucket.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

// ValidateKey, and no segment ending in ".parts": those names hold appended chunks.
Status ValidateS3Key(std::string_view key) {
  RETURN_IF_ERROR(ValidateKey(key));
  if (key.ends_with(".parts") || key.find(".parts/") != std::string_view::npos) {
    return InvalidArgumentError(
        "object key \"" + std::string(key) +
        "\": a segment ending in \".parts\" is reserved for appended chunks");
  }
  return Status::Ok();
}

std::string What(const S3Options& options, std::string_view key) {
  return "S3 s3://" + options.bucket + "/" + std::string(key);
}

}  // namespace

struct S3ObjectStore::Impl {
  std::string origin;  // "http://127.0.0.1:9000", for httplib
  std::string scheme;  // "http" or "https"
  std::string host;    // the Host header: "127.0.0.1:9000", or the host alone on port 80/443
  const S3Options* options = nullptr;

  // One listed object.
  struct Listed {
    std::string key;
    std::int64_t size_bytes = 0;
  };
  struct Page {
    std::vector<Listed> objects;
    std::string next_token;  // empty on the last page
  };

  // A request: `key` empty addresses the bucket itself.
  struct Call {
    std::string method;
    std::string key;
    Pairs query;
    Pairs headers;  // signed with the request
    std::string_view body;
  };

  struct Answer {
    int status = 0;
    std::string body;
    httplib::Headers headers;
  };

  std::string PathFor(std::string_view key) const {
    std::string path = "/" + options->bucket;
    if (!key.empty()) path += "/" + S3UriEncode(key, Slash::kKeep);
    return path;
  }

  httplib::Headers SignedHeaders(const Call& call, const std::string& path,
                                 const std::string& payload_sha256_hex) const {
    S3Request request;
    request.method = call.method;
    request.host = host;
    request.path = path;
    request.query = call.query;
    request.headers = call.headers;
    request.payload_sha256_hex = payload_sha256_hex;
    const auto now_s = static_cast<std::int64_t>(std::time(nullptr));
    httplib::Headers headers;
    headers.emplace("Host", host);
    headers.emplace("Accept-Encoding", "identity");
    for (const auto& [name, value] : call.headers) headers.emplace(name, value);
    for (const auto& [name, value] : SignS3Request(request, options->credentials, now_s)) {
      headers.emplace(name, value);
    }
    return headers;
  }

  std::string Target(const std::string& path, const Pairs& query) const {
    std::string target = path;
    char separator = '?';
    for (const auto& [name, value] : query) {
      target +=
          separator + S3UriEncode(name, Slash::kEncode) + "=" + S3UriEncode(value, Slash::kEncode);
      separator = '&';
    }
    return target;
  }

  std::unique_ptr<httplib::Client> NewClient() const {
    auto client = std::make_unique<httplib::Client>(origin);
    client->set_url_encode(false);
    client->set_keep_alive(false);
    client->set_decompress(false);
    client->set_connection_timeout(std::chrono::milliseconds(options->connect_timeout_ms));
    client->set_read_timeout(std::chrono::milliseconds(options->timeout_ms));
    client->set_write_timeout(std::chrono::milliseconds(options->timeout_ms));
    return client;
  }

  // Sends `call` and returns the answer, whatever its status; Unavailable when none came.
  Result<Answer> Send(const Call& call, const std::string& what) const {
    const std::string path = PathFor(call.key);
    const std::string target = Target(path, call.query);
    const httplib::Headers headers = SignedHeaders(call, path, Sha256Hex(call.body));
    try {
      auto client = NewClient();
      Answer answer;
      const auto send = [&]() -> httplib::Result {
        if (call.method == "GET") {
          return client->Get(
              target, headers, [&](const httplib::Response&) { return true; },
              [&](const char* data, std::size_t n) {
                if (answer.body.size() + n > kMaxAnswerBytes) return false;
                answer.body.append(data, n);
                return true;
              });
        }
        if (call.method == "HEAD") return client->Head(target, headers);
        if (call.method == "PUT") {
          return client->Put(target, headers, call.body.data(), call.body.size(),
                             "application/octet-stream");
        }
        if (call.method == "POST") {
          return client->Post(target, headers, call.body.data(), call.body.size(),
                              "application/xml");
        }
        return client->Delete(target, headers);
      };
      httplib::Result result = send();
      if (!result) return TransportError(what, call.method, result.error());
      answer.status = result->status;
      answer.headers = result->headers;
      if (call.method != "GET") answer.body = result->body;
      return answer;
    } catch (const std::exception& e) {
      return UnavailableError(what + ": " + call.method + " failed: " + e.what());
    }
  }

  // Sends `call`; a non-2xx answer is an error (ErrorFromAnswer).
  Result<Answer> SendOk(const Call& call, const std::string& what, std::string_view op = {}) const {
    ASSIGN_OR_RETURN(Answer answer, Send(call, what));
    if (answer.status < 200 || answer.status > 299) {
      return ErrorFromAnswer(what, op.empty() ? call.method : op, answer.status, answer.body);
    }
    return answer;
  }

  // The size of the object stored whole under `key`; nullopt when there is none.
  Result<std::optional<std::int64_t>> HeadSize(std::string_view key) const {
    const std::string what = What(*options, key);
    ASSIGN_OR_RETURN(Answer answer, Send({"HEAD", std::string(key), {}, {}, {}}, what));
    if (answer.status == 404) return std::optional<std::int64_t>();
    if (answer.status < 200 || answer.status > 299) {
      return ErrorFromAnswer(what, "HEAD", answer.status, answer.body);
    }
    auto it = answer.headers.find("Content-Length");
    std::optional<std::int64_t> size =
        it == answer.headers.end() ? std::nullopt : ParseInt(it->second);
    if (!size) return DataError(what + ": HEAD: no usable Content-Length");
    return size;
  }

  Result<Page> List(const std::string& prefix, const std::string& start_after,
                    const std::string& token, int max_keys) const {
    const std::string what = "S3 s3://" + options->bucket + "/" + prefix;
    Call call{"GET",
              "",
              {{"list-type", "2"}, {"prefix", prefix}, {"max-keys", std::to_string(max_keys)}},
              {},
              {}};
    if (!start_after.empty()) call.query.emplace_back("start-after", start_after);
    if (!token.empty()) call.query.emplace_back("continuation-token", token);
    ASSIGN_OR_RETURN(Answer answer, SendOk(call, what, "ListObjectsV2"));
    Page page;
    for (std::string_view contents : XmlElements(answer.body, "Contents")) {
      Listed listed;
      listed.key = XmlElement(contents, "Key");
      std::optional<std::int64_t> size = ParseInt(XmlElement(contents, "Size"));
      if (listed.key.empty() || !size) {
        return DataError(what + ": ListObjectsV2: an entry without a key or size");
      }
      listed.size_bytes = *size;
      page.objects.push_back(std::move(listed));
    }
    if (XmlElement(answer.body, "IsTruncated") == "true") {
      page.next_token = XmlElement(answer.body, "NextContinuationToken");
      if (page.next_token.empty()) {
        return DataError(what + ": ListObjectsV2: truncated without a continuation token");
      }
    }
    return page;
  }

  // Every object under `prefix`, all pages.
  Result<std::vector<Listed>> ListAll(const std::string& prefix) const {
    std::vector<Listed> all;
    std::string token;
    do {
      ASSIGN_OR_RETURN(Page page, List(prefix, "", token, options->list_page_keys));
      for (Listed& listed : page.objects) all.push_back(std::move(listed));
      token = page.next_token;
    } while (!token.empty());
    return all;
  }

  // One appended chunk: bytes [start, end) of the object.
  struct Part {
    std::string key;
    std::int64_t start = 0;
    std::int64_t end = 0;
  };

  // The appended parts of `key` in offset order; empty when it has none. DataError when they do
  // not tile the object (a gap or an overlap).
  Result<std::vector<Part>> Parts(std::string_view key) const {
    const std::string prefix = std::string(key) + kPartsSuffix;
    ASSIGN_OR_RETURN(std::vector<Listed> listed, ListAll(prefix));
    std::vector<Part> parts;
    std::int64_t end = 0;
    for (const Listed& l : listed) {
      std::optional<std::int64_t> part_end =
          ParseInt(std::string_view(l.key).substr(prefix.size()));
      if (!part_end || *part_end - l.size_bytes != end) {
        return DataError(What(*options, key) + ": appended part " + l.key +
                         " does not follow the previous one (ends at " + std::to_string(end) + ")");
      }
      parts.push_back({l.key, end, *part_end});
      end = *part_end;
    }
    return parts;
  }

  Status RemoveAll(const std::string& prefix) const {
    while (true) {
      ASSIGN_OR_RETURN(Page page, List(prefix, "", "", options->list_page_keys));
      for (const Listed& l : page.objects) {
        RETURN_IF_ERROR(SendOk({"DELETE", l.key, {}, {}, {}}, What(*options, l.key)).status());
      }
      if (page.objects.empty() || page.next_token.empty()) return Status::Ok();
    }
  }

  // Streams bytes [first, last] of the object stored whole under `key` to `sink`.
  Status GetRange(const std::string& key, std::int64_t first, std::int64_t last,
                  std::int64_t whole_size, const ByteSink& sink) const {
    const std::string what = What(*options, key);
    Call call{"GET",
              key,
              {},
              {{"Range", "bytes=" + std::to_string(first) + "-" + std::to_string(last)}},
              {}};
    const std::string path = PathFor(key);
    const httplib::Headers headers = SignedHeaders(call, path, Sha256Hex(""));
    int status = 0;
    std::string error_body;
    Status sink_status;
    std::int64_t received = 0;
    try {
      auto client = NewClient();
      httplib::Result result = client->Get(
          path, headers,
          [&](const httplib::Response& response) {
            status = response.status;
            return true;
          },
          [&](const char* data, std::size_t n) {
            const bool ranged =
                status == 206 || (status == 200 && first == 0 && last == whole_size - 1);
            if (!ranged) {
              if (error_body.size() < kMaxAnswerBytes) error_body.append(data, n);
              return true;
            }
            // Some servers (s3rver for "bytes=0-0") send more than the range: cut it there.
            const std::size_t wanted =
                std::min<std::size_t>(n, static_cast<std::size_t>(last - first + 1 - received));
            sink_status = sink(std::string_view(data, wanted));
            received += static_cast<std::int64_t>(wanted);
            return sink_status.ok() && received < last - first + 1;
          });
      if (!sink_status.ok()) return sink_status;
      const bool complete = status / 100 == 2 && received == last - first + 1;
      if (!result && !complete) return TransportError(what, "GET", result.error());
    } catch (const std::exception& e) {
      return UnavailableError(what + ": GET failed: " + e.what());
    }
    if (status != 206 && status != 200) return ErrorFromAnswer(what, "GET", status, error_body);
    if (!error_body.empty() || received != last - first + 1) {
      return DataError(what + ": GET of bytes " + std::to_string(first) + "-" +
                       std::to_string(last) + " answered " + std::to_string(received) +
                       " bytes (HTTP " + std::to_string(status) + ")");
    }
    return Status::Ok();
  }

  Result<std::string> CreateMultipartUpload(const std::string& key) const {
    const std::string what = What(*options, key);
    ASSIGN_OR_RETURN(Answer answer, SendOk({"POST", key, {{"uploads", ""}}, {}, {}}, what,
                                           "CreateMultipartUpload"));
    std::string upload_id = XmlElement(answer.body, "UploadId");
    if (upload_id.empty()) return DataError(what + ": CreateMultipartUpload: no UploadId");
    return upload_id;
  }

  Result<std::string> UploadPart(const std::string& key, const std::string& upload_id,
                                 int part_number, std::string_view bytes) const {
    const std::string what = What(*options, key);
    ASSIGN_OR_RETURN(Answer answer,
                     SendOk({"PUT",
                             key,
                             {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}},
                             {},
                             bytes},
                            what, "UploadPart " + std::to_string(part_number)));
    auto it = answer.headers.find("ETag");
    if (it == answer.headers.end() || it->second.empty()) {
      return DataError(what + ": UploadPart " + std::to_string(part_number) + ": no ETag");
    }
    return it->second;
  }

  Status CompleteMultipartUpload(const std::string& key, const std::string& upload_id,
                                 const std::vector<std::string>& etags) const {
    const std::string what = What(*options, key);
    std::string body = "<CompleteMultipartUpload>";
    for (std::size_t i = 0; i < etags.size(); ++i) {
      std::string etag = etags[i];
      if (etag.front() != '"') etag = "\"" + etag + "\"";
      body += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" +
              XmlEscape(etag) + "</ETag></Part>";
    }
    body += "</CompleteMultipartUpload>";
    ASSIGN_OR_RETURN(Answer answer, SendOk({"POST", key, {{"uploadId", upload_id}}, {}, body}, what,
                                           "CompleteMultipartUpload"));
    // S3 may answer 200 and still fail, with an <Error> document in the body.
    if (answer.body.find("<Error>") != std::string::npos) {
      return ErrorFromAnswer(what, "CompleteMultipartUpload", 500, answer.body);
    }
    return Status::Ok();
  }

  void AbortMultipartUpload(const std::string& key, const std::string& upload_id) const {
    (void)Send({"DELETE", key, {{"uploadId", upload_id}}, {}, {}}, What(*options, key));
  }

  static std::string XmlEscape(std::string_view text) {
    std::string out;
    for (char c : text) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out.push_back(c);
      }
    }
    return out;
  }
};

S3ObjectStore::S3ObjectStore(S3Options options, std::unique_ptr<Impl> impl)
    : options_(std::move(options)), impl_(std::move(impl)) {
  impl_->options = &options_;
}

S3ObjectStore::~S3ObjectStore() = default;

Result<std::unique_ptr<S3ObjectStore>> S3ObjectStore::Open(S3Options options) {
  auto impl = std::make_unique<Impl>();
  std::string endpoint = options.endpoint;
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  const auto bad_endpoint = [&](const std::string& why) {
    return InvalidArgumentError("S3 endpoint '" + options.endpoint + "': " + why);
  };
  if (endpoint.starts_with("http://")) {
    impl->scheme = "http";
  } else if (endpoint.starts_with("https://")) {
    impl->scheme = "https";
  } else {
    return bad_endpoint("must start with http:// or https://");
  }
  const std::string authority = endpoint.substr(impl->scheme.size() + 3);
  if (authority.empty() || authority.find_first_of("/?#@ ") != std::string::npos) {
    return bad_endpoint("must be scheme://host[:port] with no path, query or user");
  }
  const int default_port = impl->scheme == "https" ? 443 : 80;
  std::string host_only = authority;
  int port = default_port;
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    std::optional<std::int64_t> p = ParseInt(std::string_view(authority).substr(colon + 1));
    if (!p || *p < 1 || *p > 65535) return bad_endpoint("port is not a number from 1 to 65535");
    port = static_cast<int>(*p);
    host_only = authority.substr(0, colon);
  }
  if (host_only.empty()) return bad_endpoint("no host");
  impl->host = port == default_port ? host_only : host_only + ":" + std::to_string(port);
  impl->origin = impl->scheme + "://" + host_only + ":" + std::to_string(port);
  if (!ValidBucket(options.bucket)) {
    return InvalidArgumentError("S3 bucket '" + options.bucket +
                                "': must be 3 to 63 characters of a-z 0-9 . -");
  }
  if (options.credentials.access_key.empty() || options.credentials.secret_key.empty()) {
    return InvalidArgumentError("S3 bucket " + options.bucket +
                                ": the access key and the secret key are both required");
  }
  if (options.credentials.region.empty()) options.credentials.region = "us-east-1";
  if (options.multipart_part_bytes < kMinPartBytes) {
    return InvalidArgumentError("S3 multipart part size " +
                                std::to_string(options.multipart_part_bytes) +
                                " bytes: S3 needs at least 5 MiB (5242880 bytes)");
  }
  if (options.list_page_keys < 1 || options.list_page_keys > 1000) {
    return InvalidArgumentError("S3 list page size must be from 1 to 1000 keys");
  }
  if (options.connect_timeout_ms <= 0 || options.timeout_ms <= 0) {
    return InvalidArgumentError("S3 timeouts must be positive");
  }
  return std::unique_ptr<S3ObjectStore>(new S3ObjectStore(std::move(options), std::move(impl)));
}

Result<std::int64_t> S3ObjectStore::Put(std::string_view key_view, const ByteSource& source) {
  RETURN_IF_ERROR(ValidateS3Key(key_view));
  const std::string key(key_view);
  const std::string what = What(options_, key);
  const auto part_bytes = static_cast<std::size_t>(options_.multipart_part_bytes);
  std::string buffer;
  bool ended = false;
  // Refills the buffer with up to one part (or what is left of the source); returns its size.
  // It grows as bytes arrive, so a small object never costs a whole part's memory.
  const auto fill = [&]() -> Result<std::size_t> {
    buffer.clear();
    while (buffer.size() < part_bytes) {
      const std::size_t filled = buffer.size();
      buffer.resize(std::min(part_bytes, std::max<std::size_t>(2 * filled, 256 << 10)));
      Result<std::size_t> n = source(buffer.data() + filled, buffer.size() - filled);
      if (!n.ok()) return n.status().WithPrefix(what);
      buffer.resize(filled + *n);
      if (*n == 0) {
        ended = true;
        break;
      }
    }
    return buffer.size();
  };
  ASSIGN_OR_RETURN(std::size_t first, fill());
  std::int64_t total = static_cast<std::int64_t>(first);
  if (ended) {
    RETURN_IF_ERROR(
        impl_->SendOk({"PUT", key, {}, {}, std::string_view(buffer.data(), first)}, what).status());
  } else {
    ASSIGN_OR_RETURN(const std::string upload_id, impl_->CreateMultipartUpload(key));
    std::vector<std::string> etags;
    Status status;
    std::size_t n = first;
    while (status.ok()) {
      if (n > 0) {
        if (static_cast<int>(etags.size()) == kMaxParts) {
          status = ResourceExhaustedError(what + ": more than " + std::to_string(kMaxParts) +
                                          " parts; raise the part size");
          break;
        }
        Result<std::string> etag =
            impl_->UploadPart(key, upload_id, etags.size() + 1, std::string_view(buffer.data(), n));
        if (!etag.ok()) {
          status = etag.status();
          break;
        }
        etags.push_back(*etag);
      }
      if (ended) break;
      Result<std::size_t> next = fill();
      if (!next.ok()) {
        status = next.status();
        break;
      }
      n = *next;
      total += static_cast<std::int64_t>(n);
    }
    if (status.ok()) status = impl_->CompleteMultipartUpload(key, upload_id, etags);
    if (!status.ok()) {
      impl_->AbortMultipartUpload(key, upload_id);
      return status;
    }
  }
  // The whole object now wins over any appended parts (Size and Read look at it first).
  RETURN_IF_ERROR(impl_->RemoveAll(key + kPartsSuffix));
  return total;
}

Result<std::int64_t> S3ObjectStore::Append(std::string_view key_view, std::int64_t offset,
                                           std::string_view bytes) {
  RETURN_IF_ERROR(ValidateS3Key(key_view));
  const std::string key(key_view);
  const std::string what = What(options_, key);
  if (offset < 0) return InvalidArgumentError(what + ": negative append offset");
  const auto conflict = [&]() -> Status {
    Result<std::int64_t> size = Size(key);
    if (!size.ok() && size.status().code() != StatusCode::kNotFound) return size.status();
    return ConflictError(what + ": append at offset " + std::to_string(offset) +
                         " but the object has " + std::to_string(size.ok() ? *size : 0) + " bytes");
  };
  ASSIGN_OR_RETURN(std::optional<std::int64_t> whole, impl_->HeadSize(key));
  if (whole) {
    if (*whole != offset) return conflict();
    if (bytes.empty()) return offset;
    // Move the whole object to its first part (a server-side copy), then append after it.
    if (offset > 0) {
      RETURN_IF_ERROR(impl_
                          ->SendOk({"PUT",
                                    PartKey(key, offset),
                                    {},
                                    {{"x-amz-copy-source", impl_->PathFor(key)}},
                                    {}},
                                   what, "CopyObject")
                          .status());
    }
    RETURN_IF_ERROR(impl_->SendOk({"DELETE", key, {}, {}, {}}, what).status());
  } else if (offset > 0) {
    ASSIGN_OR_RETURN(std::optional<std::int64_t> previous, impl_->HeadSize(PartKey(key, offset)));
    if (!previous) return conflict();
  }
  // No part may end after `offset` (a resent chunk, or a writer that got ahead).
  ASSIGN_OR_RETURN(Impl::Page later, impl_->List(key + kPartsSuffix, PartKey(key, offset), "", 1));
  if (!later.objects.empty()) return conflict();
  if (bytes.empty()) {
    if (offset == 0) RETURN_IF_ERROR(impl_->SendOk({"PUT", key, {}, {}, {}}, what).status());
    return offset;
  }
  const std::int64_t end = offset + static_cast<std::int64_t>(bytes.size());
  RETURN_IF_ERROR(impl_->SendOk({"PUT", PartKey(key, end), {}, {}, bytes}, what).status());
  return end;
}

Result<std::int64_t> S3ObjectStore::Size(std::string_view key) {
  RETURN_IF_ERROR(ValidateS3Key(key));
  ASSIGN_OR_RETURN(std::optional<std::int64_t> whole, impl_->HeadSize(key));
  if (whole) return *whole;
  ASSIGN_OR_RETURN(std::vector<Impl::Part> parts, impl_->Parts(key));
  if (parts.empty()) return NotFoundError("object " + std::string(key) + ": not found");
  return parts.back().end;
}

Status S3ObjectStore::Read(std::string_view key_view, std::int64_t offset, std::int64_t length,
                           const ByteSink& sink) {
  RETURN_IF_ERROR(ValidateS3Key(key_view));
  const std::string key(key_view);
  const std::string what = "object " + key;
  ASSIGN_OR_RETURN(std::optional<std::int64_t> whole, impl_->HeadSize(key));
  std::vector<Impl::Part> parts;
  std::int64_t size = 0;
  if (whole) {
    size = *whole;
    parts.push_back({key, 0, size});
  } else {
    ASSIGN_OR_RETURN(parts, impl_->Parts(key));
    if (parts.empty()) return NotFoundError(what + ": not found");
    size = parts.back().end;
  }
  if (offset < 0 || offset > size || (offset == size && size > 0 && length != 0)) {
    return InvalidArgumentError(what + ": range starts at " + std::to_string(offset) +
                                ", past the end (" + std::to_string(size) + " bytes)");
  }
  std::int64_t stop = size;  // exclusive
  if (length >= 0) stop = std::min(stop, offset + length);
  for (const Impl::Part& part : parts) {
    const std::int64_t first = std::max(offset, part.start);
    const std::int64_t last = std::min(stop, part.end);  // exclusive
    if (first >= last) continue;
    RETURN_IF_ERROR(impl_->GetRange(part.key, first - part.start, last - part.start - 1,
                                    part.end - part.start, sink));
  }
  return Status::Ok();
}

Status S3ObjectStore::Remove(std::string_view key_view) {
  RETURN_IF_ERROR(ValidateS3Key(key_view));
  const std::string key(key_view);
  RETURN_IF_ERROR(impl_->SendOk({"DELETE", key, {}, {}, {}}, What(options_, key)).status());
  return impl_->RemoveAll(key + kPartsSuffix);
}

Status S3ObjectStore::RemovePrefix(std::string_view prefix) {
  RETURN_IF_ERROR(ValidateKey(prefix));
  return impl_->RemoveAll(std::string(prefix) + "/");
}

Result<std::string> S3ObjectStore::PresignGet(std::string_view key, std::int64_t expires_s) const {
  RETURN_IF_ERROR(ValidateS3Key(key));
  if (expires_s < 1 || expires_s > 604800) {
    return InvalidArgumentError(What(options_, key) + ": presigned URL expiry " +
                                std::to_string(expires_s) + " s is not from 1 to 604800");
  }
  S3Request request;
  request.host = impl_->host;
  request.path = impl_->PathFor(key);
  return impl_->scheme + "://" + impl_->host +
         PresignS3Get(request, options_.credentials, static_cast<std::int64_t>(std::time(nullptr)),
                      expires_s);
}

}  // namespace clipthat::store
