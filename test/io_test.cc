#include <sys/stat.h>

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io/atomic_file.h"
#include "test/run_binary.h"
#include "test/status_matchers.h"

namespace w2v::io {
namespace {

using ::testing::HasSubstr;
using w2v::testing::ReadFile;
using w2v::testing::StatusIs;
using w2v::testing::TempDir;

int CountFiles(const std::string& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicFileTest, WritesAndReplaces) {
  TempDir dir;
  const std::string path = dir.File("out.txt");
  W2V_ASSERT_OK(WriteFileAtomically(path, "first"));
  EXPECT_EQ(ReadFile(path), "first");
  W2V_ASSERT_OK(WriteFileAtomically(path, "second"));
  EXPECT_EQ(ReadFile(path), "second");
  EXPECT_EQ(CountFiles(dir.path()), 1);  // no temporary left behind
}

TEST(AtomicFileTest, AbandonedWriteLeavesTheOldFile) {
  TempDir dir;
  const std::string path = dir.File("out.txt");
  W2V_ASSERT_OK(WriteFileAtomically(path, "keep me"));
  {
    auto writer = AtomicFileWriter::Open(path);
    W2V_ASSERT_OK(writer);
    W2V_ASSERT_OK(writer->Write("half of a new fi"));
    // destroyed without Commit(), as when an error stops the writer midway
  }
  EXPECT_EQ(ReadFile(path), "keep me");
  EXPECT_EQ(CountFiles(dir.path()), 1);
}

TEST(AtomicFileTest, MissingDirectoryIsNotFound) {
  TempDir dir;
  EXPECT_THAT(WriteFileAtomically(dir.File("no/such/dir/out.txt"), "x"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no/such/dir/out.txt")));
  EXPECT_THAT(CheckWritable(dir.File("no/such/dir/out.txt")),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(AtomicFileTest, DirectoryInPlaceOfFileIsRefused) {
  TempDir dir;
  std::filesystem::create_directory(dir.File("sub"));
  EXPECT_THAT(WriteFileAtomically(dir.File("sub"), "x"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is a directory")));
}

TEST(AtomicFileTest, CheckWritableLeavesNothingBehind) {
  TempDir dir;
  W2V_EXPECT_OK(CheckWritable(dir.File("later.bin")));
  EXPECT_EQ(CountFiles(dir.path()), 0);
}

TEST(AtomicFileTest, ReadOnlyDirectoryIsRefused) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir;
  chmod(dir.path().c_str(), 0500);
  EXPECT_THAT(CheckWritable(dir.File("x")), StatusIs(absl::StatusCode::kPermissionDenied));
  chmod(dir.path().c_str(), 0700);
}

}  // namespace
}  // namespace w2v::io
