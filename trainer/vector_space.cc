#include "trainer/vector_space.h"

#include <algorithm>

#include "core/analogies.h"
#include "core/rank_statistics.h"
#include "core/status.h"
#include "io/vector_reader.h"

namespace w2v::trainer {

absl::StatusOr<VectorSpace> LoadVectorSpace(const std::string& path, int64_t max_rows) {
  ASSIGN_OR_RETURN(io::WordVectors vectors, io::ReadVectors(path, max_rows));
  core::WordLookup lookup(vectors.words);
  core::UnitVectors unit(vectors.values.data(), vectors.rows(), vectors.dim);
  return VectorSpace{std::move(vectors.words), std::move(lookup), std::move(unit),
                     vectors.header_rows};
}

VectorSpace MakeVectorSpace(std::vector<std::string> words, const float* rows, int64_t count,
                            int64_t dim, int64_t stride) {
  std::vector<float> packed(static_cast<size_t>(count * dim));
  for (int64_t r = 0; r < count; ++r) {
    std::copy(rows + r * stride, rows + r * stride + dim, packed.begin() + r * dim);
  }
  core::WordLookup lookup(words);
  core::UnitVectors unit(packed.data(), count, dim);
  return VectorSpace{std::move(words), std::move(lookup), std::move(unit), count};
}

void AnalogyTally::Add(const AnalogyTally& other) {
  total += other.total;
  seen += other.seen;
  cos_add += other.cos_add;
  cos_mul += other.cos_mul;
}

AnalogyScores ScoreAnalogies(const VectorSpace& space,
                             const std::vector<io::AnalogySection>& sections) {
  AnalogyScores scores;
  scores.sections.resize(sections.size());
  std::vector<core::AnalogyQuestion> questions;
  std::vector<int32_t> expected;
  std::vector<size_t> section_of;
  for (size_t s = 0; s < sections.size(); ++s) {
    for (const auto& words : sections[s].questions) {
      ++scores.sections[s].total;
      int32_t rows[4];
      bool known = true;
      for (int i = 0; i < 4; ++i) {
        rows[i] = space.lookup.Find(words[i]);
        known &= rows[i] >= 0;
      }
      if (!known) continue;
      ++scores.sections[s].seen;
      questions.push_back({rows[0], rows[1], rows[2]});
      expected.push_back(rows[3]);
      section_of.push_back(s);
    }
  }
  const std::vector<core::AnalogyAnswer> answers =
      core::AnswerAnalogies(space.unit, space.lookup, questions);
  for (size_t q = 0; q < questions.size(); ++q) {
    scores.sections[section_of[q]].cos_add += answers[q].cos_add == expected[q];
    scores.sections[section_of[q]].cos_mul += answers[q].cos_mul == expected[q];
  }
  for (size_t s = 0; s < sections.size(); ++s) {
    (s < kSemanticSections ? scores.semantic : scores.syntactic).Add(scores.sections[s]);
  }
  scores.total = scores.semantic;
  scores.total.Add(scores.syntactic);
  return scores;
}

SimilarityScore ScoreSimilarity(const VectorSpace& space, const std::vector<io::WordPair>& pairs) {
  const int64_t dim = space.unit.dim();
  std::vector<float> first(dim), second(dim);
  std::vector<double> model, human;
  for (const io::WordPair& pair : pairs) {
    const int32_t a = space.lookup.Find(pair.first);
    const int32_t b = space.lookup.Find(pair.second);
    if (a < 0 || b < 0) continue;
    space.unit.CopyRow(a, first.data());
    space.unit.CopyRow(b, second.data());
    double cosine = 0;
    for (int64_t i = 0; i < dim; ++i) cosine += static_cast<double>(first[i]) * second[i];
    model.push_back(cosine);
    human.push_back(pair.score);
  }
  return {core::SpearmanRho(model, human), static_cast<int64_t>(model.size()),
          static_cast<int64_t>(pairs.size())};
}

}  // namespace w2v::trainer
