#include "core/evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/vector_ops.h"
#include "tbb/blocked_range.h"
#include "tbb/enumerable_thread_specific.h"
#include "tbb/parallel_for.h"

namespace w2v::core {
namespace {

constexpr float kNoScore = -std::numeric_limits<float>::infinity();

// Rows scored per analogy task: 100 coordinates of 1,024 rows (400 KB) stay in a 2 MB L2 cache
// while every block of questions is scored against them.
constexpr int64_t kTileRows = 1024;
// Words per block of questions: their scores against a tile, 128 × 1,024 floats (512 KB), sit
// beside the tile in L2. The 905 words of questions-words.txt make 11 blocks.
constexpr int64_t kMaxBlockWords = 128;
// Score columns one query accumulates in registers while it walks the coordinates.
constexpr int64_t kLanes = 64;

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

// The first position of the largest value of x[0, n), or no candidate when all are kNoScore.
Candidate ArgMax(const float* x, int64_t n, int32_t first_row) {
  float top = kNoScore;
#pragma omp simd reduction(max : top)
  for (int64_t i = 0; i < n; ++i) top = std::max(top, x[i]);
  if (top == kNoScore) return {};
  int64_t i = 0;
  while (x[i] != top) ++i;
  return {top, first_row + static_cast<int32_t>(i)};
}

// Consecutive questions whose a, b and c words number at most kMaxBlockWords.
struct QuestionBlock {
  int64_t first_question = 0;
  std::vector<int32_t> word_rows;      // the block's distinct words
  std::vector<float> unit_vectors;     // their unit vectors, word_rows.size() × dim
  std::vector<int32_t> slots;          // per question of the block: a, b, c as indices in word_rows
};

std::vector<QuestionBlock> MakeBlocks(const UnitVectors& vectors,
                                      std::span<const AnalogyQuestion> questions) {
  std::vector<QuestionBlock> blocks;
  absl::flat_hash_map<int32_t, int32_t> slot_of_row;
  for (size_t q = 0; q < questions.size(); ++q) {
    const int32_t words[3] = {questions[q].a, questions[q].b, questions[q].c};
    int64_t new_words = 0;
    for (int32_t w : words) new_words += slot_of_row.contains(w) ? 0 : 1;
    if (blocks.empty() ||
        static_cast<int64_t>(blocks.back().word_rows.size()) + new_words > kMaxBlockWords) {
      blocks.emplace_back().first_question = static_cast<int64_t>(q);
      slot_of_row.clear();
    }
    QuestionBlock& block = blocks.back();
    for (int32_t w : words) {
      auto [it, inserted] = slot_of_row.emplace(w, static_cast<int32_t>(block.word_rows.size()));
      if (inserted) block.word_rows.push_back(w);
      block.slots.push_back(it->second);
    }
  }
  for (QuestionBlock& block : blocks) {
    block.unit_vectors.resize(block.word_rows.size() * vectors.dim());
    for (size_t w = 0; w < block.word_rows.size(); ++w) {
      vectors.CopyRow(block.word_rows[w], block.unit_vectors.data() + w * vectors.dim());
    }
  }
  return blocks;
}

struct AnalogyScratch {
  explicit AnalogyScratch(size_t questions)
      : scores(kMaxBlockWords * kTileRows), add(kTileRows), mul(kTileRows), best(questions) {}
  std::vector<float> scores;  // a block's words × the tile's rows
  std::vector<float> add;     // one question's 3CosAdd scores over the tile
  std::vector<float> mul;     // and its 3CosMul scores
  std::vector<std::pair<Candidate, Candidate>> best;  // per question: 3CosAdd, 3CosMul so far
};

}  // namespace

std::string FoldCase(const std::string& word) {
  std::string folded = word;
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

WordLookup::WordLookup(std::span<const std::string> words) {
  canonical_.resize(words.size());
  for (size_t r = 0; r < words.size(); ++r) {
    const int32_t row = static_cast<int32_t>(r);
    auto [it, inserted] = canonical_of_folded_.emplace(FoldCase(words[r]), row);
    canonical_[r] = it->second;
    if (!inserted) later_spellings_.emplace_back(it->second, row);
  }
  std::sort(later_spellings_.begin(), later_spellings_.end());
}

int32_t WordLookup::Find(const std::string& word) const {
  auto it = canonical_of_folded_.find(FoldCase(word));
  return it == canonical_of_folded_.end() ? -1 : it->second;
}

std::vector<int32_t> WordLookup::Spellings(int32_t row) const {
  std::vector<int32_t> rows = {row};
  auto it = std::lower_bound(later_spellings_.begin(), later_spellings_.end(),
                             std::pair<int32_t, int32_t>(row, -1));
  for (; it != later_spellings_.end() && it->first == row; ++it) rows.push_back(it->second);
  return rows;
}

UnitVectors::UnitVectors(const float* vectors, int64_t rows, int64_t dim)
    : rows_(rows), dim_(dim), transposed_(rows * dim) {
  for (int64_t j = 0; j < rows; ++j) {
    const float* row = vectors + j * dim;
    const float norm = std::sqrt(Dot(row, row, dim));
    const float scale = norm > 0 ? 1.0f / norm : 0.0f;
    for (int64_t i = 0; i < dim; ++i) transposed_[i * rows + j] = row[i] * scale;
  }
}

void UnitVectors::CopyRow(int64_t row, float* out) const {
  for (int64_t i = 0; i < dim_; ++i) out[i] = transposed_[i * rows_ + row];
}

void UnitVectors::Dots(const float* queries, int64_t count, int64_t begin, int64_t end,
                       float* scores) const {
  const int64_t length = end - begin;
  for (int64_t q = 0; q < count; ++q) {
    const float* query = queries + q * dim_;
    float* out = scores + q * length;
    int64_t j = 0;
    // kLanes scores held in registers across all coordinates: one load per multiply-add, one
    // store per score.
    for (; j + kLanes <= length; j += kLanes) {
      float sums[kLanes] = {};
      for (int64_t i = 0; i < dim_; ++i) {
        const float qi = query[i];
        const float* column = transposed_.data() + i * rows_ + begin + j;
#pragma omp simd
        for (int64_t l = 0; l < kLanes; ++l) sums[l] += qi * column[l];
      }
      std::copy(sums, sums + kLanes, out + j);
    }
    if (j == length) continue;
    std::fill(out + j, out + length, 0.0f);
    for (int64_t i = 0; i < dim_; ++i) {
      Axpy(query[i], transposed_.data() + i * rows_ + begin + j, out + j, length - j);
    }
  }
}

std::vector<Neighbor> NearestNeighbors(const UnitVectors& vectors, std::span<const float> query,
                                       int64_t k, std::span<const int32_t> excluded) {
  std::vector<float> scores(vectors.rows());
  vectors.Dots(query.data(), 1, 0, vectors.rows(), scores.data());
  for (int32_t row : excluded) scores[row] = kNoScore;
  std::vector<int32_t> rows(vectors.rows());
  std::iota(rows.begin(), rows.end(), 0);
  k = std::clamp<int64_t>(k, 0, vectors.rows());
  std::partial_sort(rows.begin(), rows.begin() + k, rows.end(), [&](int32_t x, int32_t y) {
    return scores[x] > scores[y] || (scores[x] == scores[y] && x < y);
  });
  const float norm = std::sqrt(Dot(query.data(), query.data(), vectors.dim()));
  std::vector<Neighbor> neighbors;
  // Excluded rows sort last: stop at the first.
  for (int64_t n = 0; n < k && scores[rows[n]] != kNoScore; ++n) {
    neighbors.push_back({rows[n], norm > 0 ? scores[rows[n]] / norm : 0.0f});
  }
  return neighbors;
}

std::vector<AnalogyAnswer> AnswerAnalogies(const UnitVectors& vectors, const WordLookup& lookup,
                                           std::span<const AnalogyQuestion> questions) {
  const std::vector<QuestionBlock> blocks = MakeBlocks(vectors, questions);
  // Every spelling of a question's words is left out of its answers: offsets into `excluded`.
  std::vector<int32_t> excluded;
  std::vector<size_t> excluded_begin = {0};
  for (const AnalogyQuestion& question : questions) {
    for (int32_t word : {question.a, question.b, question.c}) {
      for (int32_t row : lookup.Spellings(word)) excluded.push_back(row);
    }
    excluded_begin.push_back(excluded.size());
  }

  tbb::enumerable_thread_specific<AnalogyScratch> scratch(questions.size());
  const int64_t tiles = (vectors.rows() + kTileRows - 1) / kTileRows;
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, tiles, 1), [&](const auto& range) {
    AnalogyScratch& local = scratch.local();
    for (int64_t tile = range.begin(); tile < range.end(); ++tile) {
      const int64_t begin = tile * kTileRows;
      const int64_t end = std::min(begin + kTileRows, vectors.rows());
      const int64_t length = end - begin;
      float* add = local.add.data();
      float* mul = local.mul.data();
      for (const QuestionBlock& block : blocks) {
        vectors.Dots(block.unit_vectors.data(), static_cast<int64_t>(block.word_rows.size()),
                     begin, end, local.scores.data());
        const int64_t block_questions = static_cast<int64_t>(block.slots.size() / 3);
        for (int64_t n = 0; n < block_questions; ++n) {
          const float* a = local.scores.data() + block.slots[3 * n] * length;
          const float* b = local.scores.data() + block.slots[3 * n + 1] * length;
          const float* c = local.scores.data() + block.slots[3 * n + 2] * length;
          // The rows are unit vectors, so x·b − x·a + x·c ranks rows as cos(x, b − a + c) does.
#pragma omp simd
          for (int64_t j = 0; j < length; ++j) {
            add[j] = b[j] - a[j] + c[j];
            mul[j] = (0.5f * (1.0f + b[j])) * (0.5f * (1.0f + c[j])) /
                     (0.5f * (1.0f + a[j]) + 1e-6f);
          }
          const int64_t q = block.first_question + n;
          for (size_t e = excluded_begin[q]; e < excluded_begin[q + 1]; ++e) {
            if (excluded[e] >= begin && excluded[e] < end) {
              add[excluded[e] - begin] = kNoScore;
              mul[excluded[e] - begin] = kNoScore;
            }
          }
          KeepBetter(ArgMax(add, length, static_cast<int32_t>(begin)), &local.best[q].first);
          KeepBetter(ArgMax(mul, length, static_cast<int32_t>(begin)), &local.best[q].second);
        }
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

std::vector<double> AverageRanks(std::span<const double> values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return values[x] < values[y]; });
  std::vector<double> ranks(values.size());
  for (size_t first = 0; first < order.size();) {
    size_t last = first + 1;
    while (last < order.size() && values[order[last]] == values[order[first]]) ++last;
    // Positions first..last-1 hold equal values: each gets the mean of ranks first+1..last.
    const double rank = 0.5 * static_cast<double>(first + 1 + last);
    for (size_t i = first; i < last; ++i) ranks[order[i]] = rank;
    first = last;
  }
  return ranks;
}

double SpearmanRho(std::span<const double> x, std::span<const double> y) {
  const size_t n = x.size();
  if (n < 2 || y.size() != n) return std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> rx = AverageRanks(x);
  const std::vector<double> ry = AverageRanks(y);
  const double mean = 0.5 * static_cast<double>(n + 1);  // the mean of any n average ranks
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  if (sxx == 0 || syy == 0) return std::numeric_limits<double>::quiet_NaN();
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace w2v::core
