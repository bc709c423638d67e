#include "trainer/training_evaluation.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "absl/strings/str_format.h"
#include "core/status.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "trainer/metrics_log.h"
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
nlohmann::ordered_json Evaluate(const io::TrainConfig& config, const io::Vocabulary& vocab,
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
  nlohmann::ordered_json fields = {{"eval", true}, {"epochs_done", epochs_done}};
  std::string line =
      absl::StrFormat("evaluation after %d epoch%s:", epochs_done, epochs_done == 1 ? "" : "s");
  if (!sets.questions.empty()) {
    AnalogyScores scores;
    arena.execute([&] { scores = ScoreAnalogies(space, sets.questions); });
    const auto percent = [](const AnalogyTally& t) { return PercentCorrect(t.cos_add, t.seen); };
    fields["analogy_total"] = Rounded(percent(scores.total), 4);
    fields["analogy_semantic"] = Rounded(percent(scores.semantic), 4);
    fields["analogy_syntactic"] = Rounded(percent(scores.syntactic), 4);
    fields["analogy_seen"] = scores.total.seen;
    fields["analogy_questions"] = scores.total.total;
    absl::StrAppendFormat(&line,
                          " analogy %.2f%% (semantic %.2f%%, syntactic %.2f%%; %d of %d seen)",
                          percent(scores.total), percent(scores.semantic),
                          percent(scores.syntactic), scores.total.seen, scores.total.total);
  }
  for (size_t f = 0; f < sets.pairs.size(); ++f) {
    const SimilarityScore score = ScoreSimilarity(space, sets.pairs[f]);
    const std::string name = std::filesystem::path(config.eval.pairs[f]).filename().string();
    fields["rho " + name] = Rounded(score.rho, 4);  // NaN (no pair seen) is written as null
    absl::StrAppendFormat(&line, "; %s rho %s (%d of %d pairs)", name,
                          std::isnan(score.rho) ? "null" : absl::StrFormat("%.4f", score.rho),
                          score.seen, score.total);
  }
  spdlog::info("{}", line);
  return fields;
}

}  // namespace w2v::trainer
