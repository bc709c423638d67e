#include "trainer/training_evaluation.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "absl/strings/str_format.h"
#include "core/status.h"
#include "io/vectors.h"
#include "spdlog/spdlog.h"
#include "trainer/vector_space.h"

namespace w2v::trainer {

absl::StatusOr<EvaluationSets> ReadEvaluationSets(const io::TrainConfig& config) {
  EvaluationSets sets;
  if (config.eval.every_epochs == 0) return sets;
  if (!config.eval.questions.empty()) {
    ASSIGN_OR_RETURN(sets.questions, io::ReadAnalogyQuestions(config.eval.questions));
  }
  for (const std::string& path : config.eval.pairs) {
    ASSIGN_OR_RETURN(std::vector<io::WordPair> pairs, io::ReadWordPairs(path));
    sets.pairs.push_back(std::move(pairs));
  }
  return sets;
}

// Evaluates the center vectors as they stand (the workers are between epochs) and returns the
// metrics record's fields.
std::string Evaluate(const io::TrainConfig& config, const io::Vocabulary& vocab,
                     const core::EmbeddingStore& store, const EvaluationSets& sets,
                     int64_t epochs_done, tbb::task_arena& arena) {
  const int64_t rows = config.eval.restrict > 0
                           ? std::min<int64_t>(config.eval.restrict, vocab.size())
                           : vocab.size();
  std::vector<std::string> words(rows);
  for (int64_t w = 0; w < rows; ++w) words[w] = vocab.word(static_cast<int32_t>(w));
  const core::MatrixView center = store.center();
  const VectorSpace space =
      MakeVectorSpace(std::move(words), center.data, rows, center.dim, center.stride);
  std::string fields = absl::StrFormat("\"eval\":true,\"epochs_done\":%d", epochs_done);
  std::string line =
      absl::StrFormat("evaluation after %d epoch%s:", epochs_done, epochs_done == 1 ? "" : "s");
  if (!sets.questions.empty()) {
    AnalogyScores scores;
    arena.execute([&] { scores = ScoreAnalogies(space, sets.questions); });
    const auto percent = [](const AnalogyTally& t) {
      return t.seen > 0 ? 100.0 * static_cast<double>(t.cos_add) / static_cast<double>(t.seen)
                        : 0.0;
    };
    absl::StrAppendFormat(&fields,
                          ",\"analogy_total\":%.4f,\"analogy_semantic\":%.4f,"
                          "\"analogy_syntactic\":%.4f,\"analogy_seen\":%d,\"analogy_questions\":%d",
                          percent(scores.total), percent(scores.semantic),
                          percent(scores.syntactic), scores.total.seen, scores.total.total);
    absl::StrAppendFormat(&line,
                          " analogy %.2f%% (semantic %.2f%%, syntactic %.2f%%; %d of %d seen)",
                          percent(scores.total), percent(scores.semantic),
                          percent(scores.syntactic), scores.total.seen, scores.total.total);
  }
  for (size_t f = 0; f < sets.pairs.size(); ++f) {
    const SimilarityScore score = ScoreSimilarity(space, sets.pairs[f]);
    const std::string name = std::filesystem::path(config.eval.pairs[f]).filename().string();
    const std::string rho = std::isnan(score.rho) ? "null" : absl::StrFormat("%.4f", score.rho);
    absl::StrAppendFormat(&fields, ",%s:%s", io::JsonString("rho " + name), rho);
    absl::StrAppendFormat(&line, "; %s rho %s (%d of %d pairs)", name, rho, score.seen,
                          score.total);
  }
  spdlog::info("{}", line);
  return fields;
}

}  // namespace w2v::trainer
