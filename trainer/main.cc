// The `w2v` executable: reads the subcommand and hands the rest of the arguments to it. Flags are read
// here and in the commands only; library code takes typed structs.
#include <cstdio>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "trainer/commands.h"

namespace {

constexpr char kUsage[] =
    "usage: w2v COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  train       train word vectors from a config: w2v train [CONFIG] [--set KEY=VALUE]...\n"
    "  resume      continue a stopped or killed run from its snapshot: w2v resume SNAPSHOT\n"
    "  gradcheck   numerical gradient check of every loss on random problems\n"
    "  config      print the effective config (a file plus --set overrides) as TOML\n"
    "  vocab       count a corpus and write its vocabulary (word count per line)\n"
    "  eval        measure vectors: eval analogy --vectors F --questions Q [--restrict N],\n"
    "              eval similarity --vectors F --pairs FILE...\n"
    "  neighbors   the nearest words by cosine: neighbors --vectors F [--k N] [WORD...]\n"
    "  analogy     a is to b as c is to ?: analogy --vectors F [--k N] [A B C]\n"
    "  help        this message; help COMMAND: that command's usage (also COMMAND --help)\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string_view command = argv[1];
  std::span<char* const> rest(argv + 2, argc - 2);
  // `w2v help COMMAND [MODE]` is `w2v COMMAND [MODE] --help`.
  static char help_flag[] = "--help";
  std::vector<char*> help_args;
  if (command == "help" && argc > 2) {
    command = argv[2];
    help_args.assign(argv + 3, argv + argc);
    help_args.push_back(help_flag);
    rest = help_args;
  }
  if (command == "gradcheck") return w2v::trainer::RunGradCheck(rest);
  if (command == "config") return w2v::trainer::RunConfig(rest);
  if (command == "vocab") return w2v::trainer::RunVocab(rest);
  if (command == "train") return w2v::trainer::RunTrain(rest);
  if (command == "resume") return w2v::trainer::RunResume(rest);
  if (command == "eval") return w2v::trainer::RunEval(rest);
  if (command == "neighbors") return w2v::trainer::RunNeighbors(rest);
  if (command == "analogy") return w2v::trainer::RunAnalogy(rest);
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "w2v: unknown command '%s'\n%s", argv[1], kUsage);
  return 2;
}
