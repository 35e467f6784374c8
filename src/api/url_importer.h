// UrlImporter: fetches a VOD given by URL into the object store in the background.
//
//   * http(s) URLs to a media file: streamed with cpp-httplib (redirects followed, at most 5,
//     each hop checked); the VOD's size and received bytes are updated as data arrives.
//   * Twitch URLs (twitch.tv): resolved and streamed by yt-dlp (`yt-dlp -o - URL`) or streamlink
//     (`streamlink --stdout URL best`), whichever is installed.
// Unless private addresses are allowed, URLs whose host resolves to a loopback, private,
// link-local or otherwise internal address are refused (no requests into the operator's
// network). The VOD ends "ready" or "failed" with the reason in its error.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/vod_repository.h"
#include "core/log.h"
#include "core/status.h"
#include "store/object_store.h"

namespace clipthat::api {

class UrlImporter {
 public:
  UrlImporter(VodRepository& vods, store::ObjectStore& objects, Logger logger,
              bool allow_private_addresses, std::int64_t max_bytes)
      : vods_(vods),
        objects_(objects),
        logger_(std::move(logger)),
        allow_private_(allow_private_addresses),
        max_bytes_(max_bytes) {}
  ~UrlImporter() { Stop(); }
  UrlImporter(const UrlImporter&) = delete;
  UrlImporter& operator=(const UrlImporter&) = delete;

  static bool IsTwitchUrl(const std::string& url);
  // The installed tool for Twitch URLs ("yt-dlp" or "streamlink"), "" when neither is.
  static std::string TwitchTool();

  // InvalidArgument naming "url" when the URL cannot be fetched (bad form, no Twitch tool,
  // an internal address, a host that does not resolve).
  Status Check(const std::string& url) const;

  // Starts fetching `url` into `media_key` for VOD `vod_id` on a background thread.
  void Start(const std::string& vod_id, const std::string& media_key, const std::string& url);

  // Stops every fetch (their VODs are marked failed: "server stopped") and joins the threads.
  void Stop();

 private:
  Status FetchHttp(const std::string& vod_id, const std::string& key, std::string url);
  Status FetchTwitch(const std::string& vod_id, const std::string& key, const std::string& url);
  Status CheckHost(const std::string& host) const;

  VodRepository& vods_;
  store::ObjectStore& objects_;
  Logger logger_;
  bool allow_private_;
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
