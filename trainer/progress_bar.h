// The progress bar a run draws on standard error when that is a terminal, between its log lines.
#pragma once

#include <cstdint>
#include <string>

namespace w2v::trainer {

class ProgressBar {
 public:
  // Draws nothing unless standard error is a terminal.
  ProgressBar();

  // `progress` in [0, 1], the words trained so far and the estimated seconds left (NaN: unknown).
  void Draw(double progress, int64_t words, double eta_seconds);
  bool enabled() const { return enabled_; }
  // Wipes the bar before a log line, so the line does not land in the middle of it.
  void Clear();

 private:
  const bool enabled_;
  bool drawn_ = false;
};

// The seconds left when `progress` of the work took `elapsed_seconds`: NaN before any progress.
double EtaSeconds(double elapsed_seconds, double progress);

// h:mm:ss, or "?" for an unknown or negative duration.
std::string FormatDuration(double seconds);

}  // namespace w2v::trainer
