#include "io/config_constraints.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "io/toml_writer.h"

namespace w2v::io {
namespace {

// A random-context batch keeps each window's gradient (a padded row and its coefficients) until
// the batch's one update: a million windows of dim 100 are about 500 MB.
constexpr int64_t kMaxRandomContextBatch = 1'000'000;

}  // namespace

absl::Status CheckConstraints(const TrainConfig& c,
                              const std::map<std::string, std::string>& set_at,
                              const std::string& source) {
  auto location = [&](std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
      if (auto it = set_at.find(key); it != set_at.end()) return it->second;
    }
    return source;
  };
  if (c.model.loss == LossKind::kNegativeSampling && c.model.negatives < 1) {
    return absl::OutOfRangeError(absl::StrCat(
        location({"model.negatives", "model.loss"}), ": model.negatives: ", c.model.negatives,
        " is out of range: negative_sampling needs at least 1 negative"));
  }
  if (c.eval.every_epochs > 0 && c.eval.questions.empty() && c.eval.pairs.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(location({"eval.every_epochs"}),
                     ": eval.every_epochs: needs eval.questions or eval.pairs to evaluate with"));
  }
  if (c.optim.min_lr > c.optim.lr) {
    return absl::OutOfRangeError(absl::StrCat(
        location({"optim.min_lr", "optim.lr"}), ": optim.min_lr: ", ShortestDouble(c.optim.min_lr),
        " is out of range [0, optim.lr = ", ShortestDouble(c.optim.lr), "]"));
  }
  if (c.optim.iterations > std::numeric_limits<int64_t>::max() / c.optim.batch_windows) {
    return absl::OutOfRangeError(absl::StrCat(
        location({"optim.iterations", "optim.batch_windows"}), ": optim.iterations: ",
        c.optim.iterations, " iterations of ", c.optim.batch_windows,
        " windows are more windows than can be counted"));
  }
  if (c.model.arch == ArchKind::kCbow && c.model.loss == LossKind::kSoftmax) {
    return absl::InvalidArgumentError(absl::StrCat(
        location({"model.arch", "model.loss"}),
        ": model.arch: \"cbow\" trains with model.loss = \"negative_sampling\" or "
        "\"hierarchical_softmax\" (CBOW with the naive softmax is not built)"));
  }
  if (c.optim.kernel == KernelKind::kPairwise &&
      (c.model.arch == ArchKind::kCbow || c.model.loss == LossKind::kHierarchicalSoftmax)) {
    return absl::InvalidArgumentError(absl::StrCat(
        location({"optim.kernel", "model.arch", "model.loss"}),
        ": optim.kernel: \"pairwise\" is the assignment's skip-gram step, with negative_sampling "
        "or softmax; cbow and hierarchical_softmax train with the block kernel"));
  }
  if (c.optim.sampling == SamplingKind::kRandomContext) {
    if (c.optim.iterations <= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          location({"optim.sampling", "optim.iterations"}),
          ": optim.sampling: \"random_context\" needs optim.iterations > 0 (it draws windows at "
          "random, so there are no epochs)"));
    }
    if (c.model.loss != LossKind::kNegativeSampling) {
      return absl::InvalidArgumentError(
          absl::StrCat(location({"optim.sampling", "model.loss"}),
                       ": optim.sampling: \"random_context\" needs model.loss = "
                       "\"negative_sampling\""));
    }
    if (c.optim.kernel != KernelKind::kPairwise) {
      return absl::InvalidArgumentError(absl::StrCat(
          location({"optim.sampling", "optim.kernel"}),
          ": optim.sampling: \"random_context\" needs optim.kernel = \"pairwise\" (it trains "
          "the assignment's pairwise step, each outside word with its own K negatives, in "
          "minibatches of optim.batch_windows windows)"));
    }
    if (c.optim.batch_windows > kMaxRandomContextBatch) {
      return absl::OutOfRangeError(absl::StrCat(
          location({"optim.batch_windows", "optim.sampling"}), ": optim.batch_windows: ",
          c.optim.batch_windows, " is out of range [1, ", kMaxRandomContextBatch,
          "] for \"random_context\", which holds every window of a batch in memory"));
    }
    if (c.eval.every_epochs != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          location({"optim.sampling", "eval.every_epochs"}),
          ": optim.sampling: \"random_context\" needs eval.every_epochs = 0 (it has no epochs)"));
    }
  }
  if (std::any_of(c.vocab.unk_word.begin(), c.vocab.unk_word.end(),
                  [](char ch) { return absl::ascii_isspace(static_cast<unsigned char>(ch)); })) {
    return absl::InvalidArgumentError(
        absl::StrCat(location({"vocab.unk_word"}), ": vocab.unk_word: ",
                     TomlString(c.vocab.unk_word), " contains whitespace, so it is no word"));
  }
  if (!c.vocab.unk_word.empty() && !c.vocab.path.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        location({"vocab.unk_word", "vocab.path"}),
        ": vocab.unk_word: cannot be combined with vocab.path (a vocabulary file is taken as it "
        "is; vocab.unk_word applies when counting)"));
  }
  return absl::OkStatus();
}

}  // namespace w2v::io
