// Status plumbing shared by every module. Debian's Abseil (20220623) ships no status macros, so the
// two the code base needs live here, once.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define W2V_STATUS_CONCAT_INNER(a, b) a##b
#define W2V_STATUS_CONCAT(a, b) W2V_STATUS_CONCAT_INNER(a, b)

// Returns from the calling function when `expr` (an absl::Status) is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    if (absl::Status w2v_status = (expr); !w2v_status.ok()) { \
      return w2v_status;                               \
    }                                                  \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, Foo())` declares x from an absl::StatusOr, or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  W2V_ASSIGN_OR_RETURN_IMPL(W2V_STATUS_CONCAT(w2v_statusor_, __LINE__), lhs, expr)
#define W2V_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).status();  \
  lhs = std::move(tmp).value()
