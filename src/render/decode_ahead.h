// DecodeAhead: runs a media::WindowDecoder on its own thread, a few frames ahead of the
// consumer, so decoding overlaps compositing and encoding.
//
// Items come out in the decoder's order. At most `max_video_frames` decoded video frames wait
// in the queue (bounded memory: a 1080p frame is 3 MB). Destroying it stops the thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/result.h"
#include "media/window_decoder.h"

namespace clipthat::render {

class DecodeAhead {
 public:
  DecodeAhead(media::WindowDecoder decoder, int max_video_frames);
  ~DecodeAhead();
  DecodeAhead(const DecodeAhead&) = delete;
  DecodeAhead& operator=(const DecodeAhead&) = delete;

  // The next item; false at the end of the window; the decoder's error if it failed.
  Result<bool> Next(media::DecodedItem* item);

 private:
  void Run();

  media::WindowDecoder decoder_;
  const int max_video_frames_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<media::DecodedItem> queue_;
  int queued_video_ = 0;
  bool done_ = false;  // the decoder reached the end or failed
  bool stop_ = false;  // the consumer is gone
  Status error_;
  std::thread thread_;  // last: started after every other member exists
};

}  // namespace clipthat::render
