#include "live/recent_series.h"

#include <algorithm>

namespace clipthat::live {

RecentSeries::RecentSeries(const RecentSeriesOptions& options) : options_(options) {
  options_.bin_ms = std::max<TimeMs>(1, options_.bin_ms);
  options_.keep_ms = std::max(options_.bin_ms, options_.keep_ms);
}

double* RecentSeries::Bin(TimeMs at_ms) {
  if (at_ms < 0) return nullptr;
  const std::int64_t bin = at_ms / options_.bin_ms;
  if (values_.empty()) {
    first_bin_ = bin;
    values_.push_back(options_.empty_value);
    return &values_.back();
  }
  if (bin < first_bin_) return nullptr;
  const std::int64_t keep_bins = options_.keep_ms / options_.bin_ms;
  const std::int64_t last = first_bin_ + static_cast<std::int64_t>(values_.size()) - 1;
  if (bin > last) {
    // A jump longer than what is kept starts over rather than filling the gap bin by bin.
    if (bin - last > keep_bins) {
      values_.clear();
      first_bin_ = bin;
      values_.push_back(options_.empty_value);
      return &values_.back();
    }
    for (std::int64_t b = last + 1; b <= bin; ++b) values_.push_back(options_.empty_value);
    while (static_cast<std::int64_t>(values_.size()) > keep_bins) {
      values_.pop_front();
      ++first_bin_;
    }
    if (bin < first_bin_) return nullptr;
  }
  return &values_[static_cast<std::size_t>(bin - first_bin_)];
}

void RecentSeries::Set(TimeMs at_ms, double value) {
  if (double* v = Bin(at_ms)) *v = value;
}

void RecentSeries::Add(TimeMs at_ms, double value) {
  if (double* v = Bin(at_ms)) *v += value;
}

double RecentSeries::At(TimeMs at_ms) const {
  if (at_ms < 0 || values_.empty()) return options_.empty_value;
  const std::int64_t bin = at_ms / options_.bin_ms;
  if (bin < first_bin_ || bin >= first_bin_ + static_cast<std::int64_t>(values_.size())) {
    return options_.empty_value;
  }
  return values_[static_cast<std::size_t>(bin - first_bin_)];
}

TimeMs RecentSeries::begin_ms() const { return values_.empty() ? 0 : first_bin_ * options_.bin_ms; }

TimeMs RecentSeries::end_ms() const {
  return values_.empty()
             ? 0
             : (first_bin_ + static_cast<std::int64_t>(values_.size())) * options_.bin_ms;
}

}  // namespace clipthat::live
