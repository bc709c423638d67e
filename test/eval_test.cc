// The evaluation math of core/ (word_lookup, unit_vectors, neighbors, analogies, rank_statistics)
// against hand-worked answers and brute force, the commands `w2v eval`, `w2v neighbors` and
// `w2v analogy` end to end, and their agreement, question
// by question, with gensim's evaluate_word_analogies and evaluate_word_pairs (run through Debian's
// /usr/bin/python3).
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "core/analogies.h"
#include "core/matrix.h"
#include "core/neighbors.h"
#include "core/random.h"
#include "core/rank_statistics.h"
#include "core/unit_vectors.h"
#include "core/word_lookup.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io/evaluation_sets.h"
#include "io/vector_reader.h"
#include "io/vectors.h"
#include "test/run_binary.h"

namespace w2v {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::CommandRun;
using testing::RunCommand;
using testing::RunResult;
using testing::RunW2v;
using testing::SourceDir;
using testing::TempDir;

std::vector<float> RandomMatrix(int64_t rows, int64_t dim, uint64_t seed) {
  core::Rng rng(seed);
  std::vector<float> values(rows * dim);
  for (float& v : values) v = static_cast<float>(2 * rng.Uniform() - 1);
  return values;
}

// ---------------------------------------------------------------------------------------------
// core/ evaluation: word_lookup, unit_vectors, neighbors, analogies, rank_statistics

TEST(WordLookupTest, IgnoresCaseAndPrefersTheFirstRow) {
  const std::vector<std::string> words = {"paris", "the", "Paris", "PARIS", "Été", "été"};
  const core::WordLookup lookup(words);
  EXPECT_EQ(lookup.Find("paris"), 0);
  EXPECT_EQ(lookup.Find("pArIs"), 0);
  EXPECT_EQ(lookup.Find("THE"), 1);
  EXPECT_EQ(lookup.Find("london"), -1);
  // Only ASCII letters fold: "Été" and "été" are different words.
  EXPECT_EQ(lookup.Find("été"), 5);
  EXPECT_THAT(lookup.canonical(), ElementsAre(0, 1, 0, 0, 4, 5));
  EXPECT_THAT(lookup.Spellings(0), ElementsAre(0, 2, 3));
  EXPECT_THAT(lookup.Spellings(1), ElementsAre(1));
}

TEST(UnitVectorsTest, DotsMatchDoublePrecisionOverAnyRange) {
  const int64_t rows = 1000 + 37, dim = 19, count = 5;  // tails after the 64-row blocks
  const std::vector<float> values = RandomMatrix(rows, dim, 1);
  const std::vector<float> queries = RandomMatrix(count, dim, 2);
  const core::UnitVectors unit(values.data(), rows, dim);
  for (auto [begin, end] :
       {std::pair<int64_t, int64_t>{0, rows}, {64, 264}, {1000, 1037}, {5, 6}}) {
    std::vector<float> scores(count * (end - begin));
    unit.Dots(queries.data(), count, begin, end, scores.data());
    for (int64_t q = 0; q < count; ++q) {
      for (int64_t j = begin; j < end; ++j) {
        double dot = 0, norm = 0;
        for (int64_t i = 0; i < dim; ++i) {
          dot += static_cast<double>(queries[q * dim + i]) * values[j * dim + i];
          norm += static_cast<double>(values[j * dim + i]) * values[j * dim + i];
        }
        ASSERT_NEAR(scores[q * (end - begin) + j - begin], dot / std::sqrt(norm), 1e-5)
            << "query " << q << " row " << j;
      }
    }
  }
}

TEST(UnitVectorsTest, ZeroRowStaysZero) {
  const std::vector<float> values = {3, 4, 0, 0};
  const core::UnitVectors unit(values.data(), 2, 2);
  std::vector<float> row(2);
  unit.CopyRow(0, row.data());
  EXPECT_THAT(row, ElementsAre(0.6f, 0.8f));
  unit.CopyRow(1, row.data());
  EXPECT_THAT(row, ElementsAre(0.0f, 0.0f));
}

TEST(NearestNeighborsTest, RanksByCosineSkipsExcludedAndBreaksTiesByRow) {
  // clang-format off
  const std::vector<float> values = {
      1, 0,        // 0: the query's own row
      0.9f, 0.1f,  // 1: cos 0.9939
      0, 2,        // 2: cos 0
      -1, 0,       // 3: cos -1
      1, 1,        // 4: cos 0.7071
      0, 4,        // 5: the same unit vector as 2 (both exact)
  };
  // clang-format on
  const core::UnitVectors unit(values.data(), 6, 2);
  const std::vector<float> query = {2, 0};
  const std::vector<int32_t> excluded = {0};
  const std::vector<core::Neighbor> neighbors = core::NearestNeighbors(unit, query, 4, excluded);
  ASSERT_EQ(neighbors.size(), 4u);
  EXPECT_EQ(neighbors[0].row, 1);
  EXPECT_NEAR(neighbors[0].cosine, 0.9f / std::sqrt(0.82f), 1e-6);
  EXPECT_EQ(neighbors[1].row, 4);
  EXPECT_NEAR(neighbors[1].cosine, std::sqrt(0.5), 1e-6);
  EXPECT_EQ(neighbors[2].row, 2);
  EXPECT_EQ(neighbors[3].row, 5);
  // Asking for more than there are lists every row but the excluded ones.
  EXPECT_EQ(core::NearestNeighbors(unit, query, 100, excluded).size(), 5u);
}

// Dimensions: royalty, gender, and a little of everything.
const std::vector<std::string> kRoyalWords = {"man", "woman", "king", "queen", "apple", "King"};
// clang-format off
const std::vector<float> kRoyalValues = {
    0, 1, 0.1f,    // man
    0, -1, 0.1f,   // woman
    1, 1, 0.1f,    // king
    1, -1, 0.1f,   // queen
    0, 0, 1,       // apple
    1, 1, 0.12f,   // King: another spelling of king, nearly the same vector
};
// clang-format on

TEST(AnswerAnalogiesTest, KingMinusManPlusWomanIsQueen) {
  const core::WordLookup lookup(kRoyalWords);
  const core::UnitVectors unit(kRoyalValues.data(), 6, 3);
  // man : king :: woman : ?   and   woman : queen :: man : ?
  const std::vector<core::AnalogyQuestion> questions = {{0, 2, 1}, {1, 3, 0}};
  const std::vector<core::AnalogyAnswer> answers = core::AnswerAnalogies(unit, lookup, questions);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].cos_add, 3);
  EXPECT_EQ(answers[0].cos_mul, 3);
  // "King" is nearest, but it spells "king": it counts as the answer king (row 2).
  EXPECT_EQ(answers[1].cos_add, 2);
  EXPECT_EQ(answers[1].cos_mul, 2);
}

