// A failed system call as a status. One mapping from errno to a status code for every file the
// program opens, reads or writes, so that callers (and tests) can tell a missing file, a permission
// and a full disk apart without reading the message.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace w2v::io {

// "PATH: VERB: <strerror(err)>", or "PATH: <strerror(err)>" with an empty `verb`. ENOENT is
// NotFound, EACCES and EPERM PermissionDenied, ENOSPC, EFBIG and EDQUOT ResourceExhausted; any
// other errno gets `otherwise`. Takes `err` rather than reading errno: a caller that made two calls
// may have to say which one failed.
absl::Status ErrnoStatus(int err, absl::string_view path, absl::string_view verb,
                         absl::StatusCode otherwise = absl::StatusCode::kInternal);

}  // namespace w2v::io
