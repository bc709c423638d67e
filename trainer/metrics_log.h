// metrics.jsonl: one JSON object a line, for loss curves and evaluation scores. The whole file is
// rewritten through a temporary file at every record (io/atomic_file.h), so a reader (a plot, a
// person, a crash) never sees half a line; a resumed run starts from the lines its snapshot saved.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "nlohmann/json_fwd.hpp"

namespace w2v::trainer {

class MetricsLog {
 public:
  // An empty `path` keeps the lines in memory only (a rank other than 0 of a distributed run).
  MetricsLog(std::string path, std::string earlier_lines);

  // Appends `record` (its fields in the order they were set; a NaN is written as null) as a line.
  absl::Status Append(const nlohmann::ordered_json& record);

  // Every line so far, for a snapshot to carry.
  const std::string& text() const { return text_; }

 private:
  std::string path_;
  std::string text_;
};

// `x` rounded to `decimals` places: the fields whose further digits are noise (seconds, rates,
// losses) stay short, since JSON numbers print in their shortest exact form.
double Rounded(double x, int decimals);

}  // namespace w2v::trainer
