// The brand template (formats/brand_template.h). Logos resolve to one small PNG written at
// start ("logo.png"; any other name is not found). Properties: an accepted template lies within
// its limits, is written (BrandTemplateToJson) as text that parses again to the same template,
// and its logo is placed inside the frame of any output size.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <string_view>
#include <system_error>

#include "core/json_document.h"
#include "formats/brand_template.h"
#include "fuzz_check.h"

namespace {

namespace fs = std::filesystem;
using clipthat::Result;

// A 32x16 logo in the system's temporary folder, one per process (removed at exit), written
// once.
struct LogoOnDisk {
  LogoOnDisk()
      : path(fs::temp_directory_path() /
             ("clipthat-fuzz-logo-" + std::to_string(::getpid()) + ".png")) {
    cv::imwrite(path.string(), cv::Mat(16, 32, CV_8UC4, cv::Scalar(0, 200, 255, 255)));
  }
  ~LogoOnDisk() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
  fs::path path;
};

const fs::path& LogoFile() {
  static const LogoOnDisk logo;
  return logo.path;
}

Result<fs::path> ResolveLogo(const std::string& name) {
  if (name == "logo.png" || name == LogoFile().string()) return LogoFile();
  return clipthat::NotFoundError("no such file");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto json = clipthat::ParseJsonDocument(text, "template.json");
  if (!json.ok()) return 0;
  const clipthat::formats::BrandTemplateLimits limits;
  auto brand = clipthat::formats::ParseBrandTemplate(*json, "", ResolveLogo, limits);
  if (!brand.ok()) {
    FUZZ_CHECK(!brand.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(!brand->id.empty() && brand->id.size() <= limits.max_id_bytes);
  FUZZ_CHECK(!brand->name.empty() && brand->name.size() <= limits.max_name_bytes);
  if (brand->logo) {
    const auto& logo = *brand->logo;
    FUZZ_CHECK(logo.width_fraction >= limits.min_logo_width_fraction &&
               logo.width_fraction <= limits.max_logo_width_fraction);
    FUZZ_CHECK(logo.opacity >= 0 && logo.opacity <= 1);
    for (const auto& [width, height] : {std::pair{1080, 1920}, {64, 64}, {4, 4}, {4096, 64}}) {
      const auto rect = clipthat::formats::LogoPlacement(logo, {32, 16}, width, height);
      FUZZ_CHECK(rect.x >= 0 && rect.y >= 0 && rect.width >= 0 && rect.height >= 0);
      FUZZ_CHECK(rect.x + rect.width <= width && rect.y + rect.height <= height);
    }
  }
  const std::string written = clipthat::formats::BrandTemplateToJson(*brand).dump();
  auto json_again = clipthat::ParseJsonDocument(written, "written.json");
  FUZZ_CHECK(json_again.ok());
  auto again = clipthat::formats::ParseBrandTemplate(*json_again, "", ResolveLogo, limits);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(clipthat::formats::BrandTemplateToJson(*again).dump() == written);
  return 0;
}
