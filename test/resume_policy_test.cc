// The keys a resumed run may change: how it is carried out and where it writes, never what it
// computes (a resume continues the same run, bit for bit on one thread).
#include "trainer/resume_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace w2v::trainer {
namespace {

using ::testing::HasSubstr;

TEST(ResumePolicyTest, HowAndWhereARunGoesOnMayChange) {
  for (const char* o : {"threads=2", "log.interval_seconds=1", "snapshot.every_seconds=60",
                        "snapshot.path=\"x.w2v\"", "eval.every_epochs=1", "eval.questions=\"q\"",
                        "output.dir=\"out\"", "output.plots=true", " threads = 4"}) {
    EXPECT_TRUE(ResumableKey(o)) << o;
  }
  EXPECT_TRUE(CheckResumeOverrides({"threads=2", "output.dir=\"o\""}).ok());
  EXPECT_TRUE(CheckResumeOverrides({}).ok());
}

TEST(ResumePolicyTest, WhatTheRunComputesMayNot) {
  // A key that only starts like a resumable one is not one ("threads_extra", "logs.").
  for (const char* o : {"model.dim=8", "optim.lr=0.1", "optim.seed=2", "corpus.paths=[\"c\"]",
                        "vocab.min_count=1", "threads_extra=1", "logs.x=1", "outputs.dir=\"o\"",
                        "optim.epochs=9", "model.loss=\"softmax\""}) {
    EXPECT_FALSE(ResumableKey(o)) << o;
  }
  const absl::Status refused = CheckResumeOverrides({"threads=2", "model.dim=8"});
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.message(),
            "--set model.dim=8: a resumed run keeps the snapshot's config; only threads, log.*, "
            "snapshot.*, eval.* and output.* can change");
  EXPECT_EQ(ResumableKeysText(), "threads, log.*, snapshot.*, eval.* and output.*");
}

}  // namespace
}  // namespace w2v::trainer
