#include "io/directory_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/run_binary.h"
#include "test/status_matchers.h"

namespace w2v::io {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using w2v::testing::ReadFile;
using w2v::testing::StatusIs;
using w2v::testing::TempDir;

std::string Pid(pid_t pid) { return std::to_string(pid); }

// The status code of an Acquire in a child process: how another run sees the lock.
absl::StatusCode AcquireInAChild(const std::string& dir) {
  const pid_t child = fork();
  if (child == 0) _exit(static_cast<int>(DirectoryLock::Acquire(dir).status().code()));
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? static_cast<absl::StatusCode>(WEXITSTATUS(status))
                           : absl::StatusCode::kUnknown;
}

TEST(DirectoryLockTest, AcquiresAndWritesItsProcessIdIntoTheLockFile) {
  TempDir dir;
  const absl::StatusOr<DirectoryLock> lock = DirectoryLock::Acquire(dir.path());
  W2V_ASSERT_OK(lock);
  EXPECT_EQ(lock->dir(), dir.path());
  EXPECT_EQ(ReadFile(dir.File(".w2v.lock")), Pid(getpid()) + "\n");
}

TEST(DirectoryLockTest, ASecondAcquireIsRefusedNamingTheDirectoryAndTheHolder) {
  TempDir dir;
  const absl::StatusOr<DirectoryLock> lock = DirectoryLock::Acquire(dir.path());
  W2V_ASSERT_OK(lock);
  // flock locks belong to open files, not processes: a second open conflicts in this process too.
  EXPECT_THAT(DirectoryLock::Acquire(dir.path()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(dir.path() + ": another w2v run (process " + Pid(getpid()) +
                                       ") is using this directory"),
                             HasSubstr("output.dir"))));
  EXPECT_EQ(AcquireInAChild(dir.path()), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReadFile(dir.File(".w2v.lock")), Pid(getpid()) + "\n") << "the refusals wrote";
}

TEST(DirectoryLockTest, AHolderThatWroteNoProcessIdIsStillRefusedAnonymously) {
  TempDir dir;
  const int fd = ::open(dir.File(".w2v.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  EXPECT_THAT(DirectoryLock::Acquire(dir.path()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(dir.path() + ": another w2v run is using this directory"),
                             Not(HasSubstr("process")))));
  ::close(fd);
}

TEST(DirectoryLockTest, TheNextAcquireSucceedsOnceTheHolderIsGoneAndTheFileWithIt) {
  TempDir dir;
  {
    const absl::StatusOr<DirectoryLock> lock = DirectoryLock::Acquire(dir.path());
    W2V_ASSERT_OK(lock);
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File(".w2v.lock")));
  EXPECT_EQ(AcquireInAChild(dir.path()), absl::StatusCode::kOk);
  const absl::StatusOr<DirectoryLock> again = DirectoryLock::Acquire(dir.path());
  W2V_EXPECT_OK(again);
}

TEST(DirectoryLockTest, AStaleLockFileDoesNotBlock) {
  TempDir dir;
  dir.Write(".w2v.lock", "999999\n");  // no process holds it
  const absl::StatusOr<DirectoryLock> lock = DirectoryLock::Acquire(dir.path());
  W2V_ASSERT_OK(lock);
  EXPECT_EQ(ReadFile(dir.File(".w2v.lock")), Pid(getpid()) + "\n");
}

TEST(DirectoryLockTest, AKilledHoldersLockFileStaysButDoesNotBlock) {
  TempDir dir;
  const pid_t child = fork();
  if (child == 0) {
    const absl::StatusOr<DirectoryLock> lock = DirectoryLock::Acquire(dir.path());
    if (lock.ok()) raise(SIGKILL);  // dies holding it, as a `kill -9` leaves a run
    _exit(1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child did not lock";
  EXPECT_EQ(ReadFile(dir.File(".w2v.lock")), Pid(child) + "\n");
  const absl::StatusOr<DirectoryLock> lock = DirectoryLock::Acquire(dir.path());
  W2V_ASSERT_OK(lock);
  EXPECT_EQ(ReadFile(dir.File(".w2v.lock")), Pid(getpid()) + "\n");
}

TEST(DirectoryLockTest, AMovedLockStaysHeld) {
  TempDir dir;
  absl::StatusOr<DirectoryLock> lock = DirectoryLock::Acquire(dir.path());
  W2V_ASSERT_OK(lock);
  DirectoryLock moved = std::move(*lock);
  lock = absl::UnknownError("gone");  // destroys the moved-from lock
  EXPECT_THAT(DirectoryLock::Acquire(dir.path()), StatusIs(absl::StatusCode::kFailedPrecondition));

  TempDir other;
  absl::StatusOr<DirectoryLock> other_lock = DirectoryLock::Acquire(other.path());
  W2V_ASSERT_OK(other_lock);
  moved = std::move(*other_lock);  // releases dir's lock, takes other's
  W2V_EXPECT_OK(DirectoryLock::Acquire(dir.path()));
  EXPECT_THAT(DirectoryLock::Acquire(other.path()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(moved.dir(), other.path());
}

// A lock file removed by hand while held lets a second holder in (as any lock file would); the
// first, when it ends, must then leave the second's file alone.
TEST(DirectoryLockTest, AReleaseLeavesAnotherHoldersFileInPlace) {
  TempDir dir;
  absl::StatusOr<DirectoryLock> first = DirectoryLock::Acquire(dir.path());
  W2V_ASSERT_OK(first);
  std::filesystem::remove(dir.File(".w2v.lock"));
  const absl::StatusOr<DirectoryLock> second = DirectoryLock::Acquire(dir.path());
  W2V_ASSERT_OK(second);
  first = absl::UnknownError("released");
  EXPECT_EQ(ReadFile(dir.File(".w2v.lock")), Pid(getpid()) + "\n");
  EXPECT_THAT(DirectoryLock::Acquire(dir.path()), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(DirectoryLockTest, ADirectoryThatCannotBeOpenedIsNamed) {
  TempDir dir;
  EXPECT_THAT(DirectoryLock::Acquire(dir.File("missing")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir.File("missing") + ": ")));
  dir.Write("file", "");
  EXPECT_THAT(DirectoryLock::Acquire(dir.File("file")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(dir.File("file") + ": ")));
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing")));
}

TEST(DirectoryLockTest, ASymbolicLinkInPlaceOfTheLockFileIsNotFollowed) {
  TempDir dir;
  dir.Write("precious.txt", "keep me");
  std::filesystem::create_symlink(dir.File("precious.txt"), dir.File(".w2v.lock"));
  EXPECT_THAT(DirectoryLock::Acquire(dir.path()), Not(StatusIs(absl::StatusCode::kOk)));
  EXPECT_EQ(ReadFile(dir.File("precious.txt")), "keep me");
}

}  // namespace
}  // namespace w2v::io
