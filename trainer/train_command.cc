// `w2v train [CONFIG]` and `w2v resume SNAPSHOT`: train word vectors as a config says, or continue a
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
    {"set", true,
     "KEY=VALUE override of a key that does not change what is computed (repeatable; any other "
     "is refused with the list)"},
    {"stop-after-words", true, "stop again with a snapshot once N words are trained in all"},
};

constexpr CommandUsage kTrainUsage = {
    "train",
    "w2v train [CONFIG] [--set KEY=VALUE]... [--stop-after-words N]\n"
    "  without CONFIG: the defaults, e.g. w2v train --set corpus.paths=text.txt\n",
    kTrainFlags};
constexpr CommandUsage kResumeUsage = {
    "resume", "w2v resume SNAPSHOT [--set KEY=VALUE]... [--stop-after-words N]\n", kResumeFlags};

// Exit status: 0 when the run finished or stopped where asked, 128 + the signal that stopped it
// (the shell's convention), 1 on failure.
int Finish(const char* command, const absl::StatusOr<RunResult>& result) {
  if (!result.ok()) {
    return CommandFailed(command, result.status());
  }
  if (!result->interrupted) return 0;
  spdlog::info("stopped; continue with: w2v resume {}", result->snapshot_path);
  return result->signal != 0 ? 128 + result->signal : 0;
}

}  // namespace

int RunTrain(std::span<char* const> args) {
  auto parsed = ParseArgs(args, kTrainFlags);
  if (!parsed.ok()) return UsageError(kTrainUsage, parsed.status().message());
  if (parsed->help) return PrintHelp(kTrainUsage);
  if (parsed->positional.size() > 1) {
    return UsageError(kTrainUsage, "expected one CONFIG at most, got '" + parsed->positional[1] + "' too");
  }
  const auto stop_after = parsed->GetInt("stop-after-words", 0, 0, INT64_MAX);
  if (!stop_after.ok()) return UsageError(kTrainUsage, stop_after.status().message());
  auto config = io::LoadConfig(parsed->positional.empty() ? "" : parsed->positional[0],
                               parsed->GetAll("set"));
  if (!config.ok()) {
    return CommandFailed("train", config.status());
  }
  spdlog::set_pattern("[%H:%M:%S] %v");
  return Finish("train", RunTraining(*config, {*stop_after}));
}

int RunResume(std::span<char* const> args) {
  auto parsed = ParseArgs(args, kResumeFlags);
  if (!parsed.ok()) return UsageError(kResumeUsage, parsed.status().message());
  if (parsed->help) return PrintHelp(kResumeUsage);
  if (parsed->positional.size() != 1) {
    return UsageError(kResumeUsage, "expected exactly one SNAPSHOT");
  }
  const auto stop_after = parsed->GetInt("stop-after-words", 0, 0, INT64_MAX);
  if (!stop_after.ok()) return UsageError(kResumeUsage, stop_after.status().message());
  spdlog::set_pattern("[%H:%M:%S] %v");
  return Finish("resume",
                ResumeTraining(parsed->positional[0], parsed->GetAll("set"), {*stop_after}));
}

}  // namespace w2v::trainer
