#include "io/errno_status.h"

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"

namespace w2v::io {
namespace {

absl::StatusCode ErrnoCode(int err, absl::StatusCode otherwise) {
  switch (err) {
    case ENOENT:
      return absl::StatusCode::kNotFound;
    case EACCES:
    case EPERM:
      return absl::StatusCode::kPermissionDenied;
    case ENOSPC:
    case EFBIG:
    case EDQUOT:
      return absl::StatusCode::kResourceExhausted;
    default:
      return otherwise;
  }
}

}  // namespace

absl::Status ErrnoStatus(int err, absl::string_view path, absl::string_view verb,
                         absl::StatusCode otherwise) {
  const std::string message = verb.empty()
                                  ? absl::StrCat(path, ": ", std::strerror(err))
                                  : absl::StrCat(path, ": ", verb, ": ", std::strerror(err));
  return absl::Status(ErrnoCode(err, otherwise), message);
}

}  // namespace w2v::io
