#include "render/edits_from_moments.h"

#include <algorithm>

namespace clipthat::render {

std::vector<formats::EditList> EditListsFromMoments(const formats::MomentsDocument& doc,
                                                    const std::string& vod_path,
                                                    const EditsFromMomentsOptions& options) {
  std::vector<formats::EditList> out;
  const size_t count =
      options.top > 0 ? std::min<size_t>(options.top, doc.moments.size()) : doc.moments.size();
  for (size_t i = 0; i < count; ++i) {
    const formats::Moment& m = doc.moments[i];
    formats::EditList e;
    e.source = vod_path;
    e.start_ms = m.start_ms;
    e.end_ms = m.end_ms;
    e.output = options.output;
    e.layout = options.layout;
    e.title = m.title;
    e.template_ref = options.template_ref;
    e.moment_id = m.id;
    for (const formats::MomentWord& w : m.words) {
      e.captions.words.push_back({w.text, w.start_ms, w.end_ms});
    }
    e.captions.words = formats::WordsInClip(e);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace clipthat::render
