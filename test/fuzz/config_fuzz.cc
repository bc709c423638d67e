// Fuzzes the config reader: any bytes give a config or an error, and a config that loads prints as
// TOML that loads again to the same TOML.
#include <cstdint>
#include <string>

#include "io/config.h"
#include "test/fuzz/fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto config = w2v::io::LoadConfigText(text, "/tmp/fuzz.toml");
  if (!config.ok()) {
    w2v::fuzz::Check(!config.status().message().empty());
    return 0;
  }
  const std::string printed = w2v::io::ConfigToToml(*config);
  const auto again = w2v::io::LoadConfigText(printed, "/tmp/fuzz.toml");
  w2v::fuzz::Check(again.ok() && w2v::io::ConfigToToml(*again) == printed);
  return 0;
}
