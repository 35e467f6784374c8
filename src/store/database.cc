#include "store/database.h"

#include <sys/random.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "store/postgres_database.h"
#include "store/sqlite_database.h"

namespace clipthat::store {
namespace {

std::int64_t ToInt(const SqlValue* v) {
  if (v == nullptr) return 0;
  if (const auto* i = std::get_if<std::int64_t>(v)) return *i;
  if (const auto* d = std::get_if<double>(v)) return static_cast<std::int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(v)) {
    std::int64_t out = 0;
    const char* begin = s->data();
    const char* end = begin + s->size();
    auto [ptr, ec] = std::from_chars(begin, end, out);
    if (ec == std::errc() && ptr == end) return out;
    // "3.0" or "1e3" from a numeric column: go through double.
    char* parse_end = nullptr;
    const double d = std::strtod(s->c_str(), &parse_end);
    if (parse_end != s->c_str()) return static_cast<std::int64_t>(d);
    return 0;
  }
  return 0;
}

double ToReal(const SqlValue* v) {
  if (v == nullptr) return 0;
  if (const auto* d = std::get_if<double>(v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(v)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(v)) {
    char* end = nullptr;
    const double d = std::strtod(s->c_str(), &end);
    return end == s->c_str() ? 0.0 : d;
  }
  return 0;
}

std::string ToText(const SqlValue* v) {
  if (v == nullptr) return {};
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(v)) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.17g", *d);
    return buf;
  }
  return {};
}

bool IsNullValue(const SqlValue* v) {
  return v == nullptr || std::holds_alternative<std::monostate>(*v);
}

}  // namespace

const SqlValue* Row::Find(std::string_view column) const {
  if (!columns_) return nullptr;
  for (std::size_t i = 0; i < columns_->size() && i < values_.size(); ++i) {
    if ((*columns_)[i] == column) return &values_[i];
  }
  return nullptr;
}

const SqlValue* Row::At(std::size_t index) const {
  return index < values_.size() ? &values_[index] : nullptr;
}

bool Row::IsNull(std::string_view column) const { return IsNullValue(Find(column)); }
std::string Row::Text(std::string_view column) const { return ToText(Find(column)); }
std::int64_t Row::Int(std::string_view column) const { return ToInt(Find(column)); }
double Row::Real(std::string_view column) const { return ToReal(Find(column)); }
std::optional<std::string> Row::OptText(std::string_view column) const {
  const SqlValue* v = Find(column);
  if (IsNullValue(v)) return std::nullopt;
  return ToText(v);
}
std::optional<std::int64_t> Row::OptInt(std::string_view column) const {
  const SqlValue* v = Find(column);
  if (IsNullValue(v)) return std::nullopt;
  return ToInt(v);
}
bool Row::IsNull(std::size_t index) const { return IsNullValue(At(index)); }
std::string Row::Text(std::size_t index) const { return ToText(At(index)); }
std::int64_t Row::Int(std::size_t index) const { return ToInt(At(index)); }
double Row::Real(std::size_t index) const { return ToReal(At(index)); }

std::string NewId() {
  unsigned char bytes[16];
  std::size_t filled = 0;
  while (filled < sizeof(bytes)) {
    const ssize_t n = getrandom(bytes + filled, sizeof(bytes) - filled, 0);
    if (n > 0) {
      filled += static_cast<std::size_t>(n);
      continue;
    }
    // getrandom is missing (very old kernel) or failed: read the device instead.
    std::ifstream urandom("/dev/urandom", std::ios::binary);
    urandom.read(reinterpret_cast<char*>(bytes), sizeof(bytes));
    break;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return out;
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RedactUrl(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const std::size_t authority_begin = scheme + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const std::size_t at = url.rfind('@', authority_end);
  std::string out(url);
  if (at != std::string_view::npos && at >= authority_begin) {
    const std::size_t colon = url.find(':', authority_begin);
    if (colon != std::string_view::npos && colon < at) {
      out = std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
    }
  }
  // A password given as a query parameter ("?password=...") is hidden as well.
  const std::size_t pw = out.find("password=");
  if (pw != std::string::npos) {
    std::size_t end = out.find('&', pw);
    if (end == std::string::npos) end = out.size();
    out.replace(pw + 9, end - (pw + 9), "***");
  }
  return out;
}

Result<std::unique_ptr<Database>> OpenDatabase(std::string_view url, int pool_size) {
  if (url.rfind("sqlite:", 0) == 0) {
    ASSIGN_OR_RETURN(auto db, SqliteDatabase::Open(std::string(url.substr(7)), pool_size));
    return std::unique_ptr<Database>(std::move(db));
  }
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    ASSIGN_OR_RETURN(auto db, PostgresDatabase::Open(std::string(url), pool_size));
    return std::unique_ptr<Database>(std::move(db));
  }
  return InvalidArgumentError("database URL " + RedactUrl(url) +
                              ": expected sqlite:PATH or postgres://...");
}

}  // namespace clipthat::store
