#include "trainer/metrics_log.h"

#include <cmath>
#include <utility>

#include "io/atomic_file.h"
#include "nlohmann/json.hpp"

namespace w2v::trainer {

MetricsLog::MetricsLog(std::string path, std::string earlier_lines)
    : path_(std::move(path)), text_(std::move(earlier_lines)) {}

absl::Status MetricsLog::Append(const nlohmann::ordered_json& record) {
  text_ += record.dump();
  text_ += '\n';
  if (path_.empty()) return absl::OkStatus();
  return io::WriteFileAtomically(path_, text_);
}

double Rounded(double x, int decimals) {
  if (!std::isfinite(x)) return x;
  const double scale = std::pow(10.0, decimals);
  return std::round(x * scale) / scale;
}

}  // namespace w2v::trainer
