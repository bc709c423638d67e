// Which settings a resumed run may change: those that decide how the run is carried out and where
// it writes, never what it computes, so that a resume continues the same run.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace w2v::trainer {

// Whether a "key=value" override (as for --set) names a resumable key.
bool ResumableKey(const std::string& override_text);

// "threads, log.*, snapshot.*, eval.* and output.*": the resumable keys, for messages.
std::string ResumableKeysText();

// InvalidArgument naming the first override that is not resumable, and what is.
absl::Status CheckResumeOverrides(const std::vector<std::string>& overrides);

}  // namespace w2v::trainer