TEST(AnswerAnalogiesTest, SpellingsOfTheQuestionWordsAreNeverAnswers) {
  const core::WordLookup lookup(kRoyalWords);
  const core::UnitVectors unit(kRoyalValues.data(), 6, 3);
  // woman : king :: woman : ? would be "King" (almost king itself) were it not a spelling of king.
  const std::vector<core::AnalogyQuestion> questions = {{1, 2, 1}};
  const std::vector<core::AnalogyAnswer> answers = core::AnswerAnalogies(unit, lookup, questions);
  EXPECT_NE(answers[0].cos_add, 2);
  EXPECT_NE(answers[0].cos_add, 1);
  EXPECT_NE(answers[0].cos_mul, 2);
}

// Brute force in double precision over many tiles: each answer must score within float rounding of
// the best row (near-ties may go either way).
TEST(AnswerAnalogiesTest, MatchesBruteForceOverManyTiles) {
  const int64_t rows = 2500, dim = 24;  // tiles of 288 rows for the questions' ~900 words
  const std::vector<float> values = RandomMatrix(rows, dim, 3);
  std::vector<std::string> words;
  for (int64_t r = 0; r < rows; ++r) words.push_back(absl::StrCat("w", r));
  const core::WordLookup lookup(words);
  const core::UnitVectors unit(values.data(), rows, dim);
  core::Rng rng(4);
  std::vector<core::AnalogyQuestion> questions;
  for (int q = 0; q < 300; ++q) {
    questions.push_back({static_cast<int32_t>(rng.Below(rows)),
                         static_cast<int32_t>(rng.Below(rows)),
                         static_cast<int32_t>(rng.Below(rows))});
  }
  const std::vector<core::AnalogyAnswer> answers = core::AnswerAnalogies(unit, lookup, questions);

  std::vector<double> unit_rows(rows * dim);
  for (int64_t r = 0; r < rows; ++r) {
    double norm = 0;
    for (int64_t i = 0; i < dim; ++i) norm += double{values[r * dim + i]} * values[r * dim + i];
    for (int64_t i = 0; i < dim; ++i) {
      unit_rows[r * dim + i] = values[r * dim + i] / std::sqrt(norm);
    }
  }
  auto cosine = [&](int64_t x, int64_t y) {
    double dot = 0;
    for (int64_t i = 0; i < dim; ++i) dot += unit_rows[x * dim + i] * unit_rows[y * dim + i];
    return dot;
  };
  for (size_t q = 0; q < questions.size(); ++q) {
    const auto [a, b, c] = questions[q];
    auto add = [&](int64_t x) { return cosine(x, b) - cosine(x, a) + cosine(x, c); };
    auto mul = [&](int64_t x) {
      return (1 + cosine(x, b)) / 2 * (1 + cosine(x, c)) / 2 / ((1 + cosine(x, a)) / 2 + 1e-6);
    };
    double best_add = -1e9, best_mul = -1e9;
    for (int64_t x = 0; x < rows; ++x) {
      if (x == a || x == b || x == c) continue;
      best_add = std::max(best_add, add(x));
      best_mul = std::max(best_mul, mul(x));
    }
    for (int32_t answer : {answers[q].cos_add, answers[q].cos_mul}) {
      EXPECT_NE(answer, a);
      EXPECT_NE(answer, b);
      EXPECT_NE(answer, c);
    }
    EXPECT_NEAR(add(answers[q].cos_add), best_add, 1e-5) << "question " << q;
    EXPECT_NEAR(mul(answers[q].cos_mul), best_mul, 1e-4 * best_mul) << "question " << q;
  }
}

