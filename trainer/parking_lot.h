// Where workers wait while the coordinator writes a snapshot. A worker checks `requested()` at each
// sentence boundary (one relaxed load) and, when it is set, saves its state and parks; the
// coordinator's PauseAll() returns once every running worker has parked, so the matrices and every
// shard's saved state hold still until ResumeAll().
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace w2v::trainer {

class ParkingLot {
 public:
  // Worker side. Enter() when a task starts touching shared state (it waits out a pause in
  // progress, so a task never starts in the middle of a snapshot); Leave() when it is done.
  void Enter();
  void Leave();
  bool requested() const { return requested_.load(std::memory_order_relaxed); }
  // Parks until ResumeAll(); the caller has saved its state first.
  void Park();

  // Coordinator side.
  void PauseAll();
  void ResumeAll();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<bool> requested_{false};
  int active_ = 0;
  int parked_ = 0;
  uint64_t generation_ = 0;
};

// Enter() for a scope.
class ParkingLotScope {
 public:
  explicit ParkingLotScope(ParkingLot& lot) : lot_(lot) { lot_.Enter(); }
  ~ParkingLotScope() { lot_.Leave(); }
  ParkingLotScope(const ParkingLotScope&) = delete;
  ParkingLotScope& operator=(const ParkingLotScope&) = delete;

 private:
  ParkingLot& lot_;
};

}  // namespace w2v::trainer
