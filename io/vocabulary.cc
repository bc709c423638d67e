#include "io/vocabulary.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/samplers.h"
#include "core/status.h"
#include "io/atomic_file.h"
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"

namespace w2v::io {
namespace {

using WordCounts = absl::flat_hash_map<std::string, int64_t>;

// A shard's table may hold this many times max_vocab words before its rarest are pruned: roomy enough
// that words near the cut keep exact counts, small enough to bound memory on a web-scale corpus.
constexpr int64_t kPruneFactor = 10;

// A file may hold at most this share of lines that are not UTF-8 under corpus.invalid_utf8's
// "replace" or "skip_line": more is a binary file or a whole file in another encoding, not a few
// stray bytes.
constexpr double kMaxInvalidLineShare = 0.01;

absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

struct ShardCount {
  WordCounts counts;
  int64_t tokens = 0;
  int64_t truncated = 0;
  int64_t pruned = 0;
  int64_t lines = 0;
  int64_t invalid_utf8_lines = 0;
  absl::Status status;
};

void CountShard(const Corpus& corpus, const Shard& shard, int64_t prune_above, ShardCount& out) {
  TokenReader reader(corpus, shard);
  int64_t min_reduce = 1;
  std::string_view token;
  for (auto event = reader.Next(&token); event != TokenReader::Event::kEnd;
       event = reader.Next(&token)) {
    if (event != TokenReader::Event::kToken) continue;
    ++out.tokens;
    const absl::string_view key = AbslView(token);
    if (auto it = out.counts.find(key); it != out.counts.end()) {
      ++it->second;
      continue;
    }
    out.counts.emplace(std::string(token), 1);
    if (static_cast<int64_t>(out.counts.size()) > prune_above) {
      const size_t before = out.counts.size();
      absl::erase_if(out.counts, [&](const auto& entry) { return entry.second <= min_reduce; });
      out.pruned += static_cast<int64_t>(before - out.counts.size());
      ++min_reduce;
    }
  }
  out.truncated = reader.truncated_tokens();
  out.lines = reader.lines();
  out.invalid_utf8_lines = reader.invalid_utf8_lines();
  out.status = reader.status();
  corpus.ReleaseShard(shard);
}

std::string CorpusName(const Corpus& corpus) {
  std::string name;
  for (const MappedFile& f : corpus.files()) absl::StrAppend(&name, name.empty() ? "" : ", ", f.path());
  return name;
}

}  // namespace

absl::StatusOr<Vocabulary> Vocabulary::Build(const Corpus& corpus, const VocabOptions& options,
                                             CountStats* stats) {
  const auto start = std::chrono::steady_clock::now();
  const int threads = std::max(1, options.threads);
  // A few shards per thread balance the load when some shards are slower than others.
  const std::vector<Shard> shards = corpus.MakeShards(4 * threads);
  std::vector<ShardCount> counted(shards.size());
  // The shards' tables together stay within max_counted_words, which bounds the merged one too;
  // without that bound a corpus of mostly distinct tokens (logs, hashes) grows them until memory
  // runs out.
  int64_t prune_above =
      std::max<int64_t>(1, options.max_counted_words / std::max<int64_t>(1, shards.size()));
  if (options.max_vocab > 0) prune_above = std::min(prune_above, kPruneFactor * options.max_vocab);
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, shards.size(), [&](size_t i) {
      CountShard(corpus, shards[i], prune_above, counted[i]);
    });
  });

  CountStats local;
  std::vector<int64_t> file_lines(corpus.files().size()), file_invalid_lines(corpus.files().size());
  for (size_t i = 0; i < shards.size(); ++i) {
    RETURN_IF_ERROR(counted[i].status);
    file_lines[shards[i].file] += counted[i].lines;
    file_invalid_lines[shards[i].file] += counted[i].invalid_utf8_lines;
  }
  for (size_t f = 0; f < corpus.files().size(); ++f) {
    if (file_invalid_lines[f] > kMaxInvalidLineShare * static_cast<double>(file_lines[f])) {
      return absl::InvalidArgumentError(absl::StrCat(
          corpus.files()[f].path(), ": ", file_invalid_lines[f], " of its ", file_lines[f],
          " lines are not UTF-8, more than corpus.invalid_utf8 repairs (1%): a binary file, or "
          "text in another encoding (convert it with iconv)"));
    }
    local.invalid_utf8_lines += file_invalid_lines[f];
  }
  WordCounts merged;
  for (ShardCount& shard : counted) {
    local.tokens += shard.tokens;
    local.truncated_tokens += shard.truncated;
    local.pruned += shard.pruned;
    if (merged.empty()) {
      merged = std::move(shard.counts);
      continue;
    }
    for (auto& [word, count] : shard.counts) merged[word] += count;
    WordCounts().swap(shard.counts);
  }
  // Counted once, as the assignment's treebank reader adds "UNK" (frequency 1, wordcount + 1);
  // min_count and max_vocab then apply to it like to any word.
  if (!options.unk_word.empty()) ++merged[options.unk_word];
  if (local.tokens == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(CorpusName(corpus), ": the corpus has no tokens"));
  }
  local.distinct = static_cast<int64_t>(merged.size());
  local.bytes = corpus.total_bytes();

  std::vector<std::pair<std::string, int64_t>> counts;
  counts.reserve(merged.size());
  for (auto& entry : merged) counts.emplace_back(entry.first, entry.second);
  WordCounts().swap(merged);
  auto vocabulary = FromCounts(std::move(counts), options, CorpusName(corpus));
  local.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (stats != nullptr) *stats = local;
  return vocabulary;
}

