#include "trainer/random_context_trainer.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/neg_sampling_minibatch_step.h"
#include "oneapi/tbb/blocked_range.h"
#include "oneapi/tbb/parallel_for.h"

namespace w2v::trainer {
namespace {

// The starter code's PRINT_EVERY: exploss moves every 10th iteration.
constexpr int64_t kSmoothEvery = 10;

// Window w of the run's iteration i draws from stream i·B + w + 1 (stream 0 builds the sentence
// copies), whichever thread computes it.
uint64_t WindowStream(int64_t iteration, int64_t batch, int64_t w) {
  return static_cast<uint64_t>(iteration * batch + w) + 1;
}

}  // namespace

void TrainRandomContext(SharedTraining& shared, const ContextSentences& sentences,
                        const core::AliasSampler& noise, WorkerCounters& counters) {
  const ParkingLotScope running(shared.parking);
  const io::TrainConfig& config = shared.config;
  const int64_t batch = config.optim.batch_windows;
  const auto window = static_cast<int32_t>(config.model.window);
  const auto negatives = static_cast<int32_t>(config.model.negatives);
  const core::MatrixView centers = shared.store.center();
  const core::MatrixView outside = shared.store.outside();
  std::vector<core::MinibatchWindow> windows(static_cast<size_t>(batch));
  for (int64_t iteration = shared.windows_done.load() / batch;
       iteration < config.optim.iterations; ++iteration) {
    if (shared.interrupt.load(std::memory_order_relaxed)) return;
    if (shared.parking.requested()) shared.parking.Park();
    if (shared.stop.load(std::memory_order_relaxed)) return;
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, batch), [&](const tbb::blocked_range<int64_t>& r) {
      for (int64_t w = r.begin(); w != r.end(); ++w) {
        core::Rng rng(config.optim.seed, WindowStream(iteration, batch, w));
        core::MinibatchWindow& drawn = windows[w];
        sentences.DrawWindow(window, rng, drawn.center, drawn.outside);
        drawn.negatives.resize(drawn.outside.size() * negatives);
        for (size_t o = 0; o < drawn.outside.size(); ++o) {
          for (int32_t k = 0; k < negatives; ++k) {
            drawn.negatives[o * negatives + k] = core::DrawNegative(noise, drawn.outside[o], rng);
          }
        }
        core::NegSamplingWindowGradient(centers, outside, negatives, drawn);
      }
    });
    const double lr = ScheduledLearningRate(shared);
    core::ApplyMinibatch(centers, outside, windows, negatives,
                         static_cast<float>(lr / static_cast<double>(batch)));

    double loss = 0;
    int64_t pairs = 0;
    for (const core::MinibatchWindow& w : windows) {
      loss += w.loss;
      pairs += static_cast<int64_t>(w.outside.size());
    }
    const int64_t words_done = shared.words_done.load(std::memory_order_relaxed);
    if (!std::isfinite(loss) && !shared.diverged.exchange(true)) {
      // The rows are ruined: stop before a snapshot or the outputs can take them.
      shared.diverged_at_words.store(words_done + batch);
      shared.stop.store(true);
    }
    if ((iteration + 1) % kSmoothEvery == 0) {
      const double mean = loss / static_cast<double>(batch);
      const double before = shared.smoothed_loss.load(std::memory_order_relaxed);
      shared.smoothed_loss.store(std::isnan(before) ? mean : 0.95 * before + 0.05 * mean,
                                 std::memory_order_relaxed);
    }
    // This loop is the counters' only writer.
    counters.loss_sum.store(counters.loss_sum.load(std::memory_order_relaxed) + loss,
                            std::memory_order_relaxed);
    counters.windows.fetch_add(batch, std::memory_order_relaxed);
    counters.pairs.fetch_add(pairs, std::memory_order_relaxed);
    counters.words.fetch_add(batch, std::memory_order_relaxed);
    counters.kept.fetch_add(batch, std::memory_order_relaxed);
    shared.words_done.store(words_done + batch, std::memory_order_relaxed);
    if (shared.stop_after_words > 0 && words_done + batch >= shared.stop_after_words) {
      shared.interrupt.store(true, std::memory_order_relaxed);
    }
    const int64_t windows_done = shared.windows_done.load(std::memory_order_relaxed) + batch;
    shared.windows_done.store(windows_done, std::memory_order_relaxed);
    if ((iteration + 1) % kSmoothEvery == 0) {
      // After the value: the monitor reads the iteration first (acquire), then the value.
      shared.smoothed_iteration.store(iteration + 1, std::memory_order_release);
    }
  }
  // Also when a resumed run had nothing left (a snapshot taken between the last iteration and the
  // coordinator's end of the run): the run is complete.
  if (shared.windows_done.load() >= shared.windows_total) shared.stop.store(true);
}

}  // namespace w2v::trainer
