// Numerical gradient checking, as the assignment's gradcheck_naive does it: centered differences in
// double precision, compared coordinate by coordinate with a relative error.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace w2v::core {

// Returns f(x) and writes the analytic gradient ∇f(x) into `grad` (same length as x).
using Objective = std::function<double(std::span<const double> x, std::span<double> grad)>;

struct GradCheckResult {
  double max_relative_error = 0;  // over all coordinates
  int64_t worst_index = -1;       // the coordinate where it was reached
  bool passed = true;
};

// For each coordinate i: numeric = (f(x + h·e_i) − f(x − h·e_i)) / 2h, and the relative error
// |numeric − analytic_i| / max(1, |numeric|, |analytic_i|); passes when every error ≤ tolerance.
GradCheckResult GradCheck(const Objective& f, std::span<const double> x, double step = 1e-4,
                          double tolerance = 1e-5);

// The random problems `w2v gradcheck` and the tests run, one named check per loss.
struct GradCheckSuiteOptions {
  int64_t dim = 5;
  int64_t vocab = 10;
  int32_t negatives = 10;     // K; some negatives always repeat
  int32_t outside_words = 4;  // per skip-gram window
  int32_t problems = 10;      // random problems per loss
  uint64_t seed = 31415;
  double tolerance = 1e-5;
};

struct NamedGradCheck {
  std::string name;
  GradCheckResult result;  // the worst over all problems
};

std::vector<NamedGradCheck> RunGradCheckSuite(const GradCheckSuiteOptions& options);

}  // namespace w2v::core
