// Fuzzes the snapshot reader. The input's last 8 bytes are overwritten with the FNV-1a checksum of
// the rest, so that mutations reach the decoder instead of stopping at the checksum; any bytes then
// give a snapshot or an error naming the file, and a snapshot that loads can be written and read
// back.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "io/snapshot.h"
#include "test/fuzz/fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  if (bytes.size() >= 8) {
    uint64_t hash = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < bytes.size() - 8; ++i) {
      hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
    }
    std::memcpy(bytes.data() + bytes.size() - 8, &hash, 8);
  }
  const std::string path = w2v::fuzz::WriteInput(bytes.data(), bytes.size());
  auto snapshot = w2v::io::ReadSnapshot(path);
  if (!snapshot.ok()) {
    w2v::fuzz::Check(std::string(snapshot.status().message()).find(path) != std::string::npos);
    return 0;
  }
  const std::string again = path + ".again";
  w2v::fuzz::Check(w2v::io::WriteSnapshot(again, snapshot->contents, snapshot->store).ok());
  const auto reread = w2v::io::ReadSnapshot(again);
  w2v::fuzz::Check(reread.ok());
  std::remove(again.c_str());
  return 0;
}