absl::StatusOr<Vocabulary> Vocabulary::FromCounts(
    std::vector<std::pair<std::string, int64_t>> counts, const VocabOptions& options,
    const std::string& source) {
  if (counts.empty()) return absl::FailedPreconditionError(source + ": no words");
  const auto before = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  const auto most_frequent = *std::min_element(counts.begin(), counts.end(), before);
  // Filtered before sorting: on a corpus of mostly distinct tokens most words are under min_count.
  std::erase_if(counts, [&](const auto& entry) { return entry.second < options.min_count; });
  std::sort(counts.begin(), counts.end(), before);
  if (options.max_vocab > 0 && static_cast<int64_t>(counts.size()) > options.max_vocab) {
    counts.resize(options.max_vocab);
  }
  if (counts.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        source, ": no word occurs at least min_count = ", options.min_count,
        " times (the most frequent, '", most_frequent.first, "', occurs ", most_frequent.second,
        " times)"));
  }
  if (counts.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::OutOfRangeError(source + ": more than 2^31 words; set vocab.max_vocab");
  }

  Vocabulary vocab;
  vocab.words_.reserve(counts.size());
  vocab.counts_.reserve(counts.size());
  vocab.index_.reserve(counts.size());
  for (auto& [word, count] : counts) {
    vocab.index_.emplace(word, static_cast<int32_t>(vocab.words_.size()));
    vocab.words_.push_back(std::move(word));
    vocab.counts_.push_back(count);
    vocab.total_count_ += count;
  }
  vocab.keep_probabilities_.reserve(counts.size());
  for (int64_t count : vocab.counts_) {
    vocab.keep_probabilities_.push_back(
        core::KeepProbability(count, vocab.total_count_, options.subsample,
                              options.subsample_formula));
  }
  return vocab;
}

absl::StatusOr<Vocabulary> Vocabulary::Read(const std::string& path, const VocabOptions& options) {
  ASSIGN_OR_RETURN(MappedFile file, MappedFile::Open(path));
  const std::string_view data = file.data();
  std::vector<std::pair<std::string, int64_t>> counts;
  absl::flat_hash_map<std::string, int64_t> seen;
  int64_t line_number = 0;
  size_t pos = 0;
  while (pos < data.size()) {
    size_t eol = data.find('\n', pos);
    if (eol == std::string_view::npos) eol = data.size();
    std::string_view line = data.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const size_t space = line.find_first_of(" \t");
    const std::string_view word = line.substr(0, space);
    int64_t count = 0;
    if (space == std::string_view::npos || word.empty() ||
        !absl::SimpleAtoi(AbslView(line.substr(space + 1)), &count) || count <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number, ": expected 'WORD COUNT' with a positive count"));
    }
    if (!IsValidUtf8(word)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line_number, ": invalid UTF-8"));
    }
    if (auto [it, inserted] = seen.emplace(std::string(word), line_number); !inserted) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line_number, ": '", AbslView(word),
                                                     "' is listed again (first on line ",
                                                     it->second, ")"));
    }
    counts.emplace_back(std::string(word), count);
  }
  if (counts.empty()) return absl::FailedPreconditionError(path + ": the vocabulary file is empty");
  return FromCounts(std::move(counts), options, path);
}

absl::Status Vocabulary::Write(const std::string& path) const {
  ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Open(path));
  std::string buffer;
  for (size_t i = 0; i < words_.size(); ++i) {
    absl::StrAppend(&buffer, words_[i], " ", counts_[i], "\n");
    if (buffer.size() > (1 << 20)) {
      RETURN_IF_ERROR(writer.Write(buffer));
      buffer.clear();
    }
  }
  RETURN_IF_ERROR(writer.Write(buffer));
  return writer.Commit();
}

int32_t Vocabulary::Find(std::string_view word) const {
  auto it = index_.find(AbslView(word));
  return it == index_.end() ? kNotFound : it->second;
}

}  // namespace w2v::io