TEST(SpearmanTest, TiesGetTheirMeanRank) {
  const std::vector<double> values = {10, 20, 10, 30, 20, 20};
  EXPECT_THAT(core::AverageRanks(values), ElementsAre(1.5, 4, 1.5, 6, 4, 4));
}

TEST(SpearmanTest, MatchesHandWorkedValues) {
  const std::vector<double> x = {1, 2, 3, 4, 5};
  // y's ranks are 1, 2, 3.5, 5, 3.5: rho = 8 / sqrt(10 * 9.5) (scipy.stats.spearmanr agrees).
  EXPECT_NEAR(core::SpearmanRho(x, std::vector<double>{5, 6, 7, 8, 7}), 8 / std::sqrt(95.0), 1e-12);
  EXPECT_DOUBLE_EQ(core::SpearmanRho(x, std::vector<double>{1, 4, 9, 16, 25}), 1.0);
  EXPECT_DOUBLE_EQ(core::SpearmanRho(x, std::vector<double>{0, -1, -2, -3, -4}), -1.0);
  EXPECT_TRUE(std::isnan(core::SpearmanRho(x, std::vector<double>{2, 2, 2, 2, 2})));
  EXPECT_TRUE(std::isnan(core::SpearmanRho(std::vector<double>{1}, std::vector<double>{1})));
}

// ---------------------------------------------------------------------------------------------
// The commands, end to end.

std::string RoyalVectorsText() {
  std::string text = "6 3\n";
  for (size_t w = 0; w < kRoyalWords.size(); ++w) {
    text += kRoyalWords[w];
    for (int i = 0; i < 3; ++i) absl::StrAppend(&text, " ", kRoyalValues[w * 3 + i]);
    text += " \n";
  }
  return text;
}

struct SectionScore {
  int64_t questions = 0;
  int64_t seen = 0;
  double cos_add = 0;  // percent
  double cos_mul = 0;
};

// The rows of `w2v eval analogy`'s table: "NAME QUESTIONS SEEN ADD% MUL%".
std::map<std::string, SectionScore> ParseAnalogyTable(const std::string& out) {
  std::map<std::string, SectionScore> table;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string name, add, mul;
    SectionScore score;
    if (fields >> name >> score.questions >> score.seen >> add >> mul && add.back() == '%') {
      score.cos_add = std::stod(add);
      score.cos_mul = std::stod(mul);
      table[name] = score;
    }
  }
  return table;
}

// Whether `text` is exactly one line.
bool IsOneLine(const std::string& text) {
  return !text.empty() && text.find('\n') == text.size() - 1;
}

class EvalCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("vectors.txt", RoyalVectorsText());
    dir_.Write("questions.txt",
               ": family\nMAN KING WOMAN QUEEN\nman king woman prince\n"
               ": fruit\nman apple woman apple\n");
    dir_.Write("pairs.txt", "king queen 8\nman woman 7\napple king 1\nman prince 3\n");
  }
  std::string File(const std::string& name) const { return dir_.File(name); }

  TempDir dir_;
};

