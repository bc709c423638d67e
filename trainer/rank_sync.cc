#include "trainer/rank_sync.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>

#include "spdlog/spdlog.h"

namespace w2v::trainer {
namespace {

static_assert(std::is_trivially_copyable_v<core::ShardProgress>,
              "a shard's progress crosses between ranks as its bytes");

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// An FNV-1a hash of both matrices' rows, to check that every rank ends with the same model.
int64_t ModelChecksum(const core::EmbeddingStore& store) {
  uint64_t hash = 1469598103934665603ULL;
  for (const core::MatrixView& m : {store.center(), store.outside()}) {
    for (int64_t r = 0; r < m.rows; ++r) {
      const auto* bytes = reinterpret_cast<const unsigned char*>(m.row(r));
      for (size_t i = 0; i < static_cast<size_t>(m.dim) * sizeof(float); ++i) {
        hash = (hash ^ bytes[i]) * 1099511628211ULL;
      }
    }
  }
  return static_cast<int64_t>(hash);
}

}  // namespace

RankSync::RankSync(RankGroup& ranks, SharedTraining& shared, std::vector<WorkerCounters>& counters,
                   std::vector<core::ShardProgress>& progress)
    : ranks_(ranks),
      shared_(shared),
      counters_(counters),
      progress_(progress),
      period_(std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(shared.config.distributed.sync_seconds))),
      vocab_rows_(shared.store.rows()),
      dim_(shared.store.dim()) {
  // The model is the same on every rank when training starts (the run's builder saw to it).
  const size_t floats = static_cast<size_t>(2 * vocab_rows_ * dim_);
  base_.resize(floats);
  mine_.resize(floats);
  // Each sync's changes, then (for combine = "adaptive") each row's Σ over ranks of ‖change‖².
  combined_.resize(floats + static_cast<size_t>(2 * vocab_rows_));
  const core::MatrixView matrices[] = {shared.store.center(), shared.store.outside()};
  for (int m = 0; m < 2; ++m) {
    for (int64_t r = 0; r < vocab_rows_; ++r) {
      std::memcpy(&base_[static_cast<size_t>((m * vocab_rows_ + r) * dim_)], matrices[m].row(r),
                  static_cast<size_t>(dim_) * sizeof(float));
    }
  }
}

RankSync::~RankSync() { Stop(); }

void RankSync::Start() {
  thread_ = std::thread([this] { Loop(); });
}

RankSync::EpochTimes RankSync::FinishEpoch(double compute_seconds) {
  std::unique_lock lock(mutex_);
  local_done_ = true;
  early_round_ = true;
  compute_seconds_ = compute_seconds;
  changed_.notify_all();
  changed_.wait(lock, [this] { return epoch_synced_ || stopped_; });
  epoch_synced_ = false;
  return epoch_times_;
}

void RankSync::BeginEpoch() {
  {
    std::lock_guard lock(mutex_);
    local_done_ = false;
    go_on_ = true;
  }
  changed_.notify_all();
}

void RankSync::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  stopped_ = true;
  changed_.notify_all();
}

absl::Status RankSync::RequestSnapshot(std::function<absl::Status()> write) {
  std::unique_lock lock(mutex_);
  if (stopping_ || stopped_) return absl::OkStatus();
  snapshot_write_ = std::move(write);
  snapshot_done_ = false;
  changed_.notify_all();
  changed_.wait(lock, [this] { return snapshot_done_ || stopped_; });
  snapshot_write_ = nullptr;
  return snapshot_done_ ? snapshot_status_ : absl::OkStatus();
}

absl::Status RankSync::CheckSameModel() {
  const int64_t mine = ModelChecksum(shared_.store);
  int64_t extremes[2] = {mine, ~mine};  // the largest and (through ~) the smallest
  ranks_.MaxInPlace(extremes);
  if (extremes[0] != mine || extremes[1] != ~mine) {
    return absl::InternalError("the ranks' models differ after the final sync");
  }
  spdlog::info("the {} ranks hold the same model (checksum {:016x})", ranks_.size(),
               static_cast<uint64_t>(mine));
  return absl::OkStatus();
}

RankSync::Stats RankSync::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

int64_t RankSync::ScheduledRows(int64_t sync) const {
  // Sync k takes sync_rows · 2^(trailing zeros of k) rows: the most frequent every time, the next
  // as many every second time, and so on.
  const int shift = std::min(std::countr_zero(static_cast<uint64_t>(sync)), 40);
  const int64_t rows = shared_.config.distributed.sync_rows;
  return rows > (vocab_rows_ >> shift) ? vocab_rows_ : std::min(vocab_rows_, rows << shift);
}

void RankSync::Loop() {
  while (Round()) {
  }
}

