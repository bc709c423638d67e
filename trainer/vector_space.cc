#include "trainer/vector_space.h"

#include "core/status.h"
#include "io/vector_reader.h"

namespace w2v::trainer {

absl::StatusOr<VectorSpace> LoadVectorSpace(const std::string& path, int64_t max_rows) {
  ASSIGN_OR_RETURN(io::WordVectors vectors, io::ReadVectors(path, max_rows));
  core::WordLookup lookup(vectors.words);
  core::UnitVectors unit(vectors.values.data(), vectors.rows(), vectors.dim);
  return VectorSpace{std::move(vectors.words), std::move(lookup), std::move(unit),
                     vectors.header_rows};
}

}  // namespace w2v::trainer
