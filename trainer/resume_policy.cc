#include "trainer/resume_policy.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace w2v::trainer {
namespace {

// A key, or a section ending in '.'.
constexpr const char* kResumableKeys[] = {"threads", "log.", "snapshot.", "eval.", "output."};

}  // namespace

bool ResumableKey(const std::string& override_text) {
  const std::string key(
      absl::StripAsciiWhitespace(override_text.substr(0, override_text.find('='))));
  return std::any_of(std::begin(kResumableKeys), std::end(kResumableKeys), [&](const char* k) {
    return absl::EndsWith(k, ".") ? absl::StartsWith(key, k) : key == k;
  });
}

std::string ResumableKeysText() {
  std::string text;
  const size_t count = std::size(kResumableKeys);
  for (size_t i = 0; i < count; ++i) {
    absl::StrAppend(&text,
                    i == 0           ? ""
                    : i + 1 == count ? " and "
                                     : ", ",
                    kResumableKeys[i], absl::EndsWith(kResumableKeys[i], ".") ? "*" : "");
  }
  return text;
}

absl::Status CheckResumeOverrides(const std::vector<std::string>& overrides) {
  for (const std::string& override_text : overrides) {
    if (!ResumableKey(override_text)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--set ", override_text, ": a resumed run keeps the snapshot's config; only ",
          ResumableKeysText(), " can change"));
    }
  }
  return absl::OkStatus();
}

}  // namespace w2v::trainer
