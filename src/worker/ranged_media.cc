#include "worker/ranged_media.h"

#include <algorithm>
#include <cstring>

namespace clipthat::worker {

RangedMedia::RangedMedia(std::unique_ptr<WorkerApiClient> client, LeasedJob job,
                         std::string worker_id, RangedMediaOptions options)
    : client_(std::move(client)),
      job_(std::move(job)),
      worker_id_(std::move(worker_id)),
      options_(options) {
  label_ = client_->api_url() + "/v1/worker/jobs/" + job_.id + "/files/media";
}

Result<std::shared_ptr<RangedMedia>> RangedMedia::Open(const ApiClientOptions& client_options,
                                                       const LeasedJob& job, std::string worker_id,
                                                       RangedMediaOptions options) {
  if (options.block_bytes < 4096 || options.block_bytes > (64 << 20)) {
    return InvalidArgumentError("ranged media: block_bytes " + std::to_string(options.block_bytes) +
                                " is out of range (4 KiB to 64 MiB)");
  }
  if (options.read_ahead_blocks < 1) {
    return InvalidArgumentError("ranged media: read_ahead_blocks must be at least 1");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<WorkerApiClient> client,
                   WorkerApiClient::Create(client_options));
  auto media = std::shared_ptr<RangedMedia>(
      new RangedMedia(std::move(client), job, std::move(worker_id), options));
  std::lock_guard lock(media->mutex_);
  RETURN_IF_ERROR(media->Fetch(0, 1));  // learns the size
  return media;
}

Status RangedMedia::Fetch(std::int64_t first_block, std::int64_t count) {
  const std::int64_t offset = first_block * options_.block_bytes;
  std::int64_t length = count * options_.block_bytes;
  // Never ask past the end: cpp-httplib servers announce the asked-for length, not the bytes
  // left, and the transfer then breaks.
  if (size_bytes_ > 0) length = std::min(length, size_bytes_ - offset);
  if (length <= 0) return Status::Ok();
  std::string bytes;
  ASSIGN_OR_RETURN(std::int64_t total,
                   client_->ReadRange(job_, worker_id_, "media", offset, length, &bytes));
  size_bytes_ = total;
  ++fetch_count_;
  fetched_bytes_ += static_cast<std::int64_t>(bytes.size());
  for (std::int64_t i = 0; i < count; ++i) {
    const std::size_t from = static_cast<std::size_t>(i * options_.block_bytes);
    if (from >= bytes.size()) break;
    const std::int64_t block = first_block + i;
    Block& entry = blocks_[block];
    if (!entry.bytes.empty()) {
      cached_bytes_ -= static_cast<std::int64_t>(entry.bytes.size());
      lru_.erase(entry.lru);
    }
    entry.bytes = bytes.substr(from, static_cast<std::size_t>(options_.block_bytes));
    cached_bytes_ += static_cast<std::int64_t>(entry.bytes.size());
    lru_.push_front(block);
    entry.lru = lru_.begin();
  }
  next_sequential_block_ = first_block + count;
  last_fetch_blocks_ = count;
  Evict();
  return Status::Ok();
}

void RangedMedia::Touch(std::int64_t block) {
  Block& entry = blocks_.at(block);
  lru_.erase(entry.lru);
  lru_.push_front(block);
  entry.lru = lru_.begin();
}

void RangedMedia::Evict() {
  // Keeps at least the blocks of the latest fetch (the front of the list).
  const std::size_t keep = static_cast<std::size_t>(options_.read_ahead_blocks);
  while (cached_bytes_ > options_.cache_bytes && lru_.size() > keep) {
    const std::int64_t block = lru_.back();
    lru_.pop_back();
    cached_bytes_ -= static_cast<std::int64_t>(blocks_.at(block).bytes.size());
    blocks_.erase(block);
  }
}

Result<std::size_t> RangedMedia::ReadAt(std::int64_t offset_bytes, std::span<std::uint8_t> out) {
  std::lock_guard lock(mutex_);
  if (offset_bytes < 0) return InvalidArgumentError(label_ + ": negative read offset");
  std::size_t done = 0;
  while (done < out.size() && offset_bytes < size_bytes_) {
    const std::int64_t block = offset_bytes / options_.block_bytes;
    if (!blocks_.contains(block)) {
      // A sequential miss reads ahead; a seek fetches only the block it needs.
      std::int64_t count =
          block == next_sequential_block_
              ? std::min<std::int64_t>(last_fetch_blocks_ * 2, options_.read_ahead_blocks)
              : 1;
      for (std::int64_t i = 1; i < count; ++i) {
        if (blocks_.contains(block + i)) {
          count = i;
          break;
        }
      }
      RETURN_IF_ERROR(Fetch(block, count));
      if (!blocks_.contains(block)) break;  // the file ended before this block
    }
    Touch(block);
    const std::string& bytes = blocks_.at(block).bytes;
    const std::size_t in_block =
        static_cast<std::size_t>(offset_bytes - block * options_.block_bytes);
    if (in_block >= bytes.size()) break;
    const std::size_t n = std::min(out.size() - done, bytes.size() - in_block);
    std::memcpy(out.data() + done, bytes.data() + in_block, n);
    done += n;
    offset_bytes += static_cast<std::int64_t>(n);
  }
  return done;
}

std::int64_t RangedMedia::fetched_bytes() const {
  std::lock_guard lock(mutex_);
  return fetched_bytes_;
}

int RangedMedia::fetch_count() const {
  std::lock_guard lock(mutex_);
  return fetch_count_;
}

}  // namespace clipthat::worker
