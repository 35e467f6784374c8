#include "api/twitch_url.h"

#include <vector>

#include "api/text_checks.h"

namespace clipthat::api {
namespace {

std::string TwitchHost(const HttpUrlParts& parts) {
  std::string host = parts.host;
  for (char& c : host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (host.ends_with('.')) host.pop_back();
  return host;
}

bool IsUnderTwitch(const std::string& host) {
  return host == "twitch.tv" || host.ends_with(".twitch.tv");
}

bool IsVideoId(std::string_view s) {
  return CharsWithin(s, 1, 20, [](char c) { return c >= '0' && c <= '9'; });
}
bool IsChannel(std::string_view s) {
  return CharsWithin(s, 1, 25, [](char c) { return IsAsciiAlnum(c) || c == '_'; });
}
bool IsClipSlug(std::string_view s) {
  return CharsWithin(s, 1, 100, [](char c) { return IsAsciiAlnum(c) || c == '_' || c == '-'; });
}

// "/a/b/" -> {"a", "b"}; the query is dropped.
std::vector<std::string_view> PathSegments(std::string_view path) {
  path = path.substr(0, path.find('?'));
  std::vector<std::string_view> segments;
  std::size_t start = 1;
  while (start < path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

}  // namespace

bool IsTwitchUrl(std::string_view url) {
  HttpUrlParts parts;
  return ParseHttpUrl(url, &parts) && IsUnderTwitch(TwitchHost(parts));
}

Result<TwitchUrl> ParseTwitchUrl(std::string_view url) {
  HttpUrlParts parts;
  if (!ParseHttpUrl(url, &parts) || !IsUnderTwitch(TwitchHost(parts))) {
    return InvalidArgumentError("url: not a twitch.tv URL");
  }
  const std::string host = TwitchHost(parts);
  if (parts.authority != parts.host) {
    return InvalidArgumentError("url: a Twitch URL has no port");
  }
  const std::vector<std::string_view> s = PathSegments(parts.path);
  const auto video = [](std::string_view id) {
    return TwitchUrl{"www.twitch.tv", "https://www.twitch.tv/videos/" + std::string(id)};
  };
  const auto clip = [](std::string_view slug) {
    return TwitchUrl{"clips.twitch.tv", "https://clips.twitch.tv/" + std::string(slug)};
  };
  if (host == "clips.twitch.tv") {
    if (s.size() == 1 && IsClipSlug(s[0])) return clip(s[0]);
  } else if (host == "twitch.tv" || host == "www.twitch.tv" || host == "m.twitch.tv" ||
             host == "go.twitch.tv") {
    if (s.size() == 2 && s[0] == "videos" && IsVideoId(s[1])) return video(s[1]);
    if (s.size() == 3 && IsChannel(s[0]) && s[1] == "video" && IsVideoId(s[2])) return video(s[2]);
    if (s.size() == 3 && IsChannel(s[0]) && s[1] == "clip" && IsClipSlug(s[2])) return clip(s[2]);
    if (s.size() == 1 && IsChannel(s[0])) {
      return TwitchUrl{"www.twitch.tv", "https://www.twitch.tv/" + std::string(s[0])};
    }
  } else {
    return InvalidArgumentError("url: '" + host +
                                "' is not a Twitch host this server imports from (twitch.tv, "
                                "www., m., go. or clips.twitch.tv)");
  }
  return InvalidArgumentError(
      "url: not a Twitch video, clip or channel URL (twitch.tv/videos/ID, "
      "twitch.tv/CHANNEL/clip/SLUG, clips.twitch.tv/SLUG or twitch.tv/CHANNEL)");
}

}  // namespace clipthat::api
