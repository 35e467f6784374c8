// Every limit of the formats, as one JSON document: what GET /v1/formats/limits serves, so the
// web editor bounds its inputs with the numbers the API and the renderer check.
//
//   {"edit_list": {"min_clip_ms": 1000, "max_clip_ms": 180000, ...},
//    "brand_template": {"max_name_bytes": 100, ...,
//                       "logo_positions": ["top-left", ...], "layouts": ["auto", ...]},
//    "moments": {"version": 1, "max_moments": 1000, "max_words": 20000, ...}}
#pragma once

#include <nlohmann/json.hpp>

#include "formats/brand_template.h"
#include "formats/edit_list.h"
#include "formats/moments_document.h"

namespace clipthat::formats {

nlohmann::json FormatLimitsToJson(const EditListLimits& edit_list = {},
                                  const BrandTemplateLimits& brand_template = {},
                                  const MomentsDocumentLimits& moments = {});

}  // namespace clipthat::formats
