// Media that is not a local file: a RemoteInput is any seekable source of bytes (the worker's
// ranged reads of a VOD through the API, for one) that the media functions demux from as if it
// were a file, reading only the bytes the demuxer asks for.
//
//   auto input = std::make_shared<MyRangedReader>(...);      // implements RemoteInput
//   media::RemoteInputRegistration registered = media::RegisterRemoteInput(input, url);
//   auto info = media::Probe(registered.path());              // reads the index only
//   auto decoder = media::WindowDecoder::Open(registered.path(), window);
//
// Why a registered path rather than a new parameter: a media source travels as a path string
// through edit lists, plans, probes, face surveys and decoders; a registered path goes through
// all of them unchanged, and only the place where libav opens an input (OpenInputFile) looks it
// up. While the registration lives, every open of its path makes a fresh AVIOContext (its own
// position and 64 KiB buffer) over the same shared RemoteInput, so an input opened several times
// (probe, face survey, decode) can answer repeated reads of the index from its own cache.
//
// Paths look like "remote:<n>:<label>" (n unique in the process; label, e.g. the URL without its
// query, for messages), so errors name what was read. Never put a secret in the label.
// After the registration is destroyed the path no longer opens (NotFound).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace clipthat::media {

// A seekable byte source. Implementations must be thread-safe: decoders on different threads
// read the same input.
class RemoteInput {
 public:
  virtual ~RemoteInput() = default;
  // Reads up to out.size() bytes at `offset_bytes` into `out`; returns how many were read
  // (0 only at or past the end). Errors name the source; they fail the open or the read of the
  // decoder that asked.
  virtual Result<std::size_t> ReadAt(std::int64_t offset_bytes, std::span<std::uint8_t> out) = 0;
  // The total size in bytes (known when the input was made).
  virtual std::int64_t size_bytes() const = 0;
};

// Keeps an input openable under path(); unregisters it when destroyed. Move-only.
class RemoteInputRegistration {
 public:
  RemoteInputRegistration() = default;
  ~RemoteInputRegistration();
  RemoteInputRegistration(RemoteInputRegistration&& other) noexcept;
  RemoteInputRegistration& operator=(RemoteInputRegistration&& other) noexcept;
  RemoteInputRegistration(const RemoteInputRegistration&) = delete;
  RemoteInputRegistration& operator=(const RemoteInputRegistration&) = delete;

  // "" for a default-constructed or moved-from registration.
  const std::string& path() const { return path_; }

 private:
  friend RemoteInputRegistration RegisterRemoteInput(std::shared_ptr<RemoteInput>,
                                                     std::string_view);
  std::string path_;
};

// Registers `input` (not null) under a fresh path carrying `label`.
RemoteInputRegistration RegisterRemoteInput(std::shared_ptr<RemoteInput> input,
                                            std::string_view label);

// True when `path` has the form of a registered input's path (registered or not any more).
bool IsRemoteInputPath(std::string_view path);

// The input registered under `path`; NotFound naming the path when it is not (or no longer)
// registered.
Result<std::shared_ptr<RemoteInput>> FindRemoteInput(const std::string& path);

}  // namespace clipthat::media
