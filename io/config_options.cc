#include "io/config_options.h"

namespace w2v::io {

CorpusOptions CorpusOptionsFrom(const TrainConfig::Corpus& config) {
  return {config.format, config.lowercase, config.max_token_bytes, config.invalid_utf8};
}

VocabOptions VocabOptionsFrom(const TrainConfig& config) {
  return {config.vocab.min_count, config.vocab.max_vocab, config.vocab.max_counted_words,
          config.model.subsample, static_cast<int>(config.threads),
          config.model.subsample_formula, config.vocab.unk_word};
}

}  // namespace w2v::io
