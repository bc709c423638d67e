#include "trainer/parking_lot.h"

namespace w2v::trainer {

void ParkingLot::Enter() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !requested_.load(std::memory_order_relaxed); });
  ++active_;
}

void ParkingLot::Leave() {
  {
    std::lock_guard lock(mutex_);
    --active_;
  }
  changed_.notify_all();
}

void ParkingLot::Park() {
  std::unique_lock lock(mutex_);
  const uint64_t generation = generation_;
  ++parked_;
  changed_.notify_all();
  changed_.wait(lock, [&] { return generation_ != generation; });
}

void ParkingLot::PauseAll() {
  std::unique_lock lock(mutex_);
  requested_.store(true, std::memory_order_relaxed);
  changed_.wait(lock, [this] { return parked_ == active_; });
}

void ParkingLot::ResumeAll() {
  {
    std::lock_guard lock(mutex_);
    requested_.store(false, std::memory_order_relaxed);
    // Counted out here, not by the woken workers: a PauseAll() that came before they woke up
    // would otherwise count them as parked while they run.
    parked_ = 0;
    ++generation_;
  }
  changed_.notify_all();
}

}  // namespace w2v::trainer
