// `w2v config`: prints the effective config, so a user can see what a file plus overrides amounts
// to before a long run, and so a run's settings can be saved and replayed.
#include <cstdio>
#include <string>

#include "io/config.h"
#include "trainer/cli.h"
#include "trainer/commands.h"

namespace w2v::trainer {
namespace {

const FlagSpec kFlags[] = {
    {"set", true, "KEY=VALUE: override a config key, e.g. --set model.dim=200 (repeatable)"},
};

constexpr CommandUsage kUsage = {"config", "w2v config [CONFIG] [--set KEY=VALUE]...\n", kFlags};

}  // namespace

int RunConfig(std::span<char* const> args) {
  auto parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError(kUsage, parsed.status().message());
  if (parsed->help) return PrintHelp(kUsage);
  if (parsed->positional.size() > 1) {
    return UsageError(kUsage, "unexpected argument '" + parsed->positional[1] + "'");
  }
  // Without CONFIG: the defaults and the overrides.
  const auto config = io::LoadConfig(
      parsed->positional.empty() ? "" : parsed->positional[0], parsed->GetAll("set"));
  if (!config.ok()) {
    return CommandFailed("config", config.status());
  }
  std::fputs(io::ConfigToToml(*config).c_str(), stdout);
  return 0;
}

}  // namespace w2v::trainer
