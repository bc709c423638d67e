// The options the corpus and vocabulary readers take, drawn from a config: the one place that says
// which key feeds which option, so `w2v train`, `w2v resume` and `w2v vocab` cannot drift apart.
#pragma once

#include "io/config.h"
#include "io/corpus.h"
#include "io/vocabulary.h"

namespace w2v::io {

CorpusOptions CorpusOptionsFrom(const TrainConfig::Corpus& config);

// Counts with `config.threads` threads, so the config must have been loaded (threads filled in).
VocabOptions VocabOptionsFrom(const TrainConfig& config);

}  // namespace w2v::io
