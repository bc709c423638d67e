// EmbeddingStore::InitializeWord2Vec against word2vec.c itself (built by
// tools/peers/build_word2vec.sh): seed 1 must give word2vec.c's starting vectors bit for bit, which
// is what makes side-by-side runs of the two start from the same point.
#include <sys/wait.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/embedding_store.h"
#include "gtest/gtest.h"
#include "io/vector_reader.h"
#include "test/run_binary.h"

namespace w2v {
namespace {

using testing::CommandRun;
using testing::RunCommand;
using testing::TempDir;

TEST(InitializeWord2VecTest, SeedOneIsWord2VecCsStartingMatrix) {
  const std::string source = testing::SourceDir();
  // The script builds word2vec.c on first use (downloading its pinned source) and prints the
  // binary's path last. A failure, not a skip, when it cannot: bench_tools_test needs word2vec.c
  // too, tools/setup.sh installs the curl and gcc it takes, and a skip would count as a pass
  // without comparing anything.
  const CommandRun build = RunCommand(absl::StrCat(source, "/tools/peers/build_word2vec.sh"));
  ASSERT_EQ(build.exit_code, 0) << "tools/peers/build_word2vec.sh could not build word2vec.c:\n"
                                << build.output;
  const std::string output(absl::StripTrailingAsciiWhitespace(build.output));
  const std::string word2vec = output.substr(output.find_last_of('\n') + 1);

  // 200 words, so that the comparison runs over thousands of the generator's draws.
  TempDir dir;
  std::string corpus;
  for (int line = 0; line < 20; ++line) {
    for (int w = 0; w < 200; w += 1 + line % 3) absl::StrAppend(&corpus, "w", w, " ");
    corpus += "\n";
  }
  dir.Write("corpus.txt", corpus);
  // Every update word2vec.c makes is scaled by alpha, so with -alpha 0 the vectors it writes are
  // InitNet's syn0 unchanged; one thread, so that nothing else touches them.
  const CommandRun run = RunCommand(absl::StrCat(
      word2vec, " -train ", dir.File("corpus.txt"), " -output ", dir.File("vectors.bin"),
      " -alpha 0 -binary 1 -threads 1 -iter 1 -min-count 1 -size 16 -cbow 0 -negative 5 -hs 0"));
  ASSERT_EQ(run.exit_code, 0) << run.output;

  const absl::StatusOr<io::WordVectors> vectors = io::ReadVectors(dir.File("vectors.bin"));
  ASSERT_TRUE(vectors.ok()) << vectors.status();
  // Its vocabulary: the sentence end "</s>" first, then the 200 words.
  ASSERT_EQ(vectors->rows(), 201);
  ASSERT_EQ(vectors->dim, 16);
  EXPECT_EQ(vectors->words[0], "</s>");

  core::EmbeddingStore store(vectors->rows(), vectors->dim);
  store.InitializeWord2Vec(1);
  int64_t differing = 0;
  for (int64_t r = 0; r < vectors->rows(); ++r) {
    const float* ours = store.center().row(r);
    const float* theirs = vectors->row(r);
    if (std::memcmp(ours, theirs, vectors->dim * sizeof(float)) == 0) continue;
    if (++differing > 3) continue;
    for (int64_t i = 0; i < vectors->dim; ++i) {
      if (std::memcmp(&ours[i], &theirs[i], sizeof(float)) == 0) continue;
      ADD_FAILURE() << "row " << r << " ('" << vectors->words[r] << "') coordinate " << i
                    << ": w2v " << ours[i] << ", word2vec.c " << theirs[i];
      break;
    }
  }
  EXPECT_EQ(differing, 0) << "rows differing from word2vec.c's, of " << vectors->rows();
}

}  // namespace
}  // namespace w2v
