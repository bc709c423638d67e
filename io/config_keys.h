// The typed-key framework the config schema (config_schema.cc) is written in: a KeySpec per dotted
// key, built by IntKey, DoubleKey, BoolKey, StringKey, StringListKey or EnumKey from a binding to
// the TrainConfig member. The readers and writers are closures over that binding, so reading,
// validation, printing and documentation cannot disagree about a key. Internal to the config's
// files; everyone else goes through io/config.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "io/config.h"
#include "io/toml_writer.h"
#include "toml++/toml.h"

namespace w2v::io::config_keys {

// Where a value came from, for messages and for resolving relative paths.
struct Origin {
  std::string location;        // "FILE:LINE" or "--set KEY=VALUE"
  std::filesystem::path base;  // the directory relative paths are resolved against
  std::string file;            // the config file, to locate nested values; empty for overrides
};

std::string OneLine(std::string_view text);

// Every message reads "LOCATION: KEY: DETAIL" on one line, so a user can jump straight to the line
// (an override's text may hold a newline).
std::string Prefix(const Origin& origin, const std::string& key);

absl::Status WrongType(const Origin& origin, const std::string& key, const char* expected,
                       const toml::node& node);

// One key of the schema.
struct KeySpec {
  std::string key;  // "model.dim", or "threads" at top level
  std::string type;
  std::string range;
  std::string meaning;
  // The documented default when the struct's initialiser is a placeholder (threads: 0 = "not set").
  std::string default_text;
  // String-valued keys (and string lists, as a list of one) take an override's raw text when it
  // does not read as a TOML string (or, for a list, an array).
  bool string_like = false;
  bool is_list = false;
  std::function<absl::Status(const toml::node&, const Origin&, TrainConfig&)> read;
  std::function<std::string(const TrainConfig&)> write;  // the value as TOML
  // Path keys only: makes the member's relative paths absolute against a directory.
  std::function<void(TrainConfig&, const std::filesystem::path&)> resolve;
};

// Every key in order: the order of ConfigToToml's output and of configs/README.md's table.
const std::vector<KeySpec>& Schema();

template <typename T>
using Field = T& (*)(TrainConfig&);

KeySpec NewSpec(std::string key, std::string type, std::string range, std::string meaning);

template <typename T>
T Get(Field<T> field, const TrainConfig& config) {
  // The accessors take a mutable config so one binding serves reading and writing; writers only
  // read.
  return field(const_cast<TrainConfig&>(config));
}

template <typename T>
KeySpec IntKey(const char* key, Field<T> field, int64_t min, int64_t max, const char* meaning) {
  KeySpec spec = NewSpec(key, "integer", absl::StrCat("[", min, ", ", max, "]"), meaning);
  spec.read = [key = spec.key, field, min, max](const toml::node& node, const Origin& origin,
                                                TrainConfig& config) {
    const auto* value = node.as_integer();
    if (value == nullptr) return WrongType(origin, key, "an integer", node);
    const int64_t v = value->get();
    if (v < min || v > max) {
      return absl::OutOfRangeError(
          absl::StrCat(Prefix(origin, key), v, " is out of range [", min, ", ", max, "]"));
    }
    field(config) = static_cast<T>(v);
    return absl::OkStatus();
  };
  spec.write = [field](const TrainConfig& config) {
    return absl::StrCat(static_cast<int64_t>(Get(field, config)));
  };
  return spec;
}

struct DoubleRange {
  double min;
  double max;
  bool min_exclusive = false;
};

KeySpec DoubleKey(const char* key, Field<double> field, DoubleRange range, const char* meaning);

KeySpec BoolKey(const char* key, Field<bool> field, const char* meaning);

// A string, or with `is_path` a file name resolved against the origin's directory.
KeySpec StringKey(const char* key, Field<std::string> field, bool is_path, const char* meaning);

// An array of non-empty strings, or with `is_path` of file names resolved as in StringKey.
KeySpec StringListKey(const char* key, Field<std::vector<std::string>> field, bool is_path,
                      const char* meaning);

template <typename E>
KeySpec EnumKey(const char* key, Field<E> field, std::vector<std::pair<std::string, E>> names,
                const char* meaning) {
  std::vector<std::string> quoted;
  for (const auto& [name, value] : names) quoted.push_back(TomlString(name));
  const std::string allowed = absl::StrJoin(quoted, ", ");
  KeySpec spec = NewSpec(key, "string", absl::StrCat("one of ", allowed), meaning);
  spec.string_like = true;
  spec.read = [key = spec.key, field, names, allowed](const toml::node& node, const Origin& origin,
                                                      TrainConfig& config) {
    const auto* value = node.as_string();
    if (value == nullptr) return WrongType(origin, key, "a string", node);
    for (const auto& [name, e] : names) {
      if (name == value->get()) {
        field(config) = e;
        return absl::OkStatus();
      }
    }
    return absl::InvalidArgumentError(
        absl::StrCat(Prefix(origin, key), TomlString(value->get()), " is not one of ", allowed));
  };
  spec.write = [field, names](const TrainConfig& config) {
    const E value = Get(field, config);
    for (const auto& [name, e] : names) {
      if (e == value) return TomlString(name);
    }
    return TomlString("?");  // unreachable while `names` covers the enum
  };
  return spec;
}

}  // namespace w2v::io::config_keys