bool RankSync::Round() {
  int64_t flags[kFlags] = {};
  {
    std::unique_lock lock(mutex_);
    // A sync every period; at once when this rank's epoch part is over (the epoch ends without
    // waiting out a period when the others are over too) or a snapshot is asked for.
    // The period counts from the end of the last sync, which every rank left at about the same
    // moment, so the ranks meet at the next one without waiting for each other (a rank waiting in a
    // collective spins a core in Open MPI).
    const auto due = Clock::now() + period_;
    changed_.wait_until(lock, due, [this] {
      return early_round_ || stopping_ || (snapshot_write_ != nullptr && !snapshot_done_);
    });
    if (stopping_) return false;
    early_round_ = false;
    flags[kBusy] = local_done_ ? 0 : 1;
    flags[kSnapshot] = snapshot_write_ != nullptr && !snapshot_done_ ? 1 : 0;
  }
  flags[kInterrupt] = shared_.interrupt.load() ? 1 : 0;
  flags[kStop] = shared_.stop.load() ? 1 : 0;
  flags[kDiverged] = shared_.diverged.load() ? 1 : 0;
  ranks_.MaxInPlace(flags);
  // Timed from here: the ranks have met, so what follows is the exchange itself (the wait for a
  // rank still training its epoch is the load imbalance, counted apart).
  const auto start = Clock::now();
  if (flags[kInterrupt] != 0) shared_.interrupt.store(true);
  if (flags[kStop] != 0) shared_.stop.store(true);
  if (flags[kDiverged] != 0 && !shared_.diverged.exchange(true)) {
    shared_.diverged_at_words.store(shared_.words_done.load());
    shared_.stop.store(true);
  }
  const bool epoch_over = flags[kBusy] == 0;
  const bool snapshot = flags[kSnapshot] != 0;
  // A full sync with every worker still: those of an epoch that is over are; a snapshot parks
  // the others at their next sentence boundary (each saves its state into `progress_`).
  const bool quiet = epoch_over || snapshot;
  if (snapshot && !epoch_over) shared_.parking.PauseAll();
  SyncCounters();
  SyncRows(quiet ? vocab_rows_ : ScheduledRows(++sync_count_), quiet);
  if (quiet) GatherProgress();
  EpochTimes times;
  if (epoch_over) {
    double seconds[2];
    {
      std::lock_guard lock(mutex_);
      seconds[0] = seconds[1] = compute_seconds_;
    }
    ranks_.MaxInPlace(std::span<double>(seconds, 1));
    ranks_.SumInPlace(std::span<double>(seconds + 1, 1));
    times = {seconds[0], seconds[1] / ranks_.size()};
  }
  absl::Status snapshot_status;
  if (snapshot && ranks_.is_root()) {
    std::function<absl::Status()> write;
    {
      std::lock_guard lock(mutex_);
      write = snapshot_write_;
    }
    if (write) snapshot_status = write();
  }
  if (snapshot && !epoch_over) shared_.parking.ResumeAll();

  std::unique_lock lock(mutex_);
  stats_.seconds += Seconds(Clock::now() - start);
  ++(quiet ? stats_.full_syncs : stats_.syncs);
  if (snapshot && ranks_.is_root()) {
    snapshot_status_ = snapshot_status;
    snapshot_done_ = true;
  }
  if (!epoch_over) {
    changed_.notify_all();
    return !stopping_;
  }
  // The epoch is over on every rank: hand the coordinator its end and wait for what comes next
  // (every rank decides alike, so they all go on or all stop).
  epoch_times_ = times;
  epoch_synced_ = true;
  go_on_ = false;
  changed_.notify_all();
  changed_.wait(lock, [this] { return go_on_ || stopping_; });
  return go_on_ && !stopping_;
}

void RankSync::SyncCounters() {
  // Per shard: loss, windows, pairs, words, kept. The owner's figures, zero elsewhere, summed: every
  // rank ends with every shard's published counts.
  constexpr size_t kFields = 5;
  std::vector<double> all(counters_.size() * kFields, 0.0);
  for (size_t s = 0; s < counters_.size(); ++s) {
    if (!ranks_.Owns(s)) continue;
    const core::TrainingCounts c = counters_[s].Load();
    double* f = &all[s * kFields];
    f[0] = c.loss_sum;
    f[1] = static_cast<double>(c.windows);
    f[2] = static_cast<double>(c.pairs);
    f[3] = static_cast<double>(c.words);
    f[4] = static_cast<double>(c.kept);
  }
  ranks_.SumInPlace(all);
  int64_t new_words = 0, new_windows = 0;
  for (size_t s = 0; s < counters_.size(); ++s) {
    if (ranks_.Owns(s)) continue;
    const double* f = &all[s * kFields];
    const core::TrainingCounts before = counters_[s].Load();
    const core::TrainingCounts now{f[0], static_cast<int64_t>(f[1]), static_cast<int64_t>(f[2]),
                                   static_cast<int64_t>(f[3]), static_cast<int64_t>(f[4])};
    counters_[s].Store(now);
    new_words += now.words - before.words;
    new_windows += now.windows - before.windows;
  }
  // The shared counts drive the learning rate and the stop: they now hold every rank's words.
  shared_.words_done.fetch_add(new_words);
  shared_.windows_done.fetch_add(new_windows);
}

