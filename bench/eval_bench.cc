// The analogy evaluation on questions shaped like questions-words.txt (its 14 sections, with as
// many word pairs and questions each: 19,544 questions over about 900 words) against 30,000 random
// 100-dimensional vectors, every question seen: what `w2v eval analogy --restrict 30000` answers,
// without reading files. items/s counts questions, each answered by 3CosAdd and 3CosMul.
#include <algorithm>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/analogies.h"
#include "core/random.h"
#include "core/unit_vectors.h"
#include "core/word_lookup.h"
#include "tbb/task_arena.h"

namespace w2v::core {
namespace {

constexpr int64_t kRows = 30000;
constexpr int64_t kDim = 100;

struct SectionShape {
  int pairs;
  int questions;
};
constexpr SectionShape kQuestionsWords[] = {
    {23, 506},  {116, 4524}, {30, 866},  {68, 2467}, {23, 506},  {32, 992},  {29, 812},
    {37, 1332}, {34, 1122},  {33, 1056}, {41, 1599}, {40, 1560}, {37, 1332}, {30, 870}};

// Each section's questions "a b c d" join two of its pairs (a, b) and (c, d), as the real file
// does.
std::vector<AnalogyQuestion> QuestionsLikeQuestionsWords(Rng& rng) {
  std::vector<AnalogyQuestion> questions;
  for (const SectionShape& section : kQuestionsWords) {
    std::vector<std::pair<int32_t, int32_t>> pairs;
    for (int p = 0; p < section.pairs; ++p) {
      pairs.emplace_back(static_cast<int32_t>(rng.Below(kRows)),
                         static_cast<int32_t>(rng.Below(kRows)));
    }
    std::vector<AnalogyQuestion> all;
    for (size_t i = 0; i < pairs.size(); ++i) {
      for (size_t j = 0; j < pairs.size(); ++j) {
        if (i != j) all.push_back({pairs[i].first, pairs[i].second, pairs[j].first});
      }
    }
    for (int q = 0; q < section.questions; ++q) {
      std::swap(all[q], all[q + rng.Below(static_cast<uint32_t>(all.size() - q))]);
      questions.push_back(all[q]);
    }
  }
  return questions;
}

void BM_AnswerAnalogies(benchmark::State& state) {
  Rng rng(1);
  std::vector<float> values(kRows * kDim);
  for (float& v : values) v = rng.UniformFloat() - 0.5f;
  std::vector<std::string> words;
  for (int64_t r = 0; r < kRows; ++r) words.push_back(std::to_string(r));
  const WordLookup lookup(words);
  const UnitVectors unit(values.data(), kRows, kDim);
  const std::vector<AnalogyQuestion> questions = QuestionsLikeQuestionsWords(rng);
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    arena.execute([&] { benchmark::DoNotOptimize(AnswerAnalogies(unit, lookup, questions)); });
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(questions.size()));
}
BENCHMARK(BM_AnswerAnalogies)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace w2v::core

BENCHMARK_MAIN();
