#include "trainer/rank_group.h"

#include <cstdlib>
#include <limits>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

#if defined(W2V_WITH_MPI)
#include <mpi.h>
#endif

namespace w2v::trainer {
namespace {

constexpr char kAgreedPayload[] = "w2v/agreed-by-every-rank";

// The world size a launcher announced in the environment, or 0 when no launcher started us.
int LauncherWorldSize() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    const char* value = std::getenv(name);
    int size = 0;
    if (value != nullptr && absl::SimpleAtoi(value, &size) && size > 0) return size;
  }
  return 0;
}

[[maybe_unused]] absl::Status MarkAgreed(absl::Status status) {
  status.SetPayload(kAgreedPayload, absl::Cord("1"));
  return status;
}

}  // namespace

bool RankGroup::IsAgreed(const absl::Status& status) {
  return status.GetPayload(kAgreedPayload).has_value();
}

#if defined(W2V_WITH_MPI)

bool RankGroup::built_with_mpi() { return true; }

absl::StatusOr<std::unique_ptr<RankGroup>> RankGroup::Join() {
  auto group = std::make_unique<RankGroup>();
  if (LauncherWorldSize() == 0) return group;
  // One thread at a time calls MPI (the main thread before and after training, the rank sync's
  // thread while the workers train), never two at once: SERIALIZED is all that needs.
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  group->joined_ = true;
  if (provided < MPI_THREAD_SERIALIZED) {
    return absl::FailedPreconditionError(
        "this MPI library cannot be called from more than one thread (MPI_THREAD_SERIALIZED)");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &group->rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &group->size_);
  return group;
}

RankGroup::~RankGroup() {
  if (joined_) MPI_Finalize();
}

void RankGroup::SumInPlace(std::span<float> values) {
  if (size_ > 1)
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_FLOAT,
                  MPI_SUM, MPI_COMM_WORLD);
}

void RankGroup::SumInPlace(std::span<double> values) {
  if (size_ > 1)
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE,
                  MPI_SUM, MPI_COMM_WORLD);
}

void RankGroup::MaxInPlace(std::span<int64_t> values) {
  if (size_ > 1)
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_INT64_T,
                  MPI_MAX, MPI_COMM_WORLD);
}

void RankGroup::MaxInPlace(std::span<double> values) {
  if (size_ > 1)
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE,
                  MPI_MAX, MPI_COMM_WORLD);
}

void RankGroup::Broadcast(std::span<float> values, int root) {
  if (size_ <= 1) return;
  // MPI counts are ints: a big model goes in pieces.
  constexpr size_t kPiece = size_t{1} << 28;
  for (size_t at = 0; at < values.size(); at += kPiece) {
    const size_t n = std::min(kPiece, values.size() - at);
    MPI_Bcast(values.data() + at, static_cast<int>(n), MPI_FLOAT, root, MPI_COMM_WORLD);
  }
}

void RankGroup::Broadcast(std::string& bytes, int root) {
  if (size_ <= 1) return;
  int64_t length = static_cast<int64_t>(bytes.size());
  MPI_Bcast(&length, 1, MPI_INT64_T, root, MPI_COMM_WORLD);
  bytes.resize(static_cast<size_t>(length));
  constexpr int64_t kPiece = int64_t{1} << 30;
  for (int64_t at = 0; at < length; at += kPiece) {
    const int64_t n = std::min(kPiece, length - at);
    MPI_Bcast(bytes.data() + at, static_cast<int>(n), MPI_CHAR, root, MPI_COMM_WORLD);
  }
}

std::vector<std::string> RankGroup::AllGather(const std::string& mine) {
  if (size_ <= 1) return {mine};
  int length = static_cast<int>(mine.size());
  std::vector<int> lengths(static_cast<size_t>(size_));
  MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD);
  std::vector<int> offsets(static_cast<size_t>(size_));
  int total = 0;
  for (int r = 0; r < size_; ++r) {
    offsets[r] = total;
    total += lengths[r];
  }
  std::string all(static_cast<size_t>(total), '\0');
  MPI_Allgatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(),
                 MPI_CHAR, MPI_COMM_WORLD);
  std::vector<std::string> parts;
  for (int r = 0; r < size_; ++r) parts.push_back(all.substr(offsets[r], lengths[r]));
  return parts;
}

absl::Status RankGroup::Agree(absl::Status local) {
  if (size_ <= 1) return local;
  int first_failed = local.ok() ? size_ : rank_;
  MPI_Allreduce(MPI_IN_PLACE, &first_failed, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (first_failed == size_) return absl::OkStatus();
  int code = static_cast<int>(local.code());
  std::string message(local.message());
  MPI_Bcast(&code, 1, MPI_INT, first_failed, MPI_COMM_WORLD);
  Broadcast(message, first_failed);
  if (first_failed == rank_) return MarkAgreed(std::move(local));
  return MarkAgreed(absl::Status(static_cast<absl::StatusCode>(code),
                                 absl::StrCat("rank ", first_failed, ": ", message)));
}

void RankGroup::Abort(int exit_code) {
  if (joined_) MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::exit(exit_code);
}

#else  // built without MPI: a group of one

bool RankGroup::built_with_mpi() { return false; }

absl::StatusOr<std::unique_ptr<RankGroup>> RankGroup::Join() {
  if (const int size = LauncherWorldSize(); size > 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "started by mpirun as one of ", size,
        " ranks, but this w2v was built without MPI: install Open MPI (tools/setup.sh installs "
        "libopenmpi-dev) and build again"));
  }
  return std::make_unique<RankGroup>();
}

RankGroup::~RankGroup() = default;
void RankGroup::SumInPlace(std::span<float>) {}
void RankGroup::SumInPlace(std::span<double>) {}
void RankGroup::MaxInPlace(std::span<int64_t>) {}
void RankGroup::MaxInPlace(std::span<double>) {}
void RankGroup::Broadcast(std::span<float>, int) {}
void RankGroup::Broadcast(std::string&, int) {}
std::vector<std::string> RankGroup::AllGather(const std::string& mine) { return {mine}; }
absl::Status RankGroup::Agree(absl::Status local) { return local; }
void RankGroup::Abort(int exit_code) { std::exit(exit_code); }

#endif

}  // namespace w2v::trainer
