#include "io/config.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/status.h"
#include "toml++/toml.h"

namespace w2v::io {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMaxThreads = 1024;
// A config is a page of text; this stops a corpus given by mistake (or /dev/zero) from being read
// into memory whole before the TOML parser rejects it.
constexpr size_t kMaxConfigBytes = 1 << 20;

// Where a value came from, for messages and for resolving relative paths.
struct Origin {
  std::string location;  // "FILE:LINE" or "--set KEY=VALUE"
  fs::path base;         // the directory relative paths are resolved against
  std::string file;      // the config file, to locate nested values; empty for overrides
};

std::string OneLine(std::string_view text) {
  std::string out(text);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

// Every message reads "LOCATION: KEY: DETAIL" on one line, so a user can jump straight to the line
// (an override's text may hold a newline).
std::string Prefix(const Origin& origin, const std::string& key) {
  return OneLine(absl::StrCat(origin.location, ": ", key, ": "));
}

std::string TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

absl::Status WrongType(const Origin& origin, const std::string& key, const char* expected,
                       const toml::node& node) {
  return absl::InvalidArgumentError(
      absl::StrCat(Prefix(origin, key), "expected ", expected, ", got ", TypeName(node)));
}

// The shortest text that reads back to exactly `value` (so 0.025 stays "0.025").
std::string ShortestDouble(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string text(buffer, result.ptr);
  // to_chars writes "1e-04" and "1e+09"; "1e-4" and "1e9" are the same TOML floats, easier to read.
  if (const size_t e = text.find('e'); e != std::string::npos) {
    size_t digits = e + 1;
    if (text[digits] == '+') {
      text.erase(digits, 1);
    } else if (text[digits] == '-') {
      ++digits;
    }
    while (digits + 1 < text.size() && text[digits] == '0') text.erase(digits, 1);
  }
  return text;
}

// As ShortestDouble, but always a TOML float: "5" would read back as an integer.
std::string TomlDouble(double value) {
  std::string text = ShortestDouble(value);
  if (text.find_first_of(".en") == std::string::npos) text += ".0";  // 'n': inf and nan
  return text;
}

std::string TomlString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char escape[8];
          std::snprintf(escape, sizeof(escape), "\\u%04X", static_cast<unsigned>(c));
          out += escape;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string TomlStringArray(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  quoted.reserve(items.size());
  for (const std::string& item : items) quoted.push_back(TomlString(item));
  std::string one_line = absl::StrCat("[", absl::StrJoin(quoted, ", "), "]");
  if (one_line.size() <= 80) return one_line;
  // Long lists (the sample words, many corpus files) wrap at 100 columns, as a person would write.
  std::string out = "[\n";
  std::string line;
  for (const std::string& item : quoted) {
    if (!line.empty() && line.size() + item.size() + 2 > 100) {
      absl::StrAppend(&out, line, "\n");
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "  " : " ", item, ",");
  }
  return absl::StrCat(out, line, "\n]");
}

std::string Resolve(const std::string& path, const fs::path& base) {
  if (path.empty()) return path;  // "" means "none" for the optional paths
  const fs::path p(path);
  return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

// One key of the schema. The readers and writers are closures over a binding to the struct member,
// so reading, validation, printing and documentation cannot disagree about a key.
struct KeySpec {
  std::string key;  // "model.dim", or "threads" at top level
  std::string type;
  std::string range;
  std::string meaning;
  // The documented default when the struct's initialiser is a placeholder (threads: 0 = "not set").
  std::string default_text;
  // String-valued keys take an override's raw text when it does not read as a TOML string.
  bool string_like = false;
  std::function<absl::Status(const toml::node&, const Origin&, TrainConfig&)> read;
  std::function<std::string(const TrainConfig&)> write;  // the value as TOML
  // Path keys only: makes the member's relative paths absolute against a directory.
  std::function<void(TrainConfig&, const fs::path&)> resolve;
};

template <typename T>
using Field = T& (*)(TrainConfig&);

KeySpec NewSpec(std::string key, std::string type, std::string range, std::string meaning) {
  KeySpec spec;
  spec.key = std::move(key);
  spec.type = std::move(type);
  spec.range = std::move(range);
  spec.meaning = std::move(meaning);
  return spec;
}

// Binds a key to the member of the same dotted name: the key string and the accessor come from one
// spelling, so the TOML keys are the member names.
// clang-format off
#define W2V_KEY(member) #member, +[](TrainConfig& c) -> auto& { return c.member; }
// clang-format on

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

KeySpec DoubleKey(const char* key, Field<double> field, DoubleRange range, const char* meaning) {
  const std::string range_text =
      absl::StrCat(range.min_exclusive ? "(" : "[", ShortestDouble(range.min), ", ",
                   ShortestDouble(range.max), "]");
  KeySpec spec = NewSpec(key, "float", range_text, meaning);
  spec.read = [key = spec.key, field, range, range_text](
                  const toml::node& node, const Origin& origin, TrainConfig& config) {
    double v = 0;
    if (const auto* f = node.as_floating_point()) {
      v = f->get();
    } else if (const auto* i = node.as_integer()) {
      v = static_cast<double>(i->get());
    } else {
      return WrongType(origin, key, "a number", node);
    }
    // Written so that NaN fails too.
    const bool above_min = range.min_exclusive ? v > range.min : v >= range.min;
    if (!(above_min && v <= range.max)) {
      return absl::OutOfRangeError(
          absl::StrCat(Prefix(origin, key), ShortestDouble(v), " is out of range ", range_text));
    }
    field(config) = v;
    return absl::OkStatus();
  };
  spec.write = [field](const TrainConfig& config) { return TomlDouble(Get(field, config)); };
  return spec;
}

KeySpec BoolKey(const char* key, Field<bool> field, const char* meaning) {
  KeySpec spec = NewSpec(key, "boolean", "true, false", meaning);
  spec.read = [key = spec.key, field](const toml::node& node, const Origin& origin,
                                      TrainConfig& config) {
    const auto* value = node.as_boolean();
    if (value == nullptr) return WrongType(origin, key, "a boolean", node);
    field(config) = value->get();
    return absl::OkStatus();
  };
  spec.write = [field](const TrainConfig& config) {
    return std::string(Get(field, config) ? "true" : "false");
  };
  return spec;
}

// A string, or with `is_path` a file name resolved against the origin's directory.
KeySpec StringKey(const char* key, Field<std::string> field, bool is_path, const char* meaning) {
  KeySpec spec = NewSpec(key, is_path ? "path" : "string", "any", meaning);
  spec.string_like = true;
  spec.read = [key = spec.key, field, is_path](const toml::node& node, const Origin& origin,
                                               TrainConfig& config) {
    const auto* value = node.as_string();
    if (value == nullptr) return WrongType(origin, key, "a string", node);
    field(config) = is_path ? Resolve(value->get(), origin.base) : value->get();
    return absl::OkStatus();
  };
  spec.write = [field](const TrainConfig& config) { return TomlString(Get(field, config)); };
  if (is_path) {
    spec.resolve = [field](TrainConfig& config, const fs::path& base) {
      field(config) = Resolve(field(config), base);
    };
  }
  return spec;
}

// An array of non-empty strings, or with `is_path` of file names resolved as in StringKey.
KeySpec StringListKey(const char* key, Field<std::vector<std::string>> field, bool is_path,
                      const char* meaning) {
  KeySpec spec =
      NewSpec(key, is_path ? "array of paths" : "array of strings", "non-empty strings", meaning);
  spec.read = [key = spec.key, field, is_path](const toml::node& node, const Origin& origin,
                                               TrainConfig& config) {
    const auto* array = node.as_array();
    if (array == nullptr) return WrongType(origin, key, "an array of strings", node);
    std::vector<std::string> items;
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      // Elements can sit on lines of their own, so each is located by its own line.
      Origin item_origin = origin;
      if (!origin.file.empty()) {
        item_origin.location = absl::StrCat(origin.file, ":", item.source().begin.line);
      }
      const std::string item_key = absl::StrCat(key, "[", i, "]");
      const auto* text = item.as_string();
      if (text == nullptr) return WrongType(item_origin, item_key, "a string", item);
      if (text->get().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(Prefix(item_origin, item_key), "must not be empty"));
      }
      items.push_back(is_path ? Resolve(text->get(), origin.base) : text->get());
    }
    field(config) = std::move(items);
    return absl::OkStatus();
  };
  spec.write = [field](const TrainConfig& config) { return TomlStringArray(Get(field, config)); };
  if (is_path) {
    spec.resolve = [field](TrainConfig& config, const fs::path& base) {
      for (std::string& path : field(config)) path = Resolve(path, base);
    };
  }
  return spec;
}

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

const std::vector<KeySpec>& Schema() {
  static const std::vector<KeySpec> schema = [] {
    constexpr int64_t k1e6 = 1'000'000;
    constexpr int64_t k1e9 = 1'000'000'000;
    constexpr int64_t k1e12 = 1'000'000'000'000;
    std::vector<KeySpec> s;
    KeySpec threads = IntKey(W2V_KEY(threads), 1, kMaxThreads, "worker threads");
    threads.default_text = "the number of cores";
    s.push_back(std::move(threads));

    s.push_back(StringListKey(W2V_KEY(corpus.paths), /*is_path=*/true,
                              "corpus files, read in order (training needs at least one)"));
    s.push_back(EnumKey(W2V_KEY(corpus.format),
                        {{"text", CorpusFormat::kText}, {"sst", CorpusFormat::kSst}},
                        "text: whitespace-separated tokens, a sentence per line; sst: the "
                        "Stanford Sentiment Treebank's datasetSentences.txt (a header line, then "
                        "index, tab, sentence)"));
    s.push_back(BoolKey(W2V_KEY(corpus.lowercase), "ASCII lower-casing of every token"));
    s.push_back(IntKey(W2V_KEY(corpus.max_sentence_length), 1, k1e6,
                       "tokens per sentence; longer lines are cut into several sentences"));
    // At least 4 so that any UTF-8 character fits in a token.
    s.push_back(IntKey(W2V_KEY(corpus.max_token_bytes), 4, k1e6,
                       "bytes per token; longer tokens are cut at a UTF-8 character boundary"));

    s.push_back(IntKey(W2V_KEY(vocab.min_count), 1, k1e9, "rarer words are dropped"));
    s.push_back(
        IntKey(W2V_KEY(vocab.max_vocab), 0, k1e9, "keep only the most frequent words; 0: no cap"));
    s.push_back(StringKey(W2V_KEY(vocab.path), /*is_path=*/true,
                          "read the vocabulary from this `word count` file; empty: count the "
                          "corpus"));

    s.push_back(IntKey(W2V_KEY(model.dim), 1, 10'000, "vector dimension"));
    s.push_back(IntKey(W2V_KEY(model.window), 1, 1000, "context words on each side of the centre"));
    s.push_back(EnumKey(
        W2V_KEY(model.loss),
        {{"negative_sampling", LossKind::kNegativeSampling}, {"softmax", LossKind::kSoftmax}},
        "negative sampling or the full (naive) softmax"));
    KeySpec negatives = IntKey(W2V_KEY(model.negatives), 0, 1000,
                               "negative samples K per pair; at least 1 with negative_sampling");
    negatives.range += ", >= 1 with negative_sampling";
    s.push_back(std::move(negatives));
    s.push_back(DoubleKey(W2V_KEY(model.noise_exponent), {0, 2},
                          "negatives are drawn with probability proportional to count^exponent"));
    s.push_back(DoubleKey(W2V_KEY(model.subsample), {0, 1},
                          "frequent-word subsampling threshold t; 0: no subsampling"));
    s.push_back(EnumKey(W2V_KEY(model.init),
                        {{"word2vec", InitKind::kWord2Vec}, {"assignment", InitKind::kAssignment}},
                        "both draw centre vectors uniform in ±0.5/dim and zero outside vectors; "
                        "word2vec: with word2vec.c's own generator (optim.seed = 1 gives its exact "
                        "start); assignment: with 24-bit uniforms, as the CS224N starter code"));

    s.push_back(DoubleKey(W2V_KEY(optim.lr), {0, 10, /*min_exclusive=*/true}, "learning rate"));
    s.push_back(EnumKey(W2V_KEY(optim.kernel),
                        {{"block", KernelKind::kBlock}, {"pairwise", KernelKind::kPairwise}},
                        "block: negative sampling as HogBatch (the window's context rows against the "
                        "centre and K negatives shared by the window, as small dense blocks), naive "
                        "softmax up to 16 windows per pass over U (one per 1,024 words of "
                        "vocabulary); pairwise: the assignment's step, one window at a time "
                        "(negative sampling: each outside word with its own K negatives)"));
    s.push_back(EnumKey(W2V_KEY(optim.schedule),
                        {{"linear", ScheduleKind::kLinear}, {"step", ScheduleKind::kStep}},
                        "linear: decay to min_lr over the run; step: multiply by step_factor "
                        "every step_every iterations"));
    KeySpec min_lr =
        DoubleKey(W2V_KEY(optim.min_lr), {0, 10}, "floor of the linear schedule; at most optim.lr");
    min_lr.range = "[0, optim.lr]";
    s.push_back(std::move(min_lr));
    s.push_back(DoubleKey(W2V_KEY(optim.step_factor), {0, 1, /*min_exclusive=*/true},
                          "step schedule: the learning rate's factor at each step"));
    s.push_back(
        IntKey(W2V_KEY(optim.step_every), 1, k1e12, "step schedule: iterations between steps"));
    s.push_back(IntKey(W2V_KEY(optim.epochs), 1, 100'000, "passes over the corpus"));
    s.push_back(IntKey(W2V_KEY(optim.iterations), 0, k1e12,
                       "> 0: stop after this many iterations instead of `epochs`"));
    s.push_back(IntKey(W2V_KEY(optim.batch_windows), 1, k1e9,
                       "windows per iteration (the assignment's batch)"));
    // TOML integers are signed 64-bit, so that is the largest seed a file can hold.
    s.push_back(IntKey(W2V_KEY(optim.seed), 0, std::numeric_limits<int64_t>::max(), "random seed"));

    s.push_back(DoubleKey(W2V_KEY(log.interval_seconds), {0, 86'400, /*min_exclusive=*/true},
                          "seconds between progress lines"));

    s.push_back(DoubleKey(W2V_KEY(snapshot.every_seconds), {0, 1e9},
                          "seconds between snapshots; 0: only the final one"));
    s.push_back(StringKey(W2V_KEY(snapshot.path), /*is_path=*/true,
                          "snapshot file; empty: <output.dir>/snapshot.w2v"));

    s.push_back(IntKey(W2V_KEY(eval.every_epochs), 0, k1e9,
                       "evaluate the vectors after every N epochs and at the end, into "
                       "metrics.jsonl; 0: never"));
    s.push_back(StringKey(W2V_KEY(eval.questions), /*is_path=*/true,
                          "analogy questions (questions-words.txt format) for eval.every_epochs"));
    s.push_back(StringListKey(W2V_KEY(eval.pairs), /*is_path=*/true,
                              "word-similarity files (word1 word2 score) for eval.every_epochs"));
    s.push_back(IntKey(W2V_KEY(eval.restrict), 0, k1e9,
                       "the evaluation uses the N most frequent words; 0: all"));

    s.push_back(StringKey(W2V_KEY(output.dir), /*is_path=*/true, "where the results go"));
    s.push_back(BoolKey(W2V_KEY(output.text), "write vectors.txt"));
    s.push_back(BoolKey(W2V_KEY(output.binary), "write vectors.bin"));
    s.push_back(StringListKey(W2V_KEY(output.sample_words), /*is_path=*/false,
                              "words for sample_vectors.json and the 2-D picture"));
    s.push_back(BoolKey(W2V_KEY(output.plots), "draw the loss curve and the picture at the end"));
    return s;
  }();
  return schema;
}

#undef W2V_KEY

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
    const int e = errno;
    const std::string message = absl::StrCat(path, ": ", std::strerror(e));
    return e == EACCES ? absl::PermissionDeniedError(message) : absl::UnavailableError(message);
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
  if (node != nullptr && spec->string_like && !node->is_string()) node = nullptr;
  const toml::value<std::string> bare(std::string(absl::StripAsciiWhitespace(raw)));
  RETURN_IF_ERROR(spec->read(node != nullptr ? *node : bare, origin, loader.config));
  loader.set_at[key] = origin.location;
  return absl::OkStatus();
}

// Constraints between keys, located where the first of the named keys that was set got its value.
absl::Status CheckCrossFields(const Loader& loader, const std::string& source) {
  const TrainConfig& c = loader.config;
  auto location = [&](std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
      if (auto it = loader.set_at.find(key); it != loader.set_at.end()) return it->second;
    }
    return source;
  };
  if (c.model.loss == LossKind::kNegativeSampling && c.model.negatives < 1) {
    return absl::OutOfRangeError(absl::StrCat(
        location({"model.negatives", "model.loss"}), ": model.negatives: ", c.model.negatives,
        " is out of range: negative_sampling needs at least 1 negative"));
  }
  if (c.eval.every_epochs > 0 && c.eval.questions.empty() && c.eval.pairs.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(location({"eval.every_epochs"}),
                     ": eval.every_epochs: needs eval.questions or eval.pairs to evaluate with"));
  }
  if (c.optim.min_lr > c.optim.lr) {
    return absl::OutOfRangeError(absl::StrCat(
        location({"optim.min_lr", "optim.lr"}), ": optim.min_lr: ", ShortestDouble(c.optim.min_lr),
        " is out of range [0, optim.lr = ", ShortestDouble(c.optim.lr), "]"));
  }
  return absl::OkStatus();
}

}  // namespace

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
  RETURN_IF_ERROR(CheckCrossFields(loader, source));

  if (loader.config.threads == 0) {
    const int64_t cores = std::thread::hardware_concurrency();
    loader.config.threads = std::clamp<int64_t>(cores, 1, kMaxThreads);
  }
  loader.config.source = source;
  return std::move(loader.config);
}

absl::StatusOr<TrainConfig> LoadConfig(const std::string& path,
                                       const std::vector<std::string>& overrides) {
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
