// A run's output files: where they go, the lock on their directory and the check that each can be
// written before any training, the writing of the vectors, vocabulary and config at the end, and
// the optional pictures.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/embedding_store.h"
#include "io/config.h"
#include "io/directory_lock.h"
#include "io/vocabulary.h"

namespace w2v::trainer {

struct OutputPaths {
  explicit OutputPaths(const io::TrainConfig& config)
      : vectors_text(config.output.dir + "/vectors.txt"),
        vectors_binary(config.output.dir + "/vectors.bin"),
        vocab(config.output.dir + "/vocab.txt"),
        metrics(config.output.dir + "/metrics.jsonl"),
        config(config.output.dir + "/config.toml"),
        sample_vectors(config.output.dir + "/sample_vectors.json"),
        snapshot(config.snapshot.path.empty() ? config.output.dir + "/snapshot.w2v"
                                              : config.snapshot.path) {}
  std::string vectors_text, vectors_binary, vocab, metrics, config, sample_vectors, snapshot;
};

// Creates the output directory and locks it for the run, before anything is written into it;
// checks every output (the snapshot's too) can be written; then locks the snapshot's directory when
// it is another. The locks go into `locks`, which the run keeps until its outputs are written.
absl::Status PrepareOutputs(const io::TrainConfig& config, const OutputPaths& paths,
                            std::vector<io::DirectoryLock>& locks);

// The directory `path` is in ("." for a bare file name).
std::string ParentDirectory(const std::string& path);

// Locks `dir` (io/directory_lock.h) into `locks`, unless one of them holds it already (under any
// name: the same directory, not the same spelling). A second run is refused here, at once.
absl::Status LockDirectory(const std::string& dir, std::vector<io::DirectoryLock>& locks);

// The vectors (center rows) in the formats asked for, the vocabulary, the effective config and the
// sample words' vectors, each written atomically. `write_first` (the final snapshot), when given,
// runs while the vectors are written, and no output changes unless it succeeds.
absl::Status WriteOutputs(const io::TrainConfig& config, const io::Vocabulary& vocab,
                          const core::EmbeddingStore& store, const OutputPaths& paths,
                          const std::function<absl::Status()>& write_first = {});

// output.plots: the loss curve and the sample words' picture, by tools/ scripts under Debian's
// Python; a failure is a warning, since the outputs are already complete.
void DrawPlots(const io::TrainConfig& config, const OutputPaths& paths);

}  // namespace w2v::trainer
