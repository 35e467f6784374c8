#include "formats/format_limits.h"

namespace clipthat::formats {

nlohmann::json FormatLimitsToJson(const EditListLimits& e, const BrandTemplateLimits& t,
                                  const MomentsDocumentLimits& m) {
  nlohmann::json layouts = nlohmann::json::array();
  for (LayoutMode m :
       {LayoutMode::kAuto, LayoutMode::kFill, LayoutMode::kSplit, LayoutMode::kFit}) {
    layouts.push_back(LayoutModeName(m));
  }
  return {{"edit_list",
           {{"version", kEditListVersion},
            {"min_clip_ms", e.min_clip_ms},
            {"max_clip_ms", e.max_clip_ms},
            {"max_window_ms", e.max_window_ms},
            {"max_time_ms", e.max_time_ms},
            {"max_rect_px", e.max_rect_px},
            {"min_output_px", e.min_output_px},
            {"max_output_px", e.max_output_px},
            {"max_fps", e.max_fps},
            {"max_keyframes", e.max_keyframes},
            {"max_cuts", e.max_cuts},
            {"max_words", e.max_words},
            {"max_word_bytes", e.max_word_bytes},
            {"max_title_bytes", e.max_title_bytes},
            {"max_template_ref_bytes", e.max_template_ref_bytes},
            {"max_moment_id", e.max_moment_id},
            {"layouts", layouts}}},
          {"brand_template",
           {{"version", kBrandTemplateVersion},
            {"max_id_bytes", t.max_id_bytes},
            {"max_name_bytes", t.max_name_bytes},
            {"max_logo_path_bytes", t.max_logo_path_bytes},
            {"min_logo_width_fraction", t.min_logo_width_fraction},
            {"max_logo_width_fraction", t.max_logo_width_fraction},
            {"max_logo_margin_px", t.max_logo_margin_px},
            {"min_title_ms", t.min_title_ms},
            {"max_title_ms", t.max_title_ms},
            {"min_title_font_px", t.min_title_font_px},
            {"max_title_font_px", t.max_title_font_px},
            {"max_title_position_y_fraction", t.max_title_position_y_fraction},
            {"max_logo_image_px", t.max_logo_image_px},
            {"min_loudness_lufs", t.min_loudness_lufs},
            {"max_loudness_lufs", t.max_loudness_lufs},
            {"min_true_peak_dbtp", t.min_true_peak_dbtp},
            {"max_true_peak_dbtp", t.max_true_peak_dbtp},
            {"logo_positions", LogoPositions()},
            {"layouts", layouts}}},
          {"moments",
           {{"version", kMomentsDocumentVersion},
            {"max_moments", m.max_moments},
            {"max_words", m.max_words},
            {"max_triggers", m.max_triggers},
            {"max_evidence", m.max_evidence},
            {"max_path_bytes", m.max_path_bytes},
            {"max_title_bytes", m.max_title_bytes},
            {"max_word_bytes", m.max_word_bytes},
            {"max_trigger_bytes", m.max_trigger_bytes},
            {"max_signal_name_bytes", m.max_signal_name_bytes},
            {"max_timeline_samples", m.max_timeline_samples},
            {"max_timeline_signals", m.max_timeline_signals}}}};
}

}  // namespace clipthat::formats
