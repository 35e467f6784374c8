// UrlImporter: fetches a VOD given by URL into the object store in the background.
//
//   * http(s) URLs to a media file: streamed with cpp-httplib (redirects followed, at most 5);
//     the VOD's size and received bytes are updated as data arrives.
//   * Twitch URLs (twitch.tv, see api/twitch_url.h): resolved and streamed by yt-dlp
//     (`yt-dlp -o - URL`) or streamlink (`streamlink --stdout URL best`), whichever is installed,
//     given only the canonical URL.
//
// No requests into the operator's network (server-side request forgery): the host of the URL
// and of every redirect hop is resolved ONCE, every address it resolves to must pass the
// address policy (core/address_policy.h: loopback, private, link-local, CGNAT, NAT64, 6to4,
// Teredo, documentation, benchmarking, multicast, IPv4-mapped forms of those and the rest are
// refused), and the connection goes to exactly the first of those checked addresses, with the
// URL's host kept for the Host header and the TLS name check. A name that later resolves
// elsewhere (DNS rebinding) changes nothing. A Twitch host is checked the same way before the
// tool starts; the tool's own connections (Twitch's API and video CDN) are its own.
// The VOD ends "ready" or "failed" with the reason in its error.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/vod_repository.h"
#include "core/address_policy.h"
#include "core/host_resolver.h"
#include "core/log.h"
#include "core/status.h"
#include "store/object_store.h"

namespace clipthat::api {

class UrlImporter {
 public:
  // `policy` says which addresses may be fetched, `resolve` turns hosts into addresses
  // (ResolveHost in production); `max_bytes` caps one VOD.
  UrlImporter(VodRepository& vods, store::ObjectStore& objects, Logger logger, AddressPolicy policy,
              HostResolver resolve, std::int64_t max_bytes)
      : vods_(vods),
        objects_(objects),
        logger_(std::move(logger)),
        policy_(std::move(policy)),
        resolve_(std::move(resolve)),
        max_bytes_(max_bytes) {}
  ~UrlImporter() { Stop(); }
  UrlImporter(const UrlImporter&) = delete;
  UrlImporter& operator=(const UrlImporter&) = delete;

  // The installed tool for Twitch URLs ("yt-dlp" or "streamlink"), "" when neither is.
  static std::string TwitchTool();

  // InvalidArgument naming "url" when the URL cannot be fetched: a bad form, a Twitch URL not
  // in a form api/twitch_url.h accepts, a host that does not resolve or resolves to an address
  // the policy refuses ("url: host 'NAME' resolves to 10.0.0.1, a private address");
  // Unsupported when a Twitch URL is given and no Twitch tool is installed. The fetch checks
  // again, on its own resolution, and connects only to what it checked.
  Status Check(const std::string& url) const;

  // Starts fetching `url` into `media_key` for VOD `vod_id` on a background thread.
  void Start(const std::string& vod_id, const std::string& media_key, const std::string& url);

  // Stops every fetch (their VODs are marked failed: "server stopped") and joins the threads.
  void Stop();

 private:
  Status FetchHttp(const std::string& vod_id, const std::string& key, std::string url);
  Status FetchTwitch(const std::string& vod_id, const std::string& key, const std::string& url);

  VodRepository& vods_;
  store::ObjectStore& objects_;
  Logger logger_;
  AddressPolicy policy_;
  HostResolver resolve_;
  std::int64_t max_bytes_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  struct Fetch {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::list<Fetch> fetches_;  // finished ones are joined at the next Start
};

}  // namespace clipthat::api
