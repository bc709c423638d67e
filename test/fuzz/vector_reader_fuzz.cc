// Fuzzes the vector-file reader: any bytes give vectors (of the size the header promises, all
// finite) or an error naming the file.
#include <cmath>
#include <cstdint>
#include <string>

#include "io/vector_reader.h"
#include "test/fuzz/fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = w2v::fuzz::WriteInput(data, size);
  const auto vectors = w2v::io::ReadVectors(path);
  if (!vectors.ok()) {
    w2v::fuzz::Check(std::string(vectors.status().message()).find(path) != std::string::npos);
    return 0;
  }
  w2v::fuzz::Check(vectors->values.size() ==
                   static_cast<size_t>(vectors->rows() * vectors->dim));
  for (float v : vectors->values) w2v::fuzz::Check(std::isfinite(v));
  return 0;
}
