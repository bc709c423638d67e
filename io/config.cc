// Loading a config: the file, then the --set overrides, each key read through its row of the schema
// (config_schema.cc), then the checks between keys (config_constraints.h); and the schema's two other uses, printing a
// config as TOML and listing the documented keys.
#include "io/config.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "io/config_constraints.h"
#include "io/config_keys.h"
#include "io/errno_status.h"
#include "io/toml_writer.h"
#include "toml++/toml.h"

namespace w2v::io {
namespace {

namespace fs = std::filesystem;

using config_keys::KeySpec;
using config_keys::OneLine;
using config_keys::Origin;
using config_keys::Prefix;
using config_keys::Schema;
using config_keys::WrongType;

// A config is a page of text; this stops a corpus given by mistake (or /dev/zero) from being read
// into memory whole before the TOML parser rejects it.
constexpr size_t kMaxConfigBytes = 1 << 20;

const KeySpec* FindKey(const std::string& key) {
  for (const KeySpec& spec : Schema()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

std::string SectionOf(const std::string& key) {
  const size_t dot = key.find('.');
  return dot == std::string::npos ? "" : key.substr(0, dot);
}

bool IsSection(const std::string& name) {
  for (const KeySpec& spec : Schema()) {
    if (!name.empty() && SectionOf(spec.key) == name) return true;
  }
  return false;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// " (did you mean model.dim?)" for a near miss, including a key put in the wrong section.
std::string Suggestion(const std::string& unknown) {
  std::vector<std::string> candidates;
  for (const KeySpec& spec : Schema()) {
    candidates.push_back(spec.key);
    const std::string section = SectionOf(spec.key);
    if (!section.empty()) candidates.push_back(section);
  }
  std::string best;
  size_t best_distance = 3;
  for (const std::string& candidate : candidates) {
    const size_t d = EditDistance(unknown, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  if (best.empty()) {
    const std::string leaf = unknown.substr(unknown.rfind('.') + 1);
    for (const KeySpec& spec : Schema()) {
      if (spec.key.substr(spec.key.rfind('.') + 1) == leaf) best = spec.key;
    }
  }
  return best.empty() ? "" : absl::StrCat(" (did you mean ", best, "?)");
}

absl::Status UnknownKey(const Origin& origin, const std::string& key) {
  return absl::InvalidArgumentError(
      absl::StrCat(Prefix(origin, key), "unknown key", Suggestion(key)));
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) {
    return absl::NotFoundError(absl::StrCat(path, ": no such config file"));
  }
  if (error) return absl::UnavailableError(absl::StrCat(path, ": ", error.message()));
  if (fs::is_directory(status)) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": is a directory, not a config file"));
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return ErrnoStatus(errno, path, /*verb=*/"", absl::StatusCode::kUnavailable);
  }
  std::string contents;
  char buffer[1 << 16];
  size_t n = 0;
  while (contents.size() <= kMaxConfigBytes &&
         (n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    contents.append(buffer, n);
  }
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return absl::DataLossError(absl::StrCat(path, ": read error"));
  if (contents.size() > kMaxConfigBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": over ", kMaxConfigBytes, " bytes, too large for a config file"));
  }
  return contents;
}

// Reading state: the config being filled and where each key was last set, so that cross-field
// errors point at a line.
struct Loader {
  TrainConfig config;
  std::map<std::string, std::string> set_at;  // key -> location
};

class FileReader {
 public:
  FileReader(const std::string& path, fs::path base) : path_(path), base_(std::move(base)) {}

  std::string LocationAt(const toml::source_region& source) const {
    return absl::StrCat(path_, ":", source.begin.line);
  }

  // Reads every key of `root`. Tables iterate in key order, not file order, so each error is kept
  // and the one earliest in the file is reported: the one a reader of the file meets first.
  absl::Status Read(const toml::table& root, Loader& loader) {
    for (const auto& [name, node] : root) {
      const std::string key(name.str());
      if (IsSection(key)) {
        const auto* section = node.as_table();
        if (section == nullptr) {
          Note(node.source(), WrongType(At(node.source()), key, "a table", node));
          continue;
        }
        for (const auto& [sub_name, sub_node] : *section) {
          ReadKey(absl::StrCat(key, ".", std::string(sub_name.str())), sub_name.source(), sub_node,
                  loader);
        }
      } else {
        ReadKey(key, name.source(), node, loader);
      }
    }
    return first_error_;
  }

 private:
  Origin At(const toml::source_region& source) const { return {LocationAt(source), base_, path_}; }

  void ReadKey(const std::string& key, const toml::source_region& key_source,
               const toml::node& node, Loader& loader) {
    const KeySpec* spec = FindKey(key);
    if (spec == nullptr) {
      Note(key_source, UnknownKey(At(key_source), key));
      return;
    }
    const Origin origin = At(node.source());
    Note(node.source(), spec->read(node, origin, loader.config));
    loader.set_at[key] = origin.location;
  }

