// UTF-8 as the corpus reader and the vocabulary file reader check and repair it.
#pragma once

#include <string>
#include <string_view>

namespace w2v::io {

// True when `bytes` is well-formed UTF-8.
bool IsValidUtf8(std::string_view bytes);

// `bytes` with each ill-formed sequence replaced by U+FFFD, one per maximal subpart (Unicode's
// recommended practice, and what Python's errors='replace' does): "caf\xe9" becomes "caf\uFFFD".
void ReplaceInvalidUtf8(std::string_view bytes, std::string* out);

}  // namespace w2v::io
