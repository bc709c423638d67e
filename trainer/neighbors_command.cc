// `w2v neighbors` and `w2v analogy`: looking at trained vectors as word2vec's distance and
// word-analogy tools do, from the command line or, with no words given, line by line from standard
// input. Words are found ignoring ASCII case; a query's own words (in any case) are never listed.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "core/neighbors.h"
#include "io/text_lines.h"
#include "trainer/cli.h"
#include "trainer/commands.h"
#include "trainer/vector_space.h"

namespace w2v::trainer {
namespace {

const FlagSpec kFlags[] = {
    {"vectors", true, "the vectors file (word2vec text or binary)"},
    {"k", true, "how many words to list (default 10)"},
};

// What differs between the two commands.
struct QueryKind {
  CommandUsage usage;
  size_t words;  // per query
};

constexpr QueryKind kNeighbors = {
    {"neighbors", "w2v neighbors --vectors FILE [--k N] [WORD...]\n", kFlags,
     "  lists the k words of highest cosine with each WORD, or with each word read from standard "
     "input\n"},
    1};
constexpr QueryKind kAnalogy = {
    {"analogy", "w2v analogy --vectors FILE [--k N] [A B C]\n", kFlags,
     "  \"A is to B as C is to ?\": lists the k words of highest cosine with B - A + C, for the\n"
     "  three words given or for each line of three words read from standard input\n"},
    3};

class QueryRunner {
 public:
  QueryRunner(const QueryKind& kind, const std::string& path, const VectorSpace& space, int64_t k)
      : kind_(kind), path_(path), space_(space), k_(k) {}

  // Answers one query of kind_.words words; false (with a message) when a word is unknown.
  bool Answer(const std::vector<std::string>& words) {
    std::vector<int32_t> rows;
    for (const std::string& word : words) {
      rows.push_back(space_.lookup.Find(word));
      if (rows.back() < 0) {
        std::fprintf(stderr, "w2v %s: '%s' is not in %s\n", kind_.usage.command, word.c_str(),
                     path_.c_str());
        return false;
      }
    }
    const int64_t dim = space_.unit.dim();
    std::vector<float> query(dim), row(dim);
    // b - a + c for an analogy, the word itself for neighbours: signs by position.
    const float signs[3] = {words.size() == 3 ? -1.0f : 1.0f, 1.0f, 1.0f};
    std::vector<int32_t> excluded;
    for (size_t w = 0; w < rows.size(); ++w) {
      space_.unit.CopyRow(rows[w], row.data());
      for (int64_t i = 0; i < dim; ++i) query[i] += signs[w] * row[i];
      for (int32_t spelling : space_.lookup.Spellings(rows[w])) excluded.push_back(spelling);
    }
    const std::vector<core::Neighbor> neighbors =
        core::NearestNeighbors(space_.unit, query, k_, excluded);

    if (words.size() == 3) {
      std::printf("%s is to %s as %s is to:\n", space_.words[rows[0]].c_str(),
                  space_.words[rows[1]].c_str(), space_.words[rows[2]].c_str());
    } else {
      std::printf("nearest to %s:\n", space_.words[rows[0]].c_str());
    }
    int width = 12;
    for (const core::Neighbor& n : neighbors) {
      width = std::max(width, static_cast<int>(space_.words[n.row].size()));
    }
    for (size_t n = 0; n < neighbors.size(); ++n) {
      std::printf("%4zu  %-*s  %.4f\n", n + 1, width, space_.words[neighbors[n].row].c_str(),
                  neighbors[n].cosine);
    }
    std::printf("\n");
    std::fflush(stdout);
    return true;
  }

 private:
  const QueryKind& kind_;
  const std::string& path_;
  const VectorSpace& space_;
  int64_t k_;
};

int RunQueries(const QueryKind& kind, std::span<char* const> args) {
  auto parsed = ParseArgs(args, kFlags);
  if (parsed.ok() && parsed->help) return PrintHelp(kind.usage);
  absl::StatusOr<int64_t> k = parsed.ok() ? parsed->GetInt("k", 10, 1, 1'000'000)
                                          : absl::StatusOr<int64_t>(parsed.status());
  std::string problem = k.ok() ? "" : std::string(k.status().message());
  if (problem.empty() && !parsed->Has("vectors")) problem = "--vectors is required";
  if (problem.empty() && kind.words == 3 && !parsed->positional.empty() &&
      parsed->positional.size() != 3) {
    problem = absl::StrFormat("expected three words A B C, got %d", parsed->positional.size());
  }
  if (!problem.empty()) return UsageError(kind.usage, problem);
  const std::string path = parsed->Get("vectors", "");
  auto space = LoadVectorSpace(path, -1);
  if (!space.ok()) {
    return CommandFailed(kind.usage.command, space.status());
  }
  QueryRunner runner(kind, path, *space, *k);

  bool all_answered = true;
  if (!parsed->positional.empty()) {
    const std::vector<std::string>& words = parsed->positional;
    for (size_t first = 0; first < words.size(); first += kind.words) {
      all_answered &= runner.Answer({words.begin() + first, words.begin() + first + kind.words});
    }
    return all_answered ? 0 : 1;
  }
  // As word2vec's distance: a prompt on a terminal, then one query per line until end of input.
  const bool interactive = isatty(STDIN_FILENO);
  std::string line;
  for (int64_t line_number = 1;; ++line_number) {
    if (interactive) std::fprintf(stderr, "%s> ", kind.usage.command);
    if (!std::getline(std::cin, line)) break;
    std::vector<std::string> words;
    for (std::string_view field : io::SplitFields(line)) words.emplace_back(field);
    if (words.empty()) continue;
    if (kind.words == 3 && words.size() != 3) {
      std::fprintf(stderr, "w2v %s: line %lld: expected three words A B C, got %zu\n",
                   kind.usage.command, static_cast<long long>(line_number), words.size());
      all_answered = false;
      continue;
    }
    for (size_t first = 0; first < words.size(); first += kind.words) {
      all_answered &= runner.Answer({words.begin() + first, words.begin() + first + kind.words});
    }
  }
  return all_answered ? 0 : 1;
}

}  // namespace

int RunNeighbors(std::span<char* const> args) { return RunQueries(kNeighbors, args); }
int RunAnalogy(std::span<char* const> args) { return RunQueries(kAnalogy, args); }

}  // namespace w2v::trainer
