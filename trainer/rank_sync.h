// Keeps the ranks of a distributed run (rank_group.h) training one model, each rank over its own
// shards (docs/DISTRIBUTED.md). A thread beside the workers runs a sync every
// distributed.sync_seconds while they train, and never stops them for it:
//  - it takes this rank's change to each synced row since the last sync (the live row minus the
//    row as it stood after that sync, kept in a copy of its own), never the live row itself;
//  - sums those changes over the ranks, combines them (their mean or their sum,
//    distributed.combine), and adds to each live row the combination minus this rank's own
//    change, so what the workers wrote during the sync is kept;
//  - syncs the distributed.sync_rows most frequent words' rows every time, twice as many every
//    second time, four times every fourth, and so on up to the whole model (pWord2Vec's schedule:
//    a word's rows move in proportion to its count);
//  - exchanges every shard's counters, so the learning rate, the log and the stop follow the words
//    trained by every rank.
// At the end of each epoch, and for a snapshot, it syncs the whole model with every rank's workers
// still (done, or parked at a sentence boundary): every rank then holds the same model bit for bit,
// and every shard's progress is gathered on every rank. Every MPI call of a run is made from this
// thread while it runs, and from the coordinator's thread only before and after.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "core/training_progress.h"
#include "trainer/rank_group.h"
#include "trainer/worker.h"

namespace w2v::trainer {

class RankSync {
 public:
  // `counters` and `progress` are per shard of the global layout; this rank's workers write the
  // entries of the shards it owns (RankGroup::Owns), and the syncs fill in the others.
  RankSync(RankGroup& ranks, SharedTraining& shared, std::vector<WorkerCounters>& counters,
           std::vector<core::ShardProgress>& progress);
  ~RankSync();  // Stop()
  RankSync(const RankSync&) = delete;
  RankSync& operator=(const RankSync&) = delete;

  // Every rank, before its workers start: starts the thread.
  void Start();

  // The coordinator, once this rank's part of the epoch is over (its shards done, or left at an
  // interruption), after `compute_seconds` of training in it. Returns after the epoch's full sync,
  // when every rank's part is over too: the flags of every rank (interrupt, stop, divergence) are
  // then in `shared`, every shard's progress in `progress`, and the counters exact.
  struct EpochTimes {
    double max_seconds = 0;   // the slowest rank's training time in the epoch
    double mean_seconds = 0;  // the ranks' mean
  };
  EpochTimes FinishEpoch(double compute_seconds);
  // After FinishEpoch, on every rank (they all decide alike from the same state): another epoch
  // follows, or the run is over and the thread ends (no MPI call of its own after Stop returns).
  void BeginEpoch();
  void Stop();

  // Rank 0 (its monitor): asks for a snapshot at the next sync. There, with every rank's workers
  // parked and the model and progress synced, `write` runs on rank 0; returns its status then (ok
  // without writing when the thread has stopped: the run's final snapshot follows).
  absl::Status RequestSnapshot(std::function<absl::Status()> write);

  // After Stop, on every rank: an error unless every rank holds the same model bit for bit (the
  // last full sync made them so).
  absl::Status CheckSameModel();

  struct Stats {
    int64_t syncs = 0;       // while training
    int64_t full_syncs = 0;  // at epoch ends and snapshots
    double seconds = 0;      // spent in syncs
    double bytes = 0;        // row bytes each rank contributed
  };
  Stats stats() const;

 private:
  using Clock = std::chrono::steady_clock;
  enum Flag { kBusy, kInterrupt, kStop, kDiverged, kSnapshot, kFlags };

  void Loop();
  // One sync; returns false when the thread is to end.
  bool Round();
  void SyncCounters();
  void SyncRows(int64_t rows, bool quiet);
  void GatherProgress();
  int64_t ScheduledRows(int64_t sync) const;

  RankGroup& ranks_;
  SharedTraining& shared_;
  std::vector<WorkerCounters>& counters_;
  std::vector<core::ShardProgress>& progress_;
  const Clock::duration period_;
  const int64_t vocab_rows_;
  const int64_t dim_;
  // The model as the last sync left it (centre rows then outside rows, dim floats each), the same
  // on every rank; and the buffers of one sync's changes.
  std::vector<float> base_, mine_, combined_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool local_done_ = false;   // this rank's part of the epoch is over
  bool early_round_ = false;  // it just became so: sync now rather than at the period's end
  bool epoch_synced_ = false;  // the epoch's full sync is done (for FinishEpoch)
  bool go_on_ = false;         // BeginEpoch after it
  bool stopping_ = false;
  bool stopped_ = false;
  double compute_seconds_ = 0;
  EpochTimes epoch_times_;
  std::function<absl::Status()> snapshot_write_;  // a pending request (rank 0)
  bool snapshot_done_ = false;
  absl::Status snapshot_status_;
  Stats stats_;
  int64_t sync_count_ = 0;
  std::thread thread_;
};

}  // namespace w2v::trainer
