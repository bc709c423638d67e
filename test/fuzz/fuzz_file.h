// For fuzz targets whose code under test reads files: the input written to a file of this process's
// own, rewritten for every input.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace w2v::fuzz {

inline std::string WriteInput(const uint8_t* data, size_t size) {
  // Removed when the process exits normally, so runs leave nothing behind in /tmp.
  struct InputFile {
    std::string path = "/tmp/w2v_fuzz_input_" + std::to_string(getpid());
    ~InputFile() { std::remove(path.c_str()); }
  };
  static const InputFile input_file;
  const std::string& path = input_file.path;
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) __builtin_trap();
  if (size > 0 && std::fwrite(data, 1, size, file) != size) __builtin_trap();
  std::fclose(file);
  return path;
}

// A property the code must keep on every input: a violation is a finding, reported as a crash.
inline void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace w2v::fuzz
