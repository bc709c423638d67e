// `w2v train [CONFIG]` and `w2v resume SNAPSHOT`: train word vectors as a config says, or continue a
// run from its snapshot.
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"

#include "core/status.h"
#include "io/config.h"
#include "spdlog/spdlog.h"
#include "trainer/cli.h"
#include "trainer/commands.h"
#include "trainer/coordinator.h"
#include "trainer/rank_group.h"

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

// Joins the MPI job when mpirun started this process, and sets the log up: rank 0 logs, the
// other ranks say only what goes wrong, under their rank's name.
absl::StatusOr<std::unique_ptr<RankGroup>> JoinRanks() {
  ASSIGN_OR_RETURN(std::unique_ptr<RankGroup> ranks, RankGroup::Join());
  if (ranks->distributed() && !ranks->is_root()) {
    spdlog::set_pattern(absl::StrCat("[%H:%M:%S] rank ", ranks->rank(), ": %v"));
    spdlog::set_level(spdlog::level::warn);
  } else {
    spdlog::set_pattern("[%H:%M:%S] %v");
  }
  return ranks;
}

// Exit status: 0 when the run finished or stopped where asked, 128 + the signal that stopped it
// (the shell's convention), 1 on failure. A failure the other ranks of a distributed run do not
// share (RankGroup::Agree) ends the whole job, or they would wait for this rank forever.
int Finish(const char* command, const absl::StatusOr<RunResult>& result, RankGroup& ranks) {
  if (!result.ok()) {
    const int code = CommandFailed(command, result.status());
    if (ranks.distributed() && !RankGroup::IsAgreed(result.status())) ranks.Abort(code);
    return code;
  }
  if (!result->interrupted) return 0;
  spdlog::info("stopped; continue with: {}w2v resume {}",
               ranks.distributed() ? absl::StrCat("mpirun -np ", ranks.size(), " ") : "",
               result->snapshot_path);
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
  auto ranks = JoinRanks();
  if (!ranks.ok()) return CommandFailed("train", ranks.status());
  // The same config on every rank fails alike on every rank.
  auto config = io::LoadConfig(parsed->positional.empty() ? "" : parsed->positional[0],
                               parsed->GetAll("set"));
  if (!config.ok()) return Finish("train", (*ranks)->Agree(config.status()), **ranks);
  return Finish("train", RunTraining(*config, {*stop_after}, **ranks), **ranks);
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
  auto ranks = JoinRanks();
  if (!ranks.ok()) return CommandFailed("resume", ranks.status());
  return Finish("resume",
                ResumeTraining(parsed->positional[0], parsed->GetAll("set"), {*stop_after}, **ranks),
                **ranks);
}

}  // namespace w2v::trainer