void RankSync::SyncRows(int64_t rows, bool quiet) {
  const size_t n = static_cast<size_t>(rows * dim_);
  const size_t d = static_cast<size_t>(dim_);
  const core::MatrixView matrices[] = {shared_.store.center(), shared_.store.outside()};
  // This rank's change since the last sync, row by row (the workers may be writing the row
  // meanwhile: the Hogwild race of core/embedding_store.h, one more writer).
  for (int m = 0; m < 2; ++m) {
    const float* base = &base_[static_cast<size_t>(m * vocab_rows_ * dim_)];
    float* mine = &mine_[m * n];
    for (int64_t r = 0; r < rows; ++r) {
      const float* live = matrices[m].row(r);
      for (size_t k = 0; k < d; ++k) mine[r * d + k] = live[k] - base[r * d + k];
    }
  }
  std::copy(mine_.begin(), mine_.begin() + static_cast<std::ptrdiff_t>(2 * n), combined_.begin());
  const io::CombineKind combine = shared_.config.distributed.combine;
  const bool adaptive = combine == io::CombineKind::kAdaptive;
  // Per matrix and row, this rank's ‖change‖², summed over the ranks with the changes.
  float* squares = combined_.data() + 2 * n;
  if (adaptive) {
    for (size_t row = 0; row < static_cast<size_t>(2 * rows); ++row) {
      const float* change = &mine_[row * d];
      float square = 0;
      for (size_t k = 0; k < d; ++k) square += change[k] * change[k];
      squares[row] = square;
    }
  }
  ranks_.SumInPlace(
      std::span<float>(combined_.data(), 2 * n + (adaptive ? 2 * static_cast<size_t>(rows) : 0)));
  const float mean = 1.0f / static_cast<float>(ranks_.size());
  for (int m = 0; m < 2; ++m) {
    float* base = &base_[static_cast<size_t>(m * vocab_rows_ * dim_)];
    const float* mine = &mine_[m * n];
    const float* combined = &combined_[m * n];
    for (int64_t r = 0; r < rows; ++r) {
      float* live = matrices[m].row(r);
      // sum: every rank's change in full; mean: divided by the rank count; adaptive: the sum's
      // direction at the length the changes would add up to were they independent, the root of
      // Σ ‖change‖²: the sum itself where one rank moved the row or the moves were unrelated (all
      // of them count, as in one process), √p times one rank's move where all moved it alike
      // (summing p moves computed from the same start overshoots: measured, "sum" diverges at 4
      // ranks on text8, and "mean" loses 6 points of analogy accuracy at 2).
      float scale = combine == io::CombineKind::kSum ? 1.0f : mean;
      if (adaptive) {
        const float* total = combined + r * d;
        float total_square = 0;
        for (size_t k = 0; k < d; ++k) total_square += total[k] * total[k];
        const float square_sum = squares[m * rows + r];
        scale = square_sum > 0 ? 1.0f / std::sqrt(std::clamp(total_square / square_sum, 1.0f,
                                                             static_cast<float>(ranks_.size())))
                               : 1.0f;
      }
      for (size_t k = 0; k < d; ++k) {
        const size_t i = r * d + k;
        const float step = scale * combined[i];
        base[i] += step;
        // With the workers still, the live row is the new base exactly, the same on every rank;
        // otherwise it keeps what was written since its change was taken.
        live[k] = quiet ? base[i] : live[k] + (step - mine[i]);
      }
    }
  }
  std::lock_guard lock(mutex_);
  stats_.bytes += static_cast<double>(2 * n * sizeof(float));
}

void RankSync::GatherProgress() {
  // Each rank's shards' saved states (plain bytes: the same program on every rank), gathered so
  // that every rank holds every shard's.
  std::string mine;
  for (size_t s = 0; s < progress_.size(); ++s) {
    if (!ranks_.Owns(s)) continue;
    mine.append(reinterpret_cast<const char*>(&progress_[s]), sizeof(core::ShardProgress));
  }
  const std::vector<std::string> parts = ranks_.AllGather(mine);
  std::vector<size_t> read(parts.size(), 0);
  for (size_t s = 0; s < progress_.size(); ++s) {
    const size_t owner = s % parts.size();
    std::memcpy(&progress_[s], parts[owner].data() + read[owner], sizeof(core::ShardProgress));
    read[owner] += sizeof(core::ShardProgress);
  }
}

}  // namespace w2v::trainer
