// Twitch URLs accepted for import, and the canonical form handed to the Twitch tool.
//
// A URL whose host is twitch.tv or any name under it (any case, a trailing dot) is a Twitch
// URL: it never goes to the plain HTTP fetch, and it is imported only in one of these forms
// (http or https, no port, no user info; a query such as "?t=1h2m" is dropped):
//   [www.|m.|go.]twitch.tv/videos/ID            a past broadcast  ->
//   https://www.twitch.tv/videos/ID [www.|m.|go.]twitch.tv/CHANNEL/video/ID     the same
//   [www.|m.|go.]twitch.tv/CHANNEL/clip/SLUG    a clip            -> https://clips.twitch.tv/SLUG
//   clips.twitch.tv/SLUG                        the same
//   [www.|m.|go.]twitch.tv/CHANNEL              the live stream   -> https://www.twitch.tv/CHANNEL
// ID is 1-20 digits, CHANNEL 1-25 of [A-Za-z0-9_], SLUG 1-100 of [A-Za-z0-9_-]. The tool is
// given only the canonical URL, so it always takes its Twitch path, never a generic fetch of a
// page under another name.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace clipthat::api {

struct TwitchUrl {
  std::string host;  // "www.twitch.tv" or "clips.twitch.tv": what the tool connects to first
  std::string url;   // the canonical URL
};

// True when `url` is an http(s) URL whose host is twitch.tv or a name under it.
bool IsTwitchUrl(std::string_view url);

// The canonical form of a Twitch URL; InvalidArgument "url: ..." naming what is wrong for any
// other form (another host under twitch.tv, a port, an unknown path).
Result<TwitchUrl> ParseTwitchUrl(std::string_view url);

}  // namespace clipthat::api
