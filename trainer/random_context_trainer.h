// optim.sampling = "random_context": the assignment's training loop (its sgd.py over
// word2vec_sgd_wrapper). Each iteration draws optim.batch_windows windows from the run's
// ContextSentences, takes the negative-sampling gradient of each at the same point, and steps by
// lr / batch_windows times their sum (core/neg_sampling_minibatch_step.h).
//
// Every window draws from its own generator, seeded from (optim.seed, its index in the run), and the
// update is applied alone and in window order, so the windows of a batch are computed by all the
// arena's threads and the model is the same float for float at any thread count. Between two
// iterations the run's whole state is the shared window count (the iteration), the counters and
// the smoothed loss: that is where the loop parks for a snapshot and returns when interrupted.
#pragma once

#include "core/samplers.h"
#include "trainer/context_sentences.h"
#include "trainer/worker.h"

namespace w2v::trainer {

// Trains from iteration shared.windows_done / batch_windows to optim.iterations, or until stopped,
// interrupted or diverged, publishing into `counters` (a window counts as one word: its centre).
// Runs its batches' windows with tbb::parallel_for, in the caller's arena.
void TrainRandomContext(SharedTraining& shared, const ContextSentences& sentences,
                        const core::AliasSampler& noise, WorkerCounters& counters);

}  // namespace w2v::trainer