TEST_F(EvalCommandTest, AnalogyPrintsSectionsTotalsAndSeen) {
  const RunResult r = RunW2v({"eval", "analogy", "--vectors", File("vectors.txt"), "--questions",
                              File("questions.txt"), "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::map<std::string, SectionScore> table = ParseAnalogyTable(r.out);
  // family: 2 questions, 1 seen (prince is unknown), answered right.
  EXPECT_EQ(table.at("family").questions, 2);
  EXPECT_EQ(table.at("family").seen, 1);
  EXPECT_EQ(table.at("family").cos_add, 100);
  EXPECT_EQ(table.at("family").cos_mul, 100);
  // fruit: apple is a question word, so it cannot be the answer.
  EXPECT_EQ(table.at("fruit").seen, 1);
  EXPECT_EQ(table.at("fruit").cos_add, 0);
  EXPECT_EQ(table.at("fruit").cos_mul, 0);
  // Both sections are among the first five: semantic.
  EXPECT_EQ(table.at("semantic").questions, 3);
  EXPECT_EQ(table.at("semantic").cos_add, 50);
  EXPECT_EQ(table.at("total").seen, 2);
  EXPECT_EQ(table.at("total").cos_mul, 50);
  EXPECT_THAT(r.out, ::testing::ContainsRegex("syntactic +0 +0 +- +-"));
  EXPECT_THAT(r.out, HasSubstr("questions seen: 2 of 3; 1 skipped"));
}

TEST_F(EvalCommandTest, AnalogyRestrictDropsRareWords) {
  // With only the first three rows, queen is unknown: no question is seen.
  const RunResult r = RunW2v({"eval", "analogy", "--vectors", File("vectors.txt"), "--questions",
                              File("questions.txt"), "--restrict", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("questions use its first 3"));
  EXPECT_THAT(r.out, HasSubstr("questions seen: 0 of 3; 3 skipped (a word not among the 3 most "
                               "frequent words)"));
}

// Every malformed input ends a command with exit status 1 and one line naming the file and the
// line (text) or row (binary).
TEST_F(EvalCommandTest, MalformedInputsFailWithOneLineNamingTheLineOrRow) {
  dir_.Write("bad.txt", "2 3\nman 0 1 0.1\nwoman 0 -1\n");
  std::string truncated = "2 3\nman ";
  const float row[3] = {0, 1, 0.1f};
  truncated.append(reinterpret_cast<const char*>(row), sizeof(row));
  truncated += "\nwoman ";
  truncated.append(reinterpret_cast<const char*>(row), 5);
  dir_.Write("bad.bin", truncated);
  dir_.Write("bad_questions.txt", ": s\na b c\n");
  dir_.Write("bad_pairs.txt", "king queen 8\nking queen\n");
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"eval", "analogy", "--vectors", File("bad.txt"), "--questions", File("questions.txt")},
       "bad.txt:3: expected 3 values, found 2"},
      {{"neighbors", "--vectors", File("bad.bin"), "man"}, "bad.bin: row 2: 'woman' is truncated"},
      {{"eval", "analogy", "--vectors", File("vectors.txt"), "--questions",
        File("bad_questions.txt")},
       "bad_questions.txt:2: expected 4 words"},
      {{"eval", "similarity", "--vectors", File("vectors.txt"), "--pairs", File("bad_pairs.txt")},
       "bad_pairs.txt:2: expected 'word1 word2 score', found 2 fields"},
  };
  for (const auto& [args, message] : cases) {
    const RunResult r = RunW2v(args);
    EXPECT_EQ(r.exit_code, 1) << message;
    EXPECT_TRUE(IsOneLine(r.err)) << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
  }
}

TEST_F(EvalCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunW2v({"eval"}).exit_code, 2);
  EXPECT_EQ(RunW2v({"eval", "accuracy"}).exit_code, 2);
  EXPECT_EQ(RunW2v({"eval", "analogy", "--vectors", File("vectors.txt")}).exit_code, 2);
  EXPECT_EQ(RunW2v({"eval", "analogy", "--vectors", File("vectors.txt"), "--questions",
                    File("questions.txt"), "--restrict", "-1"})
                .exit_code,
            2);
  EXPECT_EQ(RunW2v({"eval", "similarity", "--vectors", File("vectors.txt")}).exit_code, 2);
  EXPECT_EQ(RunW2v({"neighbors", "king"}).exit_code, 2);
  EXPECT_EQ(RunW2v({"neighbors", "--vectors", File("vectors.txt"), "--k", "0", "king"}).exit_code,
            2);
  EXPECT_EQ(RunW2v({"analogy", "--vectors", File("vectors.txt"), "man", "king"}).exit_code, 2);
}

