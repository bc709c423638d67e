// `w2v train CONFIG` and `w2v resume SNAPSHOT`: train word vectors as a config says, or continue a
// run from its snapshot.
#include <csignal>
#include <cstdio>
#include <string>

#include "io/config.h"
#include "spdlog/spdlog.h"
#include "trainer/cli.h"
#include "trainer/commands.h"
#include "trainer/coordinator.h"

namespace w2v::trainer {
namespace {

const FlagSpec kTrainFlags[] = {
    {"set", true, "KEY=VALUE override of a config key (repeatable), e.g. --set model.dim=200"},
    {"stop-after-words", true,
     "stop with a snapshot once N words are trained (continue with w2v resume)"},
};

const FlagSpec kResumeFlags[] = {
    {"set", true, "KEY=VALUE override of threads, log.*, snapshot.* or output.* (repeatable)"},
    {"stop-after-words", true, "stop again with a snapshot once N words are trained in all"},
};

int Usage(const char* command, const std::string& problem, const char* synopsis,
          std::span<const FlagSpec> flags) {
  std::fprintf(stderr, "w2v %s: %s\nusage: %s\n%s", command, problem.c_str(), synopsis,
               FlagHelp(flags).c_str());
  return 2;
}

// Exit status: 0 when the run finished or stopped where asked, 128 + the signal that stopped it
// (the shell's convention), 1 on failure.
int Finish(const char* command, const absl::StatusOr<RunResult>& result) {
  if (!result.ok()) {
    std::fprintf(stderr, "w2v %s: %s\n", command, std::string(result.status().message()).c_str());
    return 1;
  }
  if (!result->interrupted) return 0;
  spdlog::info("stopped; continue with: w2v resume {}", result->snapshot_path);
  return result->signal != 0 ? 128 + result->signal : 0;
}

}  // namespace

int RunTrain(std::span<char* const> args) {
  constexpr char kSynopsis[] = "w2v train CONFIG [--set KEY=VALUE]... [--stop-after-words N]";
  auto parsed = ParseArgs(args, kTrainFlags);
  if (!parsed.ok()) return Usage("train", std::string(parsed.status().message()), kSynopsis, kTrainFlags);
  if (parsed->positional.size() != 1) {
    return Usage("train", "expected exactly one CONFIG", kSynopsis, kTrainFlags);
  }
  const auto stop_after = parsed->GetInt("stop-after-words", 0, 0, INT64_MAX);
  if (!stop_after.ok()) {
    return Usage("train", std::string(stop_after.status().message()), kSynopsis, kTrainFlags);
  }
  auto config = io::LoadConfig(parsed->positional[0], parsed->GetAll("set"));
  if (!config.ok()) {
    std::fprintf(stderr, "w2v train: %s\n", std::string(config.status().message()).c_str());
    return 1;
  }
  spdlog::set_pattern("[%H:%M:%S] %v");
  return Finish("train", RunTraining(*config, {*stop_after}));
}

int RunResume(std::span<char* const> args) {
  constexpr char kSynopsis[] = "w2v resume SNAPSHOT [--set KEY=VALUE]... [--stop-after-words N]";
  auto parsed = ParseArgs(args, kResumeFlags);
  if (!parsed.ok()) {
    return Usage("resume", std::string(parsed.status().message()), kSynopsis, kResumeFlags);
  }
  if (parsed->positional.size() != 1) {
    return Usage("resume", "expected exactly one SNAPSHOT", kSynopsis, kResumeFlags);
  }
  const auto stop_after = parsed->GetInt("stop-after-words", 0, 0, INT64_MAX);
  if (!stop_after.ok()) {
    return Usage("resume", std::string(stop_after.status().message()), kSynopsis, kResumeFlags);
  }
  spdlog::set_pattern("[%H:%M:%S] %v");
  return Finish("resume",
                ResumeTraining(parsed->positional[0], parsed->GetAll("set"), {*stop_after}));
}

}  // namespace w2v::trainer
