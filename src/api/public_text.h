// Public text: error messages made safe to show a user (internal to the api module). Messages
// from the stores and from workers may carry internals a caller must not see: file paths on the
// server or a worker (its scratch folder), SQL text, table and constraint names.
//
//   PublicText("ffmpeg: /var/tmp/clipthat-job-1/in.mp4: Invalid data")
//       == "ffmpeg: in.mp4: Invalid data"
//   PublicText("UNIQUE constraint failed: users.email") == std::nullopt
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clipthat::api {

// `message` with every absolute path cut to its last component ("/a/b/c.mp4" -> "c.mp4");
// nullopt when the message carries database internals (SQL, driver names, constraints), which
// no cut makes safe: the caller answers with a generic message and logs the original.
std::optional<std::string> PublicText(std::string_view message);

}  // namespace clipthat::api
