// A StatusIs matcher for absl::Status and absl::StatusOr (Debian's Abseil ships none): tests assert the
// error code, not just "not ok".
#pragma once

#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace w2v::testing {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER_P(StatusIs, code, "has status code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher, "has status code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(status.message()),
                                       result_listener);
}

#define W2V_ASSERT_OK(expr) ASSERT_TRUE((expr).ok()) << w2v::testing::GetStatus(expr)
#define W2V_EXPECT_OK(expr) EXPECT_TRUE((expr).ok()) << w2v::testing::GetStatus(expr)

}  // namespace w2v::testing
