// How the one deliberate data race, Hogwild (core/embedding_store.h), is shown to ThreadSanitizer
// so that TSan stays quiet about it and only about it.
//
// A suppression cannot say that: TSan matches a `race:` line against a frame of either stack, so a
// line naming a training step also hides a snapshot, an evaluation or the output writer reading
// rows while that step writes them, the very race the parking lot and the epoch's join exist to
// prevent. Instead, under TSan each training step first touches every row it will write with a
// relaxed atomic read-modify-write that leaves the row unchanged, then hides its own plain accesses
// (HogwildStep). TSan never reports two atomic accesses against each other, so two steps on one row
// are quiet; it does report an atomic write against a plain access that is not ordered after it, so
// a reader that is not synchronised with the workers is caught. In every other build all of this
// compiles away.
#pragma once

#include <cstdint>
#include <span>

#include "core/matrix.h"

// GCC says -fsanitize=thread with __SANITIZE_THREAD__, clang with __has_feature.
#if defined(__SANITIZE_THREAD__)
#define W2V_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define W2V_THREAD_SANITIZER 1
#endif
#endif

namespace w2v::core {

#if defined(W2V_THREAD_SANITIZER)

// Touches `rows` of `matrix` (or all of its rows, or one row) as an atomic write, float by float: TSan's shadow is per 8 bytes, so a plain read of any float must meet one.
void TouchRowsAsHogwild(const MatrixView& matrix, std::span<const int32_t> rows);
void TouchAllRowsAsHogwild(const MatrixView& matrix);
void TouchRowsAsHogwild(const MatrixView& matrix, int64_t first, int64_t end);  // [first, end)
void TouchRowAsHogwild(float* row, int64_t dim);

extern "C" void __tsan_ignore_thread_begin();
extern "C" void __tsan_ignore_thread_end();

// The step's own plain row accesses, hidden for the scope (after the rows were touched).
class HogwildStep {
 public:
  HogwildStep() { __tsan_ignore_thread_begin(); }
  ~HogwildStep() { __tsan_ignore_thread_end(); }
  HogwildStep(const HogwildStep&) = delete;
  HogwildStep& operator=(const HogwildStep&) = delete;
};

#else

inline void TouchRowsAsHogwild(const MatrixView&, std::span<const int32_t>) {}
inline void TouchAllRowsAsHogwild(const MatrixView&) {}
inline void TouchRowsAsHogwild(const MatrixView&, int64_t, int64_t) {}
inline void TouchRowAsHogwild(float*, int64_t) {}
// User-provided, so that an unused scope draws no warning; it compiles to nothing.
struct HogwildStep {
  HogwildStep() {}
  ~HogwildStep() {}
};

#endif

}  // namespace w2v::core