  void Note(const toml::source_region& source, absl::Status status) {
    if (status.ok()) return;
    const uint32_t line = source.begin.line;
    if (first_error_.ok() || line < first_error_line_) {
      first_error_ = std::move(status);
      first_error_line_ = line;
    }
  }

  std::string path_;
  fs::path base_;
  absl::Status first_error_;
  uint32_t first_error_line_ = 0;
};

absl::Status ApplyOverride(const std::string& override_text, const fs::path& cwd, Loader& loader) {
  const size_t eq = override_text.find('=');
  const Origin origin{absl::StrCat("--set ", override_text), cwd, ""};
  if (eq == std::string::npos) {
    return absl::InvalidArgumentError(
        OneLine(absl::StrCat(origin.location, ": expected KEY=VALUE")));
  }
  const std::string key(absl::StripAsciiWhitespace(override_text.substr(0, eq)));
  const std::string raw = override_text.substr(eq + 1);
  const KeySpec* spec = FindKey(key);
  if (spec == nullptr) return UnknownKey(origin, key);

  std::optional<toml::table> parsed;
  try {
    const std::string document = absl::StrCat("x = ", raw);
    parsed = toml::parse(std::string_view(document), std::string_view("--set"));
  } catch (const toml::parse_error&) {
    // Not a TOML value: a bare string, so `--set output.dir=/tmp/run` needs no shell quoting.
  }
  const toml::node* node = nullptr;
  if (parsed && parsed->size() == 1) node = parsed->get("x");
  // `--set output.dir=2024-01-01` reads as a TOML date; a string key wants the text itself.
  if (node != nullptr && spec->string_like && !node->is_string() &&
      !(spec->is_list && node->is_array())) {
    node = nullptr;
  }
  const toml::value<std::string> bare(std::string(absl::StripAsciiWhitespace(raw)));
  RETURN_IF_ERROR(spec->read(node != nullptr ? *node : bare, origin, loader.config));
  loader.set_at[key] = origin.location;
  return absl::OkStatus();
}

}  // namespace

int64_t DefaultThreads() {
  const int64_t cores = std::thread::hardware_concurrency();
  return std::clamp<int64_t>(cores, 1, kMaxThreads);
}

absl::StatusOr<TrainConfig> LoadConfigText(const std::string& contents, const std::string& source,
                                           const std::vector<std::string>& overrides) {
  toml::table root;
  try {
    root = toml::parse(std::string_view(contents), std::string_view(source));
  } catch (const toml::parse_error& error) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ":", error.source().begin.line, ": ", OneLine(error.description())));
  }

  std::error_code error;
  const fs::path cwd = fs::current_path(error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot resolve paths: no current directory (", error.message(), ")"));
  }
  Loader loader;
  // A default path (output.dir) belongs to no file: it is relative to where w2v runs.
  for (const KeySpec& spec : Schema()) {
    if (spec.resolve) spec.resolve(loader.config, cwd);
  }

  FileReader reader(source, (cwd / source).parent_path());
  RETURN_IF_ERROR(reader.Read(root, loader));
  for (const std::string& override_text : overrides) {
    RETURN_IF_ERROR(ApplyOverride(override_text, cwd, loader));
  }
  RETURN_IF_ERROR(CheckConstraints(loader.config, loader.set_at, source));

  if (loader.config.threads == 0) loader.config.threads = DefaultThreads();
  loader.config.source = source;
  return std::move(loader.config);
}

absl::StatusOr<TrainConfig> LoadConfig(const std::string& path,
                                       const std::vector<std::string>& overrides) {
  if (path.empty()) return LoadConfigText("", kNoConfigFile, overrides);
  ASSIGN_OR_RETURN(const std::string contents, ReadWholeFile(path));
  return LoadConfigText(contents, path, overrides);
}

std::string ConfigToToml(const TrainConfig& config) {
  std::string out = "# w2v training config (every key; see configs/README.md)\n";
  if (!config.source.empty()) absl::StrAppend(&out, "# read from ", OneLine(config.source), "\n");
  std::string section;
  for (const KeySpec& spec : Schema()) {
    const std::string spec_section = SectionOf(spec.key);
    if (spec_section != section) {
      section = spec_section;
      absl::StrAppend(&out, "\n[", section, "]\n");
    }
    const std::string name = spec.key.substr(spec.key.rfind('.') + 1);
    if (!spec.default_text.empty() && spec.write(config) == spec.write(TrainConfig())) {
      // A placeholder (threads = 0: not set) would not read back; leaving the key out means it.
      absl::StrAppend(&out, "# ", name, " = ", spec.default_text, "\n");
      continue;
    }
    absl::StrAppend(&out, name, " = ", spec.write(config), "\n");
  }
  return out;
}

std::vector<ConfigKeyDoc> DocumentedConfigKeys() {
  const TrainConfig defaults;
  std::vector<ConfigKeyDoc> docs;
  for (const KeySpec& spec : Schema()) {
    docs.push_back({spec.key, spec.type,
                    spec.default_text.empty() ? spec.write(defaults) : spec.default_text,
                    spec.range, spec.meaning});
  }
  return docs;
}

}  // namespace w2v::io
