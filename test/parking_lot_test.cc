// The parking lot, driven directly: workers running real training steps on shared rows, and a
// coordinator that pauses them to read the rows as a snapshot does. Under the tsan preset these are
// also the proof that core/hogwild.h tells ThreadSanitizer exactly the Hogwild race: steps against
// steps stay quiet, a read under PauseAll() is ordered after every step, and a read that does not
// wait for the lot is reported.
#include "trainer/parking_lot.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

#include "core/embedding_store.h"
#include "core/hogwild.h"
#include "core/logistic_block_step.h"
#include "core/random.h"
#include "gtest/gtest.h"

namespace w2v::trainer {
namespace {

constexpr int64_t kRows = 32;

// Workers that train block steps on random rows of one store until told to stop, parking whenever
// the lot asks, as TrainShard's workers do at a sentence boundary.
class Workers {
 public:
  Workers(core::EmbeddingStore& store, ParkingLot& lot, int count) {
    for (int w = 0; w < count; ++w) {
      threads_.emplace_back([this, &store, &lot, w] {
        const ParkingLotScope running(lot);
        core::Rng rng(7, w);
        core::BlockScratch scratch;
        std::vector<int32_t> inputs(4);
        core::LogisticTargets targets;
        while (!stop_.load(std::memory_order_relaxed)) {
          if (lot.requested()) lot.Park();
          for (auto& r : inputs) r = static_cast<int32_t>(rng.Below(kRows));
          // Distinct targets, as the block step requires.
          const auto first = static_cast<int32_t>(rng.Below(kRows - 2));
          targets.Clear();
          targets.Add(first, 1.0f, 1.0f);
          targets.Add(first + 1, 0.0f, 1.0f);
          targets.Add(first + 2, 0.0f, 2.0f);
          core::LogisticBlockStep(store.center(), inputs, store.outside(), targets, 0.01f,
                                  scratch);
          steps_.fetch_add(1, std::memory_order_relaxed);
        }
      });
    }
  }
  ~Workers() {
    stop_.store(true);
    for (std::thread& t : threads_) t.join();
  }
  int64_t steps() const { return steps_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> steps_{0};
  std::vector<std::thread> threads_;
};

// Both matrices, read plainly, as WriteSnapshot reads them.
std::vector<float> ReadRows(const core::EmbeddingStore& store) {
  std::vector<float> rows;
  for (const core::MatrixView& m : {store.center(), store.outside()}) {
    rows.insert(rows.end(), m.data, m.data + m.rows * m.stride);
  }
  return rows;
}

core::EmbeddingStore MakeStore() {
  core::EmbeddingStore store(kRows, 16);
  store.InitializeWord2Vec(1);
  return store;
}

TEST(ParkingLotTest, PausedWorkersHoldTheRowsStillAndGoOnAfterwards) {
  core::EmbeddingStore store = MakeStore();
  ParkingLot lot;
  Workers workers(store, lot, 2);
  while (workers.steps() < 100) std::this_thread::yield();
  for (int pause = 0; pause < 50; ++pause) {
    lot.PauseAll();
    const int64_t steps = workers.steps();
    const std::vector<float> first = ReadRows(store);
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    // Nothing moved while the coordinator looked twice.
    ASSERT_EQ(ReadRows(store), first) << "pause " << pause;
    ASSERT_EQ(workers.steps(), steps);
    lot.ResumeAll();
    while (workers.steps() < steps + 20) std::this_thread::yield();
  }
}

TEST(ParkingLotTest, AWorkerEnteringDuringAPauseWaitsForTheResume) {
  core::EmbeddingStore store = MakeStore();
  ParkingLot lot;
  lot.PauseAll();  // no worker yet: returns at once
  const std::vector<float> before = ReadRows(store);
  Workers workers(store, lot, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(workers.steps(), 0);
  EXPECT_EQ(ReadRows(store), before);
  lot.ResumeAll();
  while (workers.steps() < 10) std::this_thread::yield();
}

#if defined(W2V_THREAD_SANITIZER)
// The check the two tests above rely on: a coordinator that reads the rows without pausing the
// workers (a parking lot that does not wait) is a race ThreadSanitizer reports, although the steps'
// own races with each other are not.
TEST(ParkingLotDeathTest, AReadThatDoesNotWaitForTheWorkersIsReported) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        core::EmbeddingStore store = MakeStore();
        ParkingLot lot;
        Workers workers(store, lot, 2);
        while (workers.steps() < 100) std::this_thread::yield();
        float sum = 0;
        for (int read = 0; read < 1000; ++read) {
          for (float x : ReadRows(store)) sum += x;
        }
        std::exit(sum == 12345.0f ? 1 : 0);
      },
      ::testing::ExitedWithCode(66), "ThreadSanitizer: data race");
}
#endif

}  // namespace
}  // namespace w2v::trainer
