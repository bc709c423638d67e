// Evaluation during training (eval.every_epochs): the evaluation sets, read before training so a
// bad file fails at once, and the scores of the center vectors between epochs as a metrics record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/embedding_store.h"
#include "io/config.h"
#include "io/evaluation_sets.h"
#include "io/vocabulary.h"
#include "nlohmann/json_fwd.hpp"
#include "oneapi/tbb/task_arena.h"

namespace w2v::trainer {

// What eval.every_epochs evaluates with, read before training so a bad file fails at once.
struct EvaluationSets {
  std::vector<io::AnalogySection> questions;
  std::vector<std::vector<io::WordPair>> pairs;
};

absl::StatusOr<EvaluationSets> ReadEvaluationSets(const io::TrainConfig& config);

// Evaluates the center vectors as they stand (the workers are between epochs) and returns the
// metrics record's fields.
nlohmann::ordered_json Evaluate(const io::TrainConfig& config, const io::Vocabulary& vocab,
                                const core::EmbeddingStore& store, const EvaluationSets& sets,
                                int64_t epochs_done, tbb::task_arena& arena);

}  // namespace w2v::trainer
