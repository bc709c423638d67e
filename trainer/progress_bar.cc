#include "trainer/progress_bar.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace w2v::trainer {

ProgressBar::ProgressBar() : enabled_(isatty(STDERR_FILENO) != 0) {}

void ProgressBar::Draw(double progress, int64_t words, double eta_seconds) {
  if (!enabled_) return;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(progress * kWidth);
  std::fprintf(stderr, "\r[%s%s] %5.1f%% | %s words | ETA %s\033[K",
               std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
               100 * progress, absl::StrCat(words).c_str(), FormatDuration(eta_seconds).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Clear() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

double EtaSeconds(double elapsed_seconds, double progress) {
  return progress > 0 ? elapsed_seconds * (1 - progress) / progress : NAN;
}

std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<int64_t>(seconds + 0.5);
  return absl::StrFormat("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
}

}  // namespace w2v::trainer
