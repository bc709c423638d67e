#include "io/config_options.h"

namespace w2v::io {

CorpusOptions CorpusOptionsFrom(const TrainConfig::Corpus& config) {
  return {config.format, config.lowercase, config.max_token_bytes};
}

VocabOptions VocabOptionsFrom(const TrainConfig& config) {
  return {config.vocab.min_count, config.vocab.max_vocab, config.model.subsample,
          static_cast<int>(config.threads)};
}

}  // namespace w2v::io
