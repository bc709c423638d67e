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

// Word scores one analogy task keeps: 2^18 floats (1 MB) sit in a 2 MB L2 cache beside the rows
// of the tile they score. With the 905 words of questions-words.txt a tile is 256 rows.
constexpr int64_t kScoreBudget = int64_t{1} << 18;
constexpr int64_t kMaxTileRows = 1024;
// The Dots kernel's register block: the scores of kQueries queries × kLanes rows (8 AVX-512
// registers) accumulate in registers while it walks the coordinates, and each stretch of a
// coordinate's row serves kQueries queries while it is in L1.
constexpr int64_t kQueries = 4;
constexpr int64_t kLanes = 32;

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
  int64_t j = 0;
  for (; j + kLanes <= length; j += kLanes) {
    const float* columns = transposed_.data() + begin + j;
    int64_t q = 0;
    for (; q + kQueries <= count; q += kQueries) {
      float sums[kQueries][kLanes] = {};
      const float* query = queries + q * dim_;
      // Not unrolled: GCC then keeps `sums` in registers instead of on the stack.
#pragma GCC unroll 1
      for (int64_t i = 0; i < dim_; ++i) {
        const float* column = columns + i * rows_;
        for (int64_t k = 0; k < kQueries; ++k) {
          const float qi = query[k * dim_ + i];
#pragma omp simd
          for (int64_t l = 0; l < kLanes; ++l) sums[k][l] += qi * column[l];
        }
      }
      for (int64_t k = 0; k < kQueries; ++k) {
        std::copy(sums[k], sums[k] + kLanes, scores + (q + k) * length + j);
      }
    }
    for (; q < count; ++q) {
      float sums[kLanes] = {};
      const float* query = queries + q * dim_;
#pragma GCC unroll 1
      for (int64_t i = 0; i < dim_; ++i) {
        const float qi = query[i];
        const float* column = columns + i * rows_;
#pragma omp simd
        for (int64_t l = 0; l < kLanes; ++l) sums[l] += qi * column[l];
      }
      std::copy(sums, sums + kLanes, scores + q * length + j);
    }
  }
  if (j == length) return;
  for (int64_t q = 0; q < count; ++q) {
    float* out = scores + q * length;
    std::fill(out + j, out + length, 0.0f);
    for (int64_t i = 0; i < dim_; ++i) {
      Axpy(queries[q * dim_ + i], transposed_.data() + i * rows_ + begin + j, out + j, length - j);
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
