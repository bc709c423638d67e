// `w2v gradcheck`: the assignment's numerical gradient check, on random problems of a chosen size.
#include <cstdio>
#include <limits>

#include "core/gradcheck.h"
#include "trainer/cli.h"
#include "trainer/commands.h"

namespace w2v::trainer {
namespace {

const FlagSpec kFlags[] = {
    {"dim", true, "vector dimension (default 5)"},
    {"vocab", true, "vocabulary size (default 10)"},
    {"negatives", true, "negative samples K per pair (default 10)"},
    {"outside-words", true, "outside words per skip-gram window (default 4)"},
    {"problems", true, "random problems per loss (default 10)"},
    {"seed", true, "random seed (default 31415)"},
    {"tolerance", true, "largest relative error that passes (default 1e-5)"},
};

constexpr CommandUsage kUsage = {"gradcheck", "w2v gradcheck [flags]\n", kFlags,
                                 "  numerical gradient check of every loss on random problems\n"};

absl::StatusOr<core::GradCheckSuiteOptions> ReadOptions(const ParsedArgs& args) {
  core::GradCheckSuiteOptions options;
  constexpr int64_t kMaxSize = 1 << 20;
  auto dim = args.GetInt("dim", options.dim, 1, 4096);
  auto vocab = args.GetInt("vocab", options.vocab, 2, kMaxSize);
  auto negatives = args.GetInt("negatives", options.negatives, 1, 1000);
  auto outside = args.GetInt("outside-words", options.outside_words, 1, 1000);
  auto problems = args.GetInt("problems", options.problems, 1, 100000);
  auto seed = args.GetInt("seed", static_cast<int64_t>(options.seed), 0,
                          std::numeric_limits<int64_t>::max());
  auto tolerance = args.GetDouble("tolerance", options.tolerance, 0.0, 1.0);
  for (const absl::Status& s : {dim.status(), vocab.status(), negatives.status(), outside.status(),
                                problems.status(), seed.status(), tolerance.status()}) {
    if (!s.ok()) return s;
  }
  if (*dim * *vocab > kMaxSize) {
    return absl::OutOfRangeError("--dim × --vocab must stay under 1,048,576 parameters");
  }
  options.dim = *dim;
  options.vocab = *vocab;
  options.negatives = static_cast<int32_t>(*negatives);
  options.outside_words = static_cast<int32_t>(*outside);
  options.problems = static_cast<int32_t>(*problems);
  options.seed = static_cast<uint64_t>(*seed);
  options.tolerance = *tolerance;
  return options;
}

}  // namespace

int RunGradCheck(std::span<char* const> args) {
  auto parsed = ParseArgs(args, kFlags);
  if (parsed.ok() && parsed->help) return PrintHelp(kUsage);
  if (parsed.ok() && !parsed->positional.empty()) {
    parsed = absl::InvalidArgumentError("unexpected argument '" + parsed->positional[0] + "'");
  }
  absl::StatusOr<core::GradCheckSuiteOptions> options =
      parsed.ok() ? ReadOptions(*parsed)
                  : absl::StatusOr<core::GradCheckSuiteOptions>(parsed.status());
  if (!options.ok()) return UsageError(kUsage, options.status().message());

  std::printf(
      "gradient check: dim %lld, vocab %lld, K %d, %d outside words, %d problems, seed %llu\n",
      static_cast<long long>(options->dim), static_cast<long long>(options->vocab),
      options->negatives, options->outside_words, options->problems,
      static_cast<unsigned long long>(options->seed));
  bool all_passed = true;
  for (const auto& check : core::RunGradCheckSuite(*options)) {
    std::printf("  %-28s max relative error %.3e  %s\n", check.name.c_str(),
                check.result.max_relative_error, check.result.passed ? "passed" : "FAILED");
    all_passed = all_passed && check.result.passed;
  }
  std::printf("%s\n", all_passed ? "all gradient checks passed" : "gradient check FAILED");
  return all_passed ? 0 : 1;
}

}  // namespace w2v::trainer
