// End-to-end tests of the w2v executable's command line.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/run_binary.h"

namespace w2v::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CliTest, NoCommandIsAUsageError) {
  const RunResult r = RunW2v({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("usage: w2v"));
}

#if defined(W2V_BUILT_WITHOUT_MPI)
// mpirun's environment reaches a w2v built without MPI (the sanitizer presets): refused at once,
// rather than each rank training alone into the same files.
TEST(CliTest, RankOfSeveralWithoutMpiIsRefused) {
  const CommandRun run = RunCommand("OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=0 " + W2vBinary() +
                                    " train --set corpus.paths=/nonexistent");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.output, ::testing::HasSubstr(
                              "w2v train: started by mpirun as one of 2 ranks, but this w2v was "
                              "built without MPI"));
}
#endif

TEST(CliTest, UnknownCommandIsNamed) {
  const RunResult r = RunW2v({"tran"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'tran'"));
}

TEST(CliTest, EveryCommandPrintsItsUsageOnHelp) {
  const std::vector<std::vector<std::string>> commands = {
      {"train"}, {"resume"}, {"gradcheck"}, {"config"}, {"vocab"}, {"eval"},
      {"eval", "analogy"}, {"eval", "similarity"}, {"neighbors"}, {"analogy"}};
  for (const auto& command : commands) {
    for (const char* flag : {"--help", "-h"}) {
      std::vector<std::string> args = command;
      args.push_back(flag);
      const RunResult r = RunW2v(args);
      const std::string what = command[0] + (command.size() > 1 ? " " + command[1] : "");
      EXPECT_EQ(r.exit_code, 0) << what << " " << flag << ": " << r.err;
      EXPECT_THAT(r.out, ::testing::StartsWith("usage: w2v " + what)) << flag;
      EXPECT_EQ(r.err, "") << what << " " << flag;
    }
    // `w2v help COMMAND` says the same.
    std::vector<std::string> help = {"help"};
    help.insert(help.end(), command.begin(), command.end());
    std::vector<std::string> with_flag = command;
    with_flag.push_back("--help");
    EXPECT_EQ(RunW2v(help).out, RunW2v(with_flag).out) << command[0];
  }
  // A command's flags are listed.
  EXPECT_THAT(RunW2v({"train", "--help"}).out, HasSubstr("--stop-after-words"));
}

TEST(GradCheckCommandTest, PassesAndPrintsEveryLoss) {
  const RunResult r = RunW2v({"gradcheck", "--problems", "2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* loss : {"naive_softmax", "negative_sampling", "skipgram/naive_softmax",
                           "skipgram/negative_sampling", "hierarchical_softmax",
                           "skipgram/hierarchical_softmax", "cbow/negative_sampling",
                           "cbow/hierarchical_softmax"}) {
    EXPECT_THAT(r.out, HasSubstr(loss));
  }
  EXPECT_THAT(r.out, HasSubstr("all gradient checks passed"));
  EXPECT_THAT(r.out, Not(HasSubstr("FAILED")));
}

TEST(GradCheckCommandTest, SizeFlagsAreHonoured) {
  const RunResult r = RunW2v({"gradcheck", "--dim=3", "--vocab", "4", "--negatives", "2",
                              "--problems", "1", "--seed", "9"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("dim 3, vocab 4, K 2"));
}

TEST(GradCheckCommandTest, ImpossibleToleranceFails) {
  // A tolerance of zero cannot be met by finite differences: the check must be able to fail.
  const RunResult r = RunW2v({"gradcheck", "--problems", "1", "--tolerance", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("FAILED"));
}

TEST(GradCheckCommandTest, BadFlagsAreNamed) {
  RunResult r = RunW2v({"gradcheck", "--dim", "zero"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--dim: expected an integer, got 'zero'"));
  r = RunW2v({"gradcheck", "--dim", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--dim: 0 is out of range"));
  r = RunW2v({"gradcheck", "--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown flag --bogus"));
  r = RunW2v({"gradcheck", "--vocab"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--vocab needs a value"));
}

}  // namespace
}  // namespace w2v::testing
