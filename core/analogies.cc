#include "core/analogies.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "tbb/blocked_range.h"
#include "tbb/enumerable_thread_specific.h"
#include "tbb/parallel_for.h"

namespace w2v::core {
namespace {

// Word scores one analogy task keeps: 2^18 floats (1 MB) sit in a 2 MB L2 cache beside the rows
// of the tile they score. With the 905 words of questions-words.txt a tile is 256 rows.
constexpr int64_t kScoreBudget = int64_t{1} << 18;
constexpr int64_t kMaxTileRows = 1024;
// Tiles are whole row blocks of UnitVectors::Dots, so that only the last one has a slower tail.
constexpr int64_t kLanes = UnitVectors::kRowBlock;

// The best row of one tile, or of several: higher score wins, then the lower row.
struct Candidate {
  float score = kNoScore;
  int32_t row = -1;
};

void KeepBetter(const Candidate& other, Candidate* best) {
  if (other.score > best->score ||
      (other.score == best->score && other.row >= 0 && other.row < best->row)) {
    *best = other;
  }
}

float MaxOf(const float* x, int64_t n) {
  float top = kNoScore;
#pragma omp simd reduction(max : top)
  for (int64_t i = 0; i < n; ++i) top = x[i] > top ? x[i] : top;
  return top;
}

// Makes the first position of `top` in x (the tile's maximum) the best when it beats the best so
// far. The scalar search for that position runs only then, which after a question's first tiles is
// rare.
void KeepTileBest(const float* x, float top, int32_t first_row, Candidate* best) {
  if (top == kNoScore || top < best->score) return;
  int64_t i = 0;
  while (x[i] != top) ++i;
  KeepBetter({top, first_row + static_cast<int32_t>(i)}, best);
}

// The distinct words of the questions and, per question, its a, b and c as indices among them.
struct QuestionWords {
  QuestionWords(const UnitVectors& vectors, std::span<const AnalogyQuestion> questions) {
    absl::flat_hash_map<int32_t, int32_t> slot_of_row;
    for (const AnalogyQuestion& question : questions) {
      for (int32_t row : {question.a, question.b, question.c}) {
        auto [it, inserted] = slot_of_row.emplace(row, static_cast<int32_t>(rows.size()));
        if (inserted) rows.push_back(row);
        slots.push_back(it->second);
      }
    }
    unit_vectors.resize(rows.size() * vectors.dim());
    for (size_t w = 0; w < rows.size(); ++w) {
      vectors.CopyRow(rows[w], unit_vectors.data() + w * vectors.dim());
    }
  }

  std::vector<int32_t> rows;
  std::vector<float> unit_vectors;  // rows.size() × dim
  std::vector<int32_t> slots;       // 3 per question
};

struct AnalogyScratch {
  AnalogyScratch(size_t words, int64_t tile_rows, size_t questions)
      : scores(words * tile_rows), add(tile_rows), mul(tile_rows), best(questions) {}
  std::vector<float> scores;                          // the questions' words × the tile's rows
  std::vector<float> add;                             // one question's 3CosAdd scores over the tile
  std::vector<float> mul;                             // and its 3CosMul scores
  std::vector<std::pair<Candidate, Candidate>> best;  // per question: 3CosAdd, 3CosMul so far
};

}  // namespace

std::vector<AnalogyAnswer> AnswerAnalogies(const UnitVectors& vectors, const WordLookup& lookup,
                                           std::span<const AnalogyQuestion> questions) {
  const QuestionWords words(vectors, questions);
  const int64_t word_count = std::max<int64_t>(static_cast<int64_t>(words.rows.size()), 1);
  const int64_t tile_rows =
      std::clamp(kScoreBudget / word_count / kLanes * kLanes, kLanes, kMaxTileRows);
  // Every spelling of a question's words is left out of its answers: offsets into `excluded`.
  std::vector<int32_t> excluded;
  std::vector<size_t> excluded_begin = {0};
  for (const AnalogyQuestion& question : questions) {
    for (int32_t word : {question.a, question.b, question.c}) {
      for (int32_t row : lookup.Spellings(word)) excluded.push_back(row);
    }
    excluded_begin.push_back(excluded.size());
  }

  tbb::enumerable_thread_specific<AnalogyScratch> scratch(words.rows.size(), tile_rows,
                                                          questions.size());
  const int64_t tiles = (vectors.rows() + tile_rows - 1) / tile_rows;
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, tiles, 1), [&](const auto& range) {
    AnalogyScratch& local = scratch.local();
    float* add = local.add.data();
    float* mul = local.mul.data();
    for (int64_t tile = range.begin(); tile < range.end(); ++tile) {
      const int64_t begin = tile * tile_rows;
      const int64_t end = std::min(begin + tile_rows, vectors.rows());
      const int64_t length = end - begin;
      // One matrix product: every question word against every row of the tile.
      vectors.Dots(words.unit_vectors.data(), static_cast<int64_t>(words.rows.size()), begin, end,
                   local.scores.data());
      for (size_t q = 0; q < questions.size(); ++q) {
        const float* a = local.scores.data() + words.slots[3 * q] * length;
        const float* b = local.scores.data() + words.slots[3 * q + 1] * length;
        const float* c = local.scores.data() + words.slots[3 * q + 2] * length;
        // The rows are unit vectors, so x·b − x·a + x·c ranks rows as cos(x, b − a + c) does.
        float top_add = kNoScore, top_mul = kNoScore;
#pragma omp simd reduction(max : top_add, top_mul)
        for (int64_t j = 0; j < length; ++j) {
          const float by_add = b[j] - a[j] + c[j];
          const float by_mul =
              (0.5f * (1.0f + b[j])) * (0.5f * (1.0f + c[j])) / (0.5f * (1.0f + a[j]) + 1e-6f);
          add[j] = by_add;
          mul[j] = by_mul;
          // By value, not std::max: a reference to either operand keeps GCC from vectorising.
          top_add = by_add > top_add ? by_add : top_add;
          top_mul = by_mul > top_mul ? by_mul : top_mul;
        }
        bool masked = false;
        for (size_t e = excluded_begin[q]; e < excluded_begin[q + 1]; ++e) {
          if (excluded[e] >= begin && excluded[e] < end) {
            add[excluded[e] - begin] = kNoScore;
            mul[excluded[e] - begin] = kNoScore;
            masked = true;
          }
        }
        if (masked) {
          top_add = MaxOf(add, length);
          top_mul = MaxOf(mul, length);
        }
        const int32_t first_row = static_cast<int32_t>(begin);
        KeepTileBest(add, top_add, first_row, &local.best[q].first);
        KeepTileBest(mul, top_mul, first_row, &local.best[q].second);
      }
    }
  });

  std::vector<std::pair<Candidate, Candidate>> best(questions.size());
  for (const AnalogyScratch& local : scratch) {
    for (size_t q = 0; q < questions.size(); ++q) {
      KeepBetter(local.best[q].first, &best[q].first);
      KeepBetter(local.best[q].second, &best[q].second);
    }
  }
  std::vector<AnalogyAnswer> answers(questions.size());
  const std::span<const int32_t> canonical = lookup.canonical();
  for (size_t q = 0; q < questions.size(); ++q) {
    if (best[q].first.row >= 0) answers[q].cos_add = canonical[best[q].first.row];
    if (best[q].second.row >= 0) answers[q].cos_mul = canonical[best[q].second.row];
  }
  return answers;
}

}  // namespace w2v::core
