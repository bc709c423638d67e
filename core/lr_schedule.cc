#include "core/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace w2v::core {

double StepAnnealing::At(int64_t iteration) const {
  return initial * std::pow(factor, static_cast<double>(iteration / period));
}

double LinearDecay::At(double progress) const {
  return std::max(floor, initial * (1.0 - std::clamp(progress, 0.0, 1.0)));
}

}  // namespace w2v::core
