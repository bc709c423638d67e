#include "trainer/context_sentences.h"

#include <algorithm>

#include "core/samplers.h"
#include "io/encoded_corpus.h"

namespace w2v::trainer {
namespace {

// Uniform in [0, n) for any n a vector can index: the high half of a 64×64-bit product.
int64_t Below64(core::Rng& rng, int64_t n) {
  return static_cast<int64_t>(
      (static_cast<unsigned __int128>(rng.Next()) * static_cast<uint64_t>(n)) >> 64);
}

}  // namespace

ContextSentences ContextSentences::Build(const std::vector<std::vector<int32_t>>& shard_ids,
                                         std::span<const float> keep, int64_t copies,
                                         int64_t max_length, core::Rng& rng) {
  ContextSentences result;
  size_t sentence_begin = 0;
  // A sentence kept only with two words or more (the starter code's `len(s) > 1`).
  auto end_sentence = [&] {
    const size_t length = result.ids_.size() - sentence_begin;
    if (length < 2) {
      result.ids_.resize(sentence_begin);
      return;
    }
    if (!result.has_window_) {
      const auto first = result.ids_.begin() + static_cast<int64_t>(sentence_begin);
      result.has_window_ =
          std::any_of(first + 1, result.ids_.end(), [&](int32_t id) { return id != *first; });
    }
    result.starts_.push_back(static_cast<int64_t>(result.ids_.size()));
    sentence_begin = result.ids_.size();
  };
  for (int64_t copy = 0; copy < copies; ++copy) {
    for (const std::vector<int32_t>& ids : shard_ids) {
      for (const int32_t id : ids) {
        if (id == io::kSentenceEnd) {
          end_sentence();
          continue;
        }
        if (!core::KeepToken(keep[id], rng)) continue;
        result.ids_.push_back(id);
        if (static_cast<int64_t>(result.ids_.size() - sentence_begin) >= max_length) end_sentence();
      }
      end_sentence();  // a shard's last sentence, should it lack its end
    }
  }
  return result;
}

void ContextSentences::DrawWindow(int32_t window, core::Rng& rng, int32_t& center,
                                  std::vector<int32_t>& context) const {
  const int32_t reach = core::DrawWindow(window, rng);
  do {
    const std::span<const int32_t> words = sentence(Below64(rng, size()));
    const auto n = static_cast<int64_t>(words.size());
    const int64_t position = rng.Below(static_cast<uint32_t>(n));
    center = words[position];
    context.clear();
    for (int64_t j = std::max<int64_t>(0, position - reach); j <= std::min(n - 1, position + reach);
         ++j) {
      if (words[j] != center) context.push_back(words[j]);
    }
  } while (context.empty());
}

}  // namespace w2v::trainer
