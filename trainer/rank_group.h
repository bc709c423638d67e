// The processes that train one model: this process alone, or the ranks of an MPI job that mpirun
// started (Open MPI). The only file that calls MPI; everything else asks this class. A w2v built
// without MPI (no libopenmpi-dev) is always a group of one, and refuses to run as one rank of many.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace w2v::trainer {

class RankGroup {
 public:
  // This process alone; MPI is not touched.
  RankGroup() = default;
  ~RankGroup();  // leaves the MPI job, when it joined one
  RankGroup(const RankGroup&) = delete;
  RankGroup& operator=(const RankGroup&) = delete;

  // Joins the MPI job when the environment says mpirun started this process (Open MPI's
  // OMPI_COMM_WORLD_SIZE, or a PMI launcher's PMI_SIZE), otherwise a group of one. Errors: a w2v
  // built without MPI started as one rank of several.
  static absl::StatusOr<std::unique_ptr<RankGroup>> Join();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }
  bool distributed() const { return size_ > 1; }
  static bool built_with_mpi();
  // The ranks take the shards of the one global layout in turn: rank r trains shards r, r + size,
  // r + 2·size, ..., so every rank's part spreads over the whole corpus.
  bool Owns(size_t shard) const { return static_cast<int>(shard % static_cast<size_t>(size_)) == rank_; }

  // Collectives: every rank calls each one, in the same order; from one thread at a time.
  void SumInPlace(std::span<float> values);
  void SumInPlace(std::span<double> values);
  void MaxInPlace(std::span<int64_t> values);
  void MaxInPlace(std::span<double> values);
  void Broadcast(std::span<float> values, int root);
  void Broadcast(std::string& bytes, int root);
  // Every rank's `mine`, in rank order.
  std::vector<std::string> AllGather(const std::string& mine);

  // Every rank's status is `local`'s if all were ok; otherwise the first failing rank's, on every
  // rank (prefixed "rank R: " where R is not this rank), marked as agreed (IsAgreed): every rank
  // returns it, so the job ends cleanly with the same cause everywhere.
  absl::Status Agree(absl::Status local);
  static bool IsAgreed(const absl::Status& status);

  // Ends the whole job at once (MPI_Abort): for a failure the other ranks cannot know of, which
  // would otherwise leave them waiting in the next collective.
  [[noreturn]] void Abort(int exit_code);

 private:
  int rank_ = 0;
  int size_ = 1;
  bool joined_ = false;
};

}  // namespace w2v::trainer
