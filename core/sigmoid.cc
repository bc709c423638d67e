#include "core/sigmoid.h"

#include <cassert>

namespace w2v::core {

void Sigmoid(std::span<const float> in, std::span<float> out) {
  assert(in.size() == out.size());
  for (size_t i = 0; i < in.size(); ++i) out[i] = Sigmoid(in[i]);
}

void Sigmoid(std::span<const double> in, std::span<double> out) {
  assert(in.size() == out.size());
  for (size_t i = 0; i < in.size(); ++i) out[i] = Sigmoid(in[i]);
}

}  // namespace w2v::core
