// Rng: a small seeded generator (SplitMix64) whose sequence is the same on every platform and
// standard library, so a seed always plans the same stream (std:: distributions are not).
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

namespace clipthat::sample {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  // An independent stream for a named purpose, so adding draws to one part of the plan does
  // not shift another.
  Rng Fork(std::string_view purpose) const {
    std::uint64_t h = state_ ^ 0xcbf29ce484222325ULL;
    for (char c : purpose) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return Rng(h);
  }

  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [lo, hi] (inclusive).
  long long Int(long long lo, long long hi) {
    return lo + static_cast<long long>(Uniform() * static_cast<double>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  // Exponentially distributed with the given mean (Poisson-process gaps).
  double Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }

  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Int(0, static_cast<long long>(items.size()) - 1))];
  }
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[static_cast<size_t>(Int(0, static_cast<long long>(i) - 1))]);
    }
  }

 private:
  std::uint64_t state_;
};

}  // namespace clipthat::sample
