// `w2v eval analogy` and `w2v eval similarity`: the standard measures of trained vectors, computed
// as word2vec's compute-accuracy and gensim's evaluate_word_analogies / evaluate_word_pairs do.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "io/config.h"
#include "io/evaluation_sets.h"
#include "tbb/task_arena.h"
#include "trainer/cli.h"
#include "trainer/commands.h"
#include "trainer/vector_space.h"

namespace w2v::trainer {
namespace {

const FlagSpec kAnalogyFlags[] = {
    {"vectors", true, "the vectors file (word2vec text or binary)"},
    {"questions", true, "the questions, e.g. data/analogy/questions-words.txt"},
    {"restrict", true,
     "use only the N most frequent words, the file's first N rows (default 30000; 0 for all)"},
    {"threads", true, "threads (default: all cores)"},
};

const FlagSpec kSimilarityFlags[] = {
    {"vectors", true, "the vectors file (word2vec text or binary)"},
    {"pairs", true, "'word1 word2 score' files: every argument after --pairs that is not a flag"},
    {"restrict", true,
     "use only the N most frequent words, the file's first N rows (default 0: all)"},
};

constexpr CommandUsage kAnalogyUsage = {
    "eval", "w2v eval analogy --vectors FILE --questions FILE [--restrict N] [--threads N]\n",
    kAnalogyFlags};
constexpr CommandUsage kSimilarityUsage = {
    "eval", "w2v eval similarity --vectors FILE --pairs FILE... [--restrict N]\n",
    kSimilarityFlags};
constexpr CommandUsage kEvalUsage = {
    "eval",
    "w2v eval analogy --vectors FILE --questions FILE [--restrict N] [--threads N]\n"
    "w2v eval similarity --vectors FILE --pairs FILE... [--restrict N]\n",
    {},
    "  (w2v eval analogy --help and w2v eval similarity --help list the flags of each)\n"};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Why a question or pair was skipped: "a word not among the 30,000 most frequent words".
std::string SkipReason(int64_t most_frequent) {
  return most_frequent > 0
             ? "a word not among the " + WithCommas(most_frequent) + " most frequent words"
             : "a word not in the vectors";
}

std::string Percent(int64_t correct, int64_t seen) {
  return seen > 0 ? absl::StrFormat("%.2f%%", PercentCorrect(correct, seen)) : "-";
}

void PrintRow(int width, const std::string& name, const AnalogyTally& t) {
  std::printf("%-*s %9lld %7lld %9s %9s\n", width, name.c_str(), static_cast<long long>(t.total),
              static_cast<long long>(t.seen), Percent(t.cos_add, t.seen).c_str(),
              Percent(t.cos_mul, t.seen).c_str());
}

int RunAnalogyEval(std::span<char* const> args) {
  auto parsed = ParseArgs(args, kAnalogyFlags);
  if (!parsed.ok()) return UsageError(kAnalogyUsage, parsed.status().message());
  if (parsed->help) return PrintHelp(kAnalogyUsage);
  if (!parsed->positional.empty()) {
    return UsageError(kAnalogyUsage, "unexpected argument '" + parsed->positional[0] + "'");
  }
  for (const char* flag : {"vectors", "questions"}) {
    if (!parsed->Has(flag)) {
      return UsageError(kAnalogyUsage, absl::StrFormat("--%s is required", flag));
    }
  }
  auto most_frequent = parsed->GetInt("restrict", io::TrainConfig{}.eval.restrict, 0, INT32_MAX);
  auto threads = parsed->GetInt("threads", io::DefaultThreads(), 1, io::kMaxThreads);
  for (const absl::Status& s : {most_frequent.status(), threads.status()}) {
    if (!s.ok()) return UsageError(kAnalogyUsage, s.message());
  }

  // The questions first: a wrong path fails before a large vectors file is read.
  auto sections = io::ReadAnalogyQuestions(parsed->Get("questions", ""));
  if (!sections.ok()) return CommandFailed("eval", sections.status());
  const std::string vectors_path = parsed->Get("vectors", "");
  const auto read_start = std::chrono::steady_clock::now();
  auto space = LoadVectorSpace(vectors_path, *most_frequent > 0 ? *most_frequent : -1);
  if (!space.ok()) return CommandFailed("eval", space.status());
  const double read_seconds = SecondsSince(read_start);

  const auto answer_start = std::chrono::steady_clock::now();
  AnalogyScores scores;
  tbb::task_arena arena(static_cast<int>(*threads));
  arena.execute([&] { scores = ScoreAnalogies(*space, *sections); });
  const double answer_seconds = SecondsSince(answer_start);

  const std::string used =
      *most_frequent > 0 ? "its first " + WithCommas(space->unit.rows()) : "all of them";
  std::printf("%s: %s words of dimension %lld; questions use %s\n", vectors_path.c_str(),
              WithCommas(space->header_rows).c_str(), static_cast<long long>(space->unit.dim()),
              used.c_str());
  int width = 9;
  for (const auto& section : *sections) {
    width = std::max(width, static_cast<int>(section.name.size()));
  }
  std::printf("\n%-*s %9s %7s %9s %9s\n", width, "section", "questions", "seen", "3CosAdd",
              "3CosMul");
  for (size_t s = 0; s < sections->size(); ++s) {
    PrintRow(width, (*sections)[s].name, scores.sections[s]);
  }
  const AnalogyTally& total = scores.total;
  std::printf("\n");
  PrintRow(width, "semantic", scores.semantic);
  PrintRow(width, "syntactic", scores.syntactic);
  PrintRow(width, "total", total);
  std::printf("\nquestions seen: %s of %s; %s skipped (%s)\n", WithCommas(total.seen).c_str(),
              WithCommas(total.total).c_str(), WithCommas(total.total - total.seen).c_str(),
              SkipReason(*most_frequent).c_str());
  std::printf("read the vectors in %.2f s; answered in %.2f s with %lld thread%s\n", read_seconds,
              answer_seconds, static_cast<long long>(*threads), *threads == 1 ? "" : "s");
  return 0;
}

int RunSimilarityEval(std::span<char* const> args) {
  auto parsed = ParseArgs(args, kSimilarityFlags);
  if (!parsed.ok()) return UsageError(kSimilarityUsage, parsed.status().message());
  if (parsed->help) return PrintHelp(kSimilarityUsage);
  if (!parsed->Has("vectors")) return UsageError(kSimilarityUsage, "--vectors is required");
  if (!parsed->Has("pairs")) return UsageError(kSimilarityUsage, "--pairs is required");
  // `--pairs A B C`: the flag parser takes A as the value and leaves B and C positional.
  std::vector<std::string> pair_files = parsed->GetAll("pairs");
  pair_files.insert(pair_files.end(), parsed->positional.begin(), parsed->positional.end());
  auto most_frequent = parsed->GetInt("restrict", 0, 0, INT32_MAX);
  if (!most_frequent.ok()) {
    return UsageError(kSimilarityUsage, most_frequent.status().message());
  }

  // Every pair file is read before the vectors, so a wrong path fails fast.
  std::vector<std::vector<io::WordPair>> pair_sets;
  for (const std::string& path : pair_files) {
    auto pairs = io::ReadWordPairs(path);
    if (!pairs.ok()) return CommandFailed("eval", pairs.status());
    pair_sets.push_back(std::move(*pairs));
  }
  auto space =
      LoadVectorSpace(parsed->Get("vectors", ""), *most_frequent > 0 ? *most_frequent : -1);
  if (!space.ok()) return CommandFailed("eval", space.status());

  size_t width = 0;
  for (const std::string& path : pair_files) width = std::max(width, path.size());
  for (size_t f = 0; f < pair_files.size(); ++f) {
    const SimilarityScore score = ScoreSimilarity(*space, pair_sets[f]);
    const double rho = score.rho;
    const int64_t total = score.total;
    const int64_t seen = score.seen;
    const std::string rho_text = std::isnan(rho) ? "n/a" : absl::StrFormat("%.4f", rho);
    std::printf("%-*s  rho %6s  pairs %s of %s; %s skipped (%s)\n", static_cast<int>(width),
                pair_files[f].c_str(), rho_text.c_str(), WithCommas(seen).c_str(),
                WithCommas(total).c_str(), WithCommas(total - seen).c_str(),
                SkipReason(*most_frequent).c_str());
  }
  return 0;
}

}  // namespace

int RunEval(std::span<char* const> args) {
  if (args.empty()) return UsageError(kEvalUsage, "which evaluation? analogy or similarity");
  const std::string mode = args[0];
  if (mode == "analogy") return RunAnalogyEval(args.subspan(1));
  if (mode == "similarity") return RunSimilarityEval(args.subspan(1));
  if (mode == "--help" || mode == "-h") return PrintHelp(kEvalUsage);
  return UsageError(kEvalUsage,
                    "unknown evaluation '" + mode + "'; expected analogy or similarity");
}

}  // namespace w2v::trainer
