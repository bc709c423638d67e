// `w2v train CONFIG [--set KEY=VALUE]...`: trains word vectors as the config says.
#include <cstdio>
#include <string>

#include "io/config.h"
#include "spdlog/spdlog.h"
#include "trainer/cli.h"
#include "trainer/commands.h"
#include "trainer/coordinator.h"

namespace w2v::trainer {
namespace {

const FlagSpec kFlags[] = {
    {"set", true, "KEY=VALUE override of a config key (repeatable), e.g. --set model.dim=200"},
};

}  // namespace

int RunTrain(std::span<char* const> args) {
  auto parsed = ParseArgs(args, kFlags);
  if (!parsed.ok() || parsed->positional.size() != 1) {
    std::fprintf(stderr, "w2v train: %s\nusage: w2v train CONFIG [--set KEY=VALUE]...\n%s",
                 parsed.ok() ? "expected exactly one CONFIG"
                             : std::string(parsed.status().message()).c_str(),
                 FlagHelp(kFlags).c_str());
    return 2;
  }
  auto config = io::LoadConfig(parsed->positional[0], parsed->GetAll("set"));
  if (!config.ok()) {
    std::fprintf(stderr, "w2v train: %s\n", std::string(config.status().message()).c_str());
    return 1;
  }
  spdlog::set_pattern("[%H:%M:%S] %v");
  if (absl::Status s = RunTraining(*config); !s.ok()) {
    std::fprintf(stderr, "w2v train: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  return 0;
}

}  // namespace w2v::trainer