TEST_F(EvalCommandTest, SimilarityPrintsOneLinePerFile) {
  dir_.Write("more.txt", "# a comment\nKING\tQUEEN\t1\nqueen\tapple\t2\nking\tapple\t3\n");
  const RunResult r = RunW2v({"eval", "similarity", "--vectors", File("vectors.txt"), "--pairs",
                              File("pairs.txt"), File("more.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string first, second, rest;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_FALSE(std::getline(lines, rest));
  EXPECT_THAT(first, HasSubstr("pairs.txt"));
  EXPECT_THAT(first, HasSubstr("pairs 3 of 4; 1 skipped (a word not in the vectors)"));
  EXPECT_THAT(second, HasSubstr("more.txt"));
  EXPECT_THAT(second, HasSubstr("pairs 3 of 3; 0 skipped"));
}

TEST_F(EvalCommandTest, NeighborsListsTheNearestWords) {
  const RunResult r =
      RunW2v({"neighbors", "--vectors", File("vectors.txt"), "--k", "2", "queen", "APPLE"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("nearest to queen:\n   1  woman"));
  EXPECT_THAT(r.out, HasSubstr("nearest to apple:\n"));
  // king's other spelling is excluded with it.
  const RunResult k = RunW2v({"neighbors", "--vectors", File("vectors.txt"), "--k", "5", "king"});
  ASSERT_EQ(k.exit_code, 0) << k.err;
  EXPECT_THAT(k.out, Not(HasSubstr("King")));
}

TEST_F(EvalCommandTest, NeighborsReadsStandardInputAndReportsUnknownWords) {
  const RunResult r =
      RunW2v({"neighbors", "--vectors", File("vectors.txt"), "--k", "1"}, "queen\n\nunicorn man\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("nearest to queen:"));
  EXPECT_THAT(r.out, HasSubstr("nearest to man:"));
  EXPECT_THAT(r.err, HasSubstr("'unicorn' is not in"));
}

TEST_F(EvalCommandTest, AnalogyCommandAnswersFromArgumentsAndStandardInput) {
  const RunResult r = RunW2v({"analogy", "--vectors", File("vectors.txt"), "man", "king", "woman"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("man is to king as woman is to:\n   1  queen"));

  const RunResult s =
      RunW2v({"analogy", "--vectors", File("vectors.txt")}, "woman queen man\nonly two\n");
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_THAT(s.out, HasSubstr("woman is to queen as man is to:\n   1  king"));
  EXPECT_THAT(s.err, HasSubstr("line 2: expected three words A B C, got 2"));
}

// ---------------------------------------------------------------------------------------------
// Agreement with gensim's own evaluation methods (and, through them, scipy's spearmanr) on a
// structured vector set.

// Runs Debian's python3 on `script` (relative to the source tree) with `args`.
CommandRun RunPython(const std::string& script, const std::string& args) {
  return RunCommand("/usr/bin/python3 " + SourceDir() + "/" + script + " " + args);
}

// tools/setup.sh installs every module these tests import, so a missing one is a machine to fix,
// not a test to skip: a skipped test counts as passed and would hide that nothing was compared.
::testing::AssertionResult PythonImports(const std::string& modules, const std::string& packages) {
  const std::string command = "/usr/bin/python3 -c 'import " + modules + "' >/dev/null 2>&1";
  if (std::system(command.c_str()) == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "/usr/bin/python3 cannot import " << modules << ": install Debian's " << packages
         << " (tools/setup.sh does)";
}

// Whether each question was answered right, keyed (method, section, "A B C EXPECTED") with the
// words upper-cased, as gensim reports them.
using Verdicts = std::map<std::tuple<std::string, std::string, std::string>, bool>;

// gensim_reference.py analogy's lines: "METHOD<TAB>SECTION<TAB>A B C EXPECTED<TAB>VERDICT".
Verdicts ParseGensimVerdicts(const std::string& output) {
  Verdicts verdicts;
  for (const absl::string_view line : absl::StrSplit(output, '\n', absl::SkipEmpty())) {
    const std::vector<std::string> fields = absl::StrSplit(line, '\t');
    if (fields.size() != 4 || (fields[3] != "correct" && fields[3] != "incorrect")) {
      ADD_FAILURE() << "not a gensim answer: " << line;
      continue;
    }
    const bool inserted =
        verdicts.emplace(std::tuple(fields[0], fields[1], fields[2]), fields[3] == "correct")
            .second;
    EXPECT_TRUE(inserted) << "answered twice: " << line;
  }
  return verdicts;
}

// w2v's verdict on every question it answers over the first `restrict` rows of `vectors`, from the
// library in-process: `w2v eval analogy` prints only each section's tally.
Verdicts W2vVerdicts(const std::string& vectors, const std::string& questions, int64_t restrict) {
  const absl::StatusOr<io::WordVectors> read = io::ReadVectors(vectors, restrict);
  const absl::StatusOr<std::vector<io::AnalogySection>> sections =
      io::ReadAnalogyQuestions(questions);
  if (!read.ok() || !sections.ok()) {
    ADD_FAILURE() << read.status() << " " << sections.status();
    return {};
  }
  const core::WordLookup lookup(read->words);
  const core::UnitVectors unit(read->values.data(), read->rows(), read->dim);
  std::vector<core::AnalogyQuestion> asked;
  std::vector<int32_t> expected;
  std::vector<std::pair<std::string, std::string>> keys;  // (section, question)
  for (const io::AnalogySection& section : *sections) {
    for (const std::array<std::string, 4>& words : section.questions) {
      int32_t rows[4];
      for (int i = 0; i < 4; ++i) rows[i] = lookup.Find(words[i]);
      if (*std::min_element(rows, rows + 4) < 0) continue;
      asked.push_back({rows[0], rows[1], rows[2]});
      expected.push_back(rows[3]);
      keys.emplace_back(section.name, absl::AsciiStrToUpper(absl::StrJoin(words, " ")));
    }
  }
  const std::vector<core::AnalogyAnswer> answers = core::AnswerAnalogies(unit, lookup, asked);
  Verdicts verdicts;
  for (size_t q = 0; q < asked.size(); ++q) {
    const auto& [section, question] = keys[q];
    verdicts[{"3CosAdd", section, question}] = answers[q].cos_add == expected[q];
    verdicts[{"3CosMul", section, question}] = answers[q].cos_mul == expected[q];
  }
  return verdicts;
}

// Countries and capitals, adjectives and adverbs: each pair's second word is the first plus the
// relation's offset plus noise, among filler words, all in a shuffled frequency order; a few words
// have a second, upper-case spelling, and four of the questions' words a (second or third)
// capitalised one. Questions use capitalised words, and some use words past the restriction or not
// in the vectors.
class AgreementTest : public ::testing::Test {
 protected:
  static constexpr int kPairs = 24;
  static constexpr int kFiller = 300;
  static constexpr int kDim = 32;
  static constexpr int kRestrict = 330;

  void SetUp() override {
    core::Rng rng(7);
    auto random_vector = [&] {
      std::vector<float> v(kDim);
      for (float& x : v) x = static_cast<float>(2 * rng.Uniform() - 1);
      return v;
    };
    std::vector<std::pair<std::string, std::vector<float>>> rows;
    for (const auto& [first, second] :
         {std::pair<std::string, std::string>{"country", "capital"}, {"adjective", "adverb"}}) {
      const std::vector<float> offset = random_vector();
      for (int p = 0; p < kPairs; ++p) {
        std::vector<float> a = random_vector(), b = random_vector();
        for (int i = 0; i < kDim; ++i) b[i] = a[i] + offset[i] + 1.5f * b[i];
        rows.emplace_back(first + std::to_string(p), a);
        rows.emplace_back(second + std::to_string(p), b);
      }
    }
    for (int f = 0; f < kFiller; ++f) rows.emplace_back(absl::StrCat("filler", f), random_vector());
    for (size_t r = rows.size() - 1; r > 0; --r) std::swap(rows[r], rows[rng.Below(r + 1)]);
    // Later, rarer spellings of a few words, close to them.
    for (int p = 0; p < 6; ++p) {
      std::vector<float> v = rows[p].second;
      for (float& x : v) x += 0.1f * static_cast<float>(rng.Uniform());
      std::string upper = rows[p].first;
      for (char& c : upper) c = static_cast<char>(std::toupper(c));
      rows.insert(rows.begin() + 100 + p, {upper, v});
    }
    // And a capitalised one of the first word of each kind, close enough to it to win some of
    // the questions the word is in, were not every spelling of a question's words left out.
    int spelled = 0;
    for (const std::string kind : {"country", "capital", "adjective", "adverb"}) {
      const auto first = std::find_if(rows.begin(), rows.end(),
                                      [&](const auto& row) { return row.first.starts_with(kind); });
      ASSERT_LT(first - rows.begin(), 100) << kind;  // before its second spelling
      std::vector<float> v = first->second;
      for (float& x : v) x += 0.01f * static_cast<float>(rng.Uniform());
      std::string capitalised = first->first;
      capitalised[0] = static_cast<char>(std::toupper(capitalised[0]));
      rows.insert(rows.begin() + 106 + spelled++, {capitalised, v});
    }
    std::vector<std::string> words;
    std::vector<float> values;
    for (const auto& [word, v] : rows) {
      words.push_back(word);
      values.insert(values.end(), v.begin(), v.end());
    }
    const core::MatrixView view{values.data(), static_cast<int64_t>(words.size()), kDim, kDim};
    ASSERT_TRUE(io::WriteVectorsText(dir_.File("vectors.txt"), words, view).ok());
    ASSERT_TRUE(io::WriteVectorsBinary(dir_.File("vectors.bin"), words, view).ok());

    std::string questions;
    for (const auto& [section, first, second] :
         {std::tuple<std::string, std::string, std::string>{"capitals", "Country", "Capital"},
          {"gram-adverbs", "adjective", "adverb"}}) {
      questions += ": " + section + "\n";
      for (int p = 0; p < kPairs; ++p) {
        for (int q = 0; q < kPairs; ++q) {
          if (p == q) continue;
          questions += first + std::to_string(p) + " " + second + std::to_string(p) + " " + first +
                       std::to_string(q) + " " + second + std::to_string(q) + "\n";
        }
      }
    }
    questions += ": unknown\ncountry1 capital1 country2 atlantis\n";
    dir_.Write("questions.txt", questions);

    std::string pairs;
    for (int n = 0; n < 150; ++n) {
      const auto& [x, vx] = rows[rng.Below(rows.size())];
      const auto& [y, vy] = rows[rng.Below(rows.size())];
      double dot = 0, nx = 0, ny = 0;
      for (int i = 0; i < kDim; ++i) {
        dot += vx[i] * vy[i];
        nx += vx[i] * vx[i];
        ny += vy[i] * vy[i];
      }
      // A human score loosely tied to the cosine, rounded so that scores tie.
      const double score = std::round(10 * (dot / std::sqrt(nx * ny) + rng.Uniform())) / 2;
      absl::StrAppend(&pairs, x, "\t", y, "\t", score, "\n");
    }
    pairs += "unicorn\tcountry1\t3\n";
    dir_.Write("pairs.txt", pairs);
  }

  TempDir dir_;
};

TEST_F(AgreementTest, AnalogyAnswersMatchGensimQuestionByQuestion) {
  ASSERT_TRUE(PythonImports("gensim", "python3-gensim"));
  for (const char* vectors : {"vectors.txt", "vectors.bin"}) {
    SCOPED_TRACE(vectors);
    const CommandRun reference =
        RunPython("test/gensim_reference.py", "analogy " + dir_.File(vectors) + " " +
                                                  dir_.File("questions.txt") + " " +
                                                  std::to_string(kRestrict));
    ASSERT_EQ(reference.exit_code, 0) << reference.output;
    const Verdicts gensim = ParseGensimVerdicts(reference.output);
    const Verdicts ours = W2vVerdicts(dir_.File(vectors), dir_.File("questions.txt"), kRestrict);

    // Exactly, with no allowance for near-ties: on this set no question's best two candidates
    // are within 2e-4 of each other (relative, by gensim's own scores, either method), a hundred
    // times the worst float rounding of these 32-term sums, so a verdict that differs is a bug,
    // not a tie broken the other way.
    int64_t disagreements = 0;
    std::string listed;
    auto disagree = [&](const Verdicts::key_type& key, const std::string& what) {
      if (++disagreements <= 20) {
        absl::StrAppend(&listed, "\n  ", std::get<0>(key), " ", std::get<1>(key), ": ",
                        std::get<2>(key), ": ", what);
      }
    };
    for (const auto& [key, right] : gensim) {
      const auto it = ours.find(key);
      if (it == ours.end()) {
        disagree(key, "gensim answered it, w2v skipped it");
      } else if (it->second != right) {
        disagree(key, right ? "gensim right, w2v wrong" : "gensim wrong, w2v right");
      }
    }
    for (const auto& [key, right] : ours) {
      if (!gensim.contains(key)) disagree(key, "w2v answered it, gensim skipped it");
    }
    EXPECT_EQ(disagreements, 0) << "the first of them:" << listed;

    // The command's table then follows, section by section, from gensim's verdicts.
    const RunResult r =
        RunW2v({"eval", "analogy", "--vectors", dir_.File(vectors), "--questions",
                dir_.File("questions.txt"), "--restrict", std::to_string(kRestrict)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    struct Tally {
      int64_t seen = 0;
      int64_t right = 0;
    };
    std::map<std::pair<std::string, std::string>, Tally> tallies;  // by (method, section)
    int64_t methods_differ = 0;
    for (const auto& [key, right] : gensim) {
      const auto& [method, section, question] = key;
      for (const std::string& name : {section, std::string("total")}) {
        Tally& tally = tallies[{method, name}];
        ++tally.seen;
        tally.right += right;
      }
      if (method == "3CosAdd") {
        const auto mul = gensim.find({"3CosMul", section, question});
        methods_differ += mul != gensim.end() && mul->second != right;
      }
    }
    const std::map<std::string, SectionScore> table = ParseAnalogyTable(r.out);
    for (const auto& [key, tally] : tallies) {
      const auto& [method, section] = key;
      ASSERT_TRUE(table.contains(section)) << section << "\n" << r.out;
      EXPECT_EQ(table.at(section).seen, tally.seen) << method << " " << section;
      const double percent =
          method == "3CosAdd" ? table.at(section).cos_add : table.at(section).cos_mul;
      // The table prints two decimals.
      EXPECT_NEAR(percent, 100.0 * tally.right / tally.seen, 0.005 + 1e-9)
          << method << " " << section;
    }
    // A section none of whose questions gensim answered has no accuracy: the table shows "-".
    EXPECT_FALSE(table.contains("unknown")) << r.out;
    // A set on which every method is right or wrong everywhere would test little, and one on
    // which the methods never differ could not tell 3CosMul from 3CosAdd.
    const Tally& total = tallies[{"3CosAdd", "total"}];
    EXPECT_GT(total.right, total.seen / 5);
    EXPECT_LT(total.right, total.seen * 9 / 10);
    EXPECT_GT(methods_differ, 0);
  }
}

TEST_F(AgreementTest, SimilarityMatchesGensimEvaluateWordPairs) {
  ASSERT_TRUE(PythonImports("gensim, scipy", "python3-gensim and python3-scipy"));
  const RunResult r = RunW2v({"eval", "similarity", "--vectors", dir_.File("vectors.bin"),
                              "--pairs", dir_.File("pairs.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  double rho = 0;
  long long seen = 0, total = 0, skipped = 0;
  const auto at = r.out.find(" rho ");
  ASSERT_NE(at, std::string::npos) << r.out;
  ASSERT_EQ(std::sscanf(r.out.c_str() + at, " rho %lf pairs %lld of %lld; %lld skipped", &rho,
                        &seen, &total, &skipped),
            4)
      << r.out;

  const CommandRun reference =
      RunPython("test/gensim_reference.py",
                "similarity " + dir_.File("vectors.bin") + " " + dir_.File("pairs.txt"));
  ASSERT_EQ(reference.exit_code, 0) << reference.output;
  const std::vector<std::string> fields =
      absl::StrSplit(absl::StripTrailingAsciiWhitespace(reference.output), '\t');
  ASSERT_EQ(fields.size(), 3u) << reference.output;
  EXPECT_EQ(fields[0], dir_.File("pairs.txt"));
  // w2v prints four decimals.
  EXPECT_NEAR(rho, std::stod(fields[1]), 0.5e-4 + 1e-9) << r.out << reference.output;
  // gensim reports the pairs it skipped as a percentage of all of them.
  EXPECT_EQ(total, 151);
  EXPECT_EQ(seen + skipped, total);
  EXPECT_NEAR(100.0 * skipped / total, std::stod(fields[2]), 1e-9) << r.out << reference.output;
}

// ---------------------------------------------------------------------------------------------
// The pictures: tools/plot_loss.py and tools/plot_words.py write PNGs and refuse bad input.

bool IsPng(const std::string& path) {
  return testing::ReadFile(path).rfind("\x89PNG\r\n\x1a\n", 0) == 0;
}

class PlotToolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(PythonImports("matplotlib, numpy", "python3-matplotlib and python3-numpy"));
  }
  TempDir dir_;
};

TEST_F(PlotToolsTest, LossCurvesOfSeveralRuns) {
  for (int threads : {1, 2}) {
    std::string metrics;
    for (int i = 1; i <= 4; ++i) {
      absl::StrAppend(&metrics, "{\"time_s\":", i * 0.5 / threads, ",\"words\":", i * 1000,
                      ",\"epoch\":0,\"progress\":", i * 0.25,
                      ",\"lr\":0.02,\"loss\":", i == 1 ? "null" : absl::StrCat(10.0 / i),
                      ",\"threads\":", threads, "}\n");
    }
    absl::StrAppend(&metrics, "{\"time_s\":2,\"words\":4000,\"loss\":1,\"threads\":", threads,
                    ",\"final\":true}\n");
    dir_.Write(absl::StrCat("t", threads, ".jsonl"), metrics);
  }
  const CommandRun run =
      RunPython("tools/plot_loss.py", dir_.File("t1.jsonl") + " " + dir_.File("t2.jsonl") + " -o " +
                                          dir_.File("loss.png"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(IsPng(dir_.File("loss.png")));

  dir_.Write("bad.jsonl", "{\"time_s\":1,\"words\":5,\"loss\":2}\n{\"time_s\":\n");
  const CommandRun bad = RunPython("tools/plot_loss.py", dir_.File("bad.jsonl"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.output, HasSubstr("bad.jsonl:2: not a JSON record"));
}

TEST_F(PlotToolsTest, WordPictureFromSampleJsonAndFromAVectorsFile) {
  dir_.Write("sample_vectors.json",
             "{\"king\": [1, 0.5, 0.1], \"queen\": [0.9, -0.5, 0.1], \"apple\": [0, 0, 1]}\n");
  const CommandRun sample = RunPython("tools/plot_words.py", dir_.File("sample_vectors.json"));
  ASSERT_EQ(sample.exit_code, 0) << sample.output;
  EXPECT_TRUE(IsPng(dir_.File("word_vectors.png")));  // beside the input by default

  const core::MatrixView view{const_cast<float*>(kRoyalValues.data()), 6, 3, 3};
  ASSERT_TRUE(io::WriteVectorsBinary(dir_.File("vectors.bin"), kRoyalWords, view).ok());
  const CommandRun vectors = RunPython(
      "tools/plot_words.py", "--vectors " + dir_.File("vectors.bin") +
                                 " --words man WOMAN king queen unicorn -o " + dir_.File("w.png"));
  ASSERT_EQ(vectors.exit_code, 0) << vectors.output;
  EXPECT_THAT(vectors.output, HasSubstr("'unicorn' is not in"));
  EXPECT_TRUE(IsPng(dir_.File("w.png")));

  const CommandRun usage = RunPython("tools/plot_words.py", "--vectors " + dir_.File("vectors.bin"));
  EXPECT_EQ(usage.exit_code, 2) << usage.output;
}

}  // namespace
}  // namespace w2v
