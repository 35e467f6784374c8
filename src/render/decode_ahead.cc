#include "render/decode_ahead.h"

#include <algorithm>

namespace clipthat::render {

DecodeAhead::DecodeAhead(media::WindowDecoder decoder, int max_video_frames)
    : decoder_(std::move(decoder)),
      max_video_frames_(std::max(1, max_video_frames)),
      thread_([this] { Run(); }) {}

DecodeAhead::~DecodeAhead() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void DecodeAhead::Run() {
  while (true) {
    media::DecodedItem item;
    Result<bool> more = decoder_.Next(&item);
    std::unique_lock<std::mutex> lock(mutex_);
    if (!more.ok() || !*more) {
      if (!more.ok()) error_ = more.status();
      done_ = true;
      changed_.notify_all();
      return;
    }
    if (item.kind == media::DecodedItem::Kind::kVideo) {
      changed_.wait(lock, [this] { return stop_ || queued_video_ < max_video_frames_; });
      if (stop_) return;
      ++queued_video_;
    }
    if (stop_) return;
    queue_.push_back(std::move(item));
    changed_.notify_all();
  }
}

Result<bool> DecodeAhead::Next(media::DecodedItem* item) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !queue_.empty() || done_; });
  if (queue_.empty()) {
    if (!error_.ok()) return error_;
    return false;
  }
  *item = std::move(queue_.front());
  queue_.pop_front();
  if (item->kind == media::DecodedItem::Kind::kVideo) --queued_video_;
  changed_.notify_all();
  return true;
}

}  // namespace clipthat::render
