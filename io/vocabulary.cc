#include "io/vocabulary.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/samplers.h"
#include "core/status.h"
#include "io/atomic_file.h"
#include "io/utf8.h"
#include "io/word_count_merge.h"
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"

namespace w2v::io {
namespace {

absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

std::string CorpusName(const Corpus& corpus) {
  std::string name;
  for (const MappedFile& f : corpus.files()) absl::StrAppend(&name, name.empty() ? "" : ", ", f.path());
  return name;
}

}  // namespace

absl::StatusOr<Vocabulary> Vocabulary::Build(const Corpus& corpus, const VocabOptions& options,
                                             CountStats* stats) {
  // A few shards per thread balance the load when some shards are slower than others.
  return Build(corpus, corpus.MakeShards(4 * std::max(1, options.threads)), options, stats,
               nullptr);
}

absl::StatusOr<Vocabulary> Vocabulary::Build(const Corpus& corpus, const std::vector<Shard>& shards,
                                             const VocabOptions& options, CountStats* stats,
                                             std::vector<ShardTokens>* tokens) {
  const auto start = std::chrono::steady_clock::now();
  const int threads = std::max(1, options.threads);
  ASSIGN_OR_RETURN(CountedWords counted,
                   CountWords(corpus, shards, threads, options.max_counted_words,
                              options.max_vocab, tokens));
  CountStats local = counted.stats;
  // Each table's words by their merged index, for its shards' ShardTokens.
  std::vector<std::vector<int32_t>> merged_index;
  // The unknown word is counted once, as the assignment's treebank reader adds "UNK" (frequency 1,
  // wordcount + 1); min_count and max_vocab then apply to it like to any word.
  std::optional<MergedWords> merged_or =
      MergeWordCounts(counted.tables, counted.counts, counted.recorded, merged_index, threads,
                      options.unk_word);
  if (!merged_or.has_value()) {
    return absl::OutOfRangeError(absl::StrCat(
        CorpusName(corpus), ": more than 2^31 distinct words; lower vocab.max_counted_words"));
  }
  MergedWords& merged = *merged_or;
  if (local.tokens == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(CorpusName(corpus), ": the corpus has no tokens"));
  }
  local.distinct = merged.size();
  local.bytes = corpus.total_bytes();

  // Only the words FromCounts keeps become strings (most are under min_count), unless none is kept:
  // then all, for its message naming the most frequent.
  std::vector<std::pair<std::string, int64_t>> counts;
  for (const int64_t at_least : {options.min_count, int64_t{0}}) {
    for (const WordTable& partition : merged.partitions()) {
      for (int32_t i = 0; i < partition.size(); ++i) {
        if (partition.count(i) >= at_least) {
          counts.emplace_back(std::string(partition.word(i)), partition.count(i));
        }
      }
    }
    if (!counts.empty()) break;
  }
  absl::StatusOr<Vocabulary> vocabulary = FromCounts(std::move(counts), options, CorpusName(corpus));
  if (vocabulary.ok() && tokens != nullptr) {
    std::vector<int32_t> vocabulary_id(static_cast<size_t>(merged.size()));
    tbb::task_arena arena(threads);
    arena.execute([&] {
      tbb::parallel_for(size_t{0}, merged.partitions().size(), [&](size_t p) {
        const WordTable& partition = merged.partitions()[p];
        // A word under min_count is in no vocabulary: most of a corpus's distinct words (186K of
        // text8's 254K) need no lookup.
        for (int32_t i = 0; i < partition.size(); ++i) {
          vocabulary_id[merged.first(p) + i] = partition.count(i) >= options.min_count
                                                   ? vocabulary->Find(partition.word(i))
                                                   : Vocabulary::kNotFound;
        }
      });
      merged = MergedWords();
      tbb::parallel_for(size_t{0}, counted.tables.size(), [&](size_t t) {
        if (!counted.recorded[t]) return;
        auto word_ids = std::make_shared<std::vector<int32_t>>(merged_index[t].size());
        for (size_t i = 0; i < merged_index[t].size(); ++i) {
          (*word_ids)[i] = vocabulary_id[merged_index[t][i]];
        }
        std::vector<int32_t>().swap(merged_index[t]);
        for (size_t s = counted.first_shard[t]; s < counted.first_shard[t + 1]; ++s) {
          (*tokens)[s].word_ids = word_ids;
        }
      });
    });
  }
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
  // Sorted as (count, position) pairs, the words compared only on ties: moving a word at each swap
  // cost more than the comparisons.
  std::vector<std::pair<int64_t, size_t>> order(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) order[i] = {counts[i].second, i};
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : counts[a.second].first < counts[b.second].first;
  });
  if (options.max_vocab > 0 && static_cast<int64_t>(order.size()) > options.max_vocab) {
    order.resize(options.max_vocab);
  }
  if (order.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        source, ": no word occurs at least min_count = ", options.min_count,
        " times (the most frequent, '", most_frequent.first, "', occurs ", most_frequent.second,
        " times)"));
  }
  if (order.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::OutOfRangeError(source + ": more than 2^31 words; set vocab.max_vocab");
  }

  Vocabulary vocab;
  vocab.words_.reserve(order.size());
  vocab.counts_.reserve(order.size());
  vocab.index_.reserve(order.size());
  for (const auto& [count, position] : order) {
    std::string& word = counts[position].first;
    vocab.index_.emplace(word, static_cast<int32_t>(vocab.words_.size()));
    vocab.words_.push_back(std::move(word));
    vocab.counts_.push_back(count);
    vocab.total_count_ += count;
  }
  vocab.keep_probabilities_.reserve(order.size());
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
