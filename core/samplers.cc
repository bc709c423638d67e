#include "core/samplers.h"

#include <cassert>
#include <cmath>

namespace w2v::core {

AliasSampler::AliasSampler(std::span<const double> weights)
    : columns_(weights.size()), probability_(weights.size()) {
  const size_t n = weights.size();
  assert(n > 0);
  double total = 0;
  for (double w : weights) total += w;
  // Scaled so that the average column holds exactly 1: columns below it are topped up by one alias.
  std::vector<double> scaled(n);
  std::vector<int32_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    probability_[i] = weights[i] / total;
    scaled[i] = probability_[i] * static_cast<double>(n);
    columns_[i].alias = static_cast<int32_t>(i);
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<int32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const int32_t s = small.back();
    small.pop_back();
    const int32_t l = large.back();
    columns_[s] = {static_cast<float>(scaled[s]), l};
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left is 1 up to rounding: those columns always keep their own index.
  for (int32_t i : small) columns_[i].threshold = 1.0f;
  for (int32_t i : large) columns_[i].threshold = 1.0f;
}

AliasSampler MakeNoiseSampler(std::span<const int64_t> counts, double exponent) {
  std::vector<double> weights(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) {
    weights[i] = std::pow(static_cast<double>(counts[i]), exponent);
  }
  return AliasSampler(weights);
}

float KeepProbability(int64_t count, int64_t total, double threshold, SubsampleFormula formula) {
  if (threshold <= 0 || count <= 0) return 1.0f;
  const double ratio = threshold * static_cast<double>(total) / static_cast<double>(count);  // t/f
  if (formula == SubsampleFormula::kAssignment) {
    return static_cast<float>(std::min(1.0, std::sqrt(ratio)));
  }
  return static_cast<float>(std::min(1.0, (std::sqrt(1.0 / ratio) + 1.0) * ratio));
}

}  // namespace w2v::core
