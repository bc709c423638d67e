// Word analogies, "a is to b as c is to ?", answered by 3CosAdd (as word2vec's compute-accuracy and
// gensim's evaluate_word_analogies answer them) and by 3CosMul (as gensim's most_similar_cosmul).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/unit_vectors.h"
#include "core/word_lookup.h"

namespace w2v::core {

// "a is to b as c is to ?", each word given by its canonical row.
struct AnalogyQuestion {
  int32_t a;
  int32_t b;
  int32_t c;
};

// The canonical rows each method answers, or -1 when every row is one of the question's words.
struct AnalogyAnswer {
  int32_t cos_add = -1;
  int32_t cos_mul = -1;
};

// Answers every question by 3CosAdd (the row of highest cos(x, b − a + c)) and 3CosMul (highest
// cos'(x, b)·cos'(x, c) / (cos'(x, a) + 1e-6) with cos' = (1 + cos) / 2, as gensim's
// most_similar_cosmul), over all rows of `vectors` except the spellings of a, b and c. The rows are
// cut into tiles that fit in L2 with their scores; per tile, the unit vectors of all the questions'
// distinct words times the tile's rows is one matrix product, and every question combines three
// rows of the result. Questions share words (questions-words.txt has 19,544 over 905 words), so
// this does a fraction of the work of one product per question. Tiles run in parallel on the
// calling TBB arena. `lookup` must describe the rows of `vectors`.
std::vector<AnalogyAnswer> AnswerAnalogies(const UnitVectors& vectors, const WordLookup& lookup,
                                           std::span<const AnalogyQuestion> questions);

}  // namespace w2v::core
