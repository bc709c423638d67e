#include "io/vocabulary.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/prefault.h"
#include "core/samplers.h"
#include "core/status.h"
#include "io/atomic_file.h"
#include "io/token_reader.h"
#include "io/utf8.h"
#include "io/word_count_merge.h"
#include "io/word_table.h"
#include "oneapi/tbb/enumerable_thread_specific.h"
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"

namespace w2v::io {
namespace {

// A counting table may hold this many times max_vocab words before its rarest are pruned: roomy
// enough that words near the cut keep exact counts, small enough to bound memory on a web-scale
// corpus.
constexpr int64_t kPruneFactor = 10;

// A file may hold at most this share of lines that are not UTF-8 under corpus.invalid_utf8's
// "replace" or "skip_line": more is a binary file or a whole file in another encoding, not a few
// stray bytes.
constexpr double kMaxInvalidLineShare = 0.01;

// About one token per five bytes in English text: a token stream reserved at that size rarely
// grows by doubling, which would briefly hold up to three times its ids.
constexpr int64_t kBytesPerTokenEstimate = 5;

// Makes a token stream's memory ready a 2 MB page ahead of what counting has written: the
// reservation asked for in 2 MB pages, then made present a page at a time (core/prefault.h), so
// that no page is made for the part of a reservation a corpus of longer tokens never fills.
class StreamPrefaulter {
 public:
  // Makes room for `more` ids after the stream's end, within its reservation.
  void Ahead(std::vector<int32_t>& ids, size_t more) {
    if (ids.data() != data_) {  // a new buffer (or one grown past its reservation)
      data_ = ids.data();
      done_ = ids.size();
      core::AdviseHugePages(data_, ids.capacity() * sizeof(int32_t));
    }
    if (ids.size() + more <= done_) return;
    const size_t end = std::min(ids.capacity(), done_ + kIdsAhead);
    if (end > done_) core::PrefaultForWriting(data_ + done_, (end - done_) * sizeof(int32_t));
    done_ = std::max(done_, end);
  }

 private:
  static constexpr size_t kIdsAhead = (size_t{2} << 20) / sizeof(int32_t);
  int32_t* data_ = nullptr;
  size_t done_ = 0;
};

// About one distinct word per 128 bytes of a shard in English text (text8's shards of 12.5 MB hold
// about 90K, one per 139 bytes): a thread's table reserved at that size before its first shard
// does not grow there from 1,024 slots by doubling, each step rebuilding the slots and faulting in
// new pages (a sixth of counting's time). A shard of more distinct words grows it from there.
constexpr int64_t kBytesPerDistinctWordEstimate = 128;

absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

// Consecutive shards share a counting table, at most this many tables per thread. Training wants
// many small shards: a thread that finishes its last shard idles until the others finish theirs
// (with 4 shards per thread, a quarter-epoch shard left one of 2 threads idle for about 6% of an
// epoch). Counting wants few tables: each table's words are merged once, and a small shard's table
// repeats the frequent words its neighbours also hold.
constexpr int64_t kCountTablesPerThread = 4;

// One counting table's words and counts, over the consecutive shards it counted.
struct TableCount {
  // Its words in order of first sight, which is how its shards' ShardTokens name them, and their
  // counts (WordTable::TakeWords: the words without the slots they were counted in).
  WordTable words;
  std::vector<int64_t> counts;
  int64_t pruned = 0;
  // A prune drops the words counted at most this many times, then raises it (word2vec's
  // ReduceVocab).
  int64_t min_reduce = 1;
  // A prune renumbered the words: its shards' recorded tokens no longer name them.
  bool renumbered = false;
};

// What counting one shard found besides its words, kept by shard: lines and their repairs are
// checked by file, and a shard lies in one file.
struct ShardCount {
  int64_t tokens = 0;
  int64_t truncated = 0;
  int64_t lines = 0;
  int64_t invalid_utf8_lines = 0;
  absl::Status status;
};

// Tokens go into a shard's table a batch at a time, the whole batch prepared first
// (WordTable::PrepareInto), so that the table's cache misses for a batch overlap. A batch of 16
// still waited on them: 32 and 64 were about 7% faster to count text8 (medians of 5 alternations,
// 2026-12-06), 128 no faster than 64.
constexpr size_t kTokenBatch = 64;

// Counts one shard into `table` (the thread's own, holding what the shard's group counted before
// it); with `stream`, also records its tokens as table indices and its line ends
// (ShardTokens), until a prune renumbers the table.
void CountShard(const Corpus& corpus, const Shard& shard, int64_t prune_above, WordTable& table,
                TableCount& group, ShardCount& out, ShardTokens* stream) {
  TokenReader reader(corpus, shard);
  if (stream != nullptr) {
    stream->tokens.reserve(static_cast<size_t>((shard.end - shard.begin) / kBytesPerTokenEstimate));
  }
  StreamPrefaulter prefaulter;
  const std::string_view file = corpus.files()[shard.file].data();
  // A batch's tokens (a line's end where is_line_end), each a view of the mapped file or, when the
  // reader built it (lower-cased, repaired), of a copy that outlives the reader's next token.
  std::array<WordTable::Prepared, kTokenBatch> batch;
  std::array<bool, kTokenBatch> is_line_end{};
  std::array<std::string, kTokenBatch> copies;
  size_t batched = 0;
  const auto add_batch = [&] {
    if (stream != nullptr) prefaulter.Ahead(stream->tokens, batched);
    for (size_t i = 0; i < batched; ++i) {
      if (is_line_end[i]) {
        if (stream != nullptr) stream->tokens.push_back(ShardTokens::kLineEnd);
        continue;
      }
      const int32_t index = table.Add(batch[i]);
      if (stream != nullptr) stream->tokens.push_back(index);
      if (table.size() > prune_above) {
        group.pruned += table.EraseCountsAtMost(group.min_reduce);
        ++group.min_reduce;
        group.renumbered = true;
        stream = nullptr;
      }
    }
    batched = 0;
  };
  std::string_view token;
  for (auto event = reader.Next(&token); event != TokenReader::Event::kEnd;
       event = reader.Next(&token)) {
    is_line_end[batched] = event != TokenReader::Event::kToken;
    if (!is_line_end[batched]) {
      ++out.tokens;
      const char* file_end = file.data() + file.size();
      // std::less orders any two pointers, even into different objects, as `<` need not.
      if (!std::less<const char*>()(token.data(), file.data()) &&
          std::less<const char*>()(token.data(), file_end)) {
        table.PrepareInto(batch[batched], token, file_end);
      } else {
        copies[batched].assign(token);
        table.PrepareInto(batch[batched], copies[batched]);
      }
    }
    if (++batched == kTokenBatch) add_batch();
  }
  add_batch();
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
  // A few shards per thread balance the load when some shards are slower than others.
  return Build(corpus, corpus.MakeShards(4 * std::max(1, options.threads)), options, stats,
               nullptr);
}

absl::StatusOr<Vocabulary> Vocabulary::Build(const Corpus& corpus, const std::vector<Shard>& shards,
                                             const VocabOptions& options, CountStats* stats,
                                             std::vector<ShardTokens>* tokens) {
  const auto start = std::chrono::steady_clock::now();
  const int threads = std::max(1, options.threads);
  std::vector<ShardCount> counted(shards.size());
  if (tokens != nullptr) tokens->assign(shards.size(), ShardTokens{});
  // Table t counts shards [table_first[t], table_first[t + 1]).
  const size_t table_count =
      std::min(shards.size(), static_cast<size_t>(kCountTablesPerThread * threads));
  std::vector<size_t> table_first(table_count + 1);
  for (size_t t = 1; t <= table_count; ++t) table_first[t] = t * shards.size() / table_count;
  std::vector<TableCount> table_counts(table_count);
  // The tables together stay within max_counted_words, which bounds the merged one too; without
  // that bound a corpus of mostly distinct tokens (logs, hashes) grows them until memory runs out.
  int64_t prune_above = std::clamp<int64_t>(
      options.max_counted_words / std::max<int64_t>(1, static_cast<int64_t>(table_count)), 1,
      WordTable::kMaxWords - 1);
  if (options.max_vocab > 0) prune_above = std::min(prune_above, kPruneFactor * options.max_vocab);
  tbb::task_arena arena(threads);
  tbb::enumerable_thread_specific<WordTable> thread_tables;
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, table_count, [&](size_t t) {
      WordTable& table = thread_tables.local();
      TableCount& group = table_counts[t];
      int64_t group_bytes = 0;
      for (size_t s = table_first[t]; s < table_first[t + 1]; ++s) {
        group_bytes += shards[s].end - shards[s].begin;
      }
      table.Reserve(std::min(prune_above, group_bytes / kBytesPerDistinctWordEstimate));
      for (size_t s = table_first[t]; s < table_first[t + 1]; ++s) {
        CountShard(corpus, shards[s], prune_above, table, group, counted[s],
                   tokens != nullptr && !group.renumbered ? &(*tokens)[s] : nullptr);
      }
      if (tokens != nullptr && group.renumbered) {
        for (size_t s = table_first[t]; s < table_first[t + 1]; ++s) {
          (*tokens)[s] = ShardTokens();
          (*tokens)[s].complete = false;
        }
      }
      group.words = table.TakeWords(group.counts);
    });
  });
  thread_tables.clear();

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
  const auto too_many = [&] {
    return absl::OutOfRangeError(absl::StrCat(
        CorpusName(corpus), ": more than 2^31 distinct words; lower vocab.max_counted_words"));
  };
  for (const ShardCount& shard : counted) {
    local.tokens += shard.tokens;
    local.truncated_tokens += shard.truncated;
  }
  std::vector<WordTable> tables;
  std::vector<std::vector<int64_t>> counts_by_index;
  std::vector<bool> renumber;
  for (TableCount& group : table_counts) {
    local.pruned += group.pruned;
    tables.push_back(std::move(group.words));
    counts_by_index.push_back(std::move(group.counts));
    renumber.push_back(tokens != nullptr && !group.renumbered);
  }
  // Each table's words by their merged index, for its shards' ShardTokens.
  std::vector<std::vector<int32_t>> merged_index;
  // The unknown word is counted once, as the assignment's treebank reader adds "UNK" (frequency 1,
  // wordcount + 1); min_count and max_vocab then apply to it like to any word.
  std::optional<MergedWords> merged_or =
      MergeWordCounts(tables, counts_by_index, renumber, merged_index, threads, options.unk_word);
  if (!merged_or.has_value()) return too_many();
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
      tbb::parallel_for(size_t{0}, table_count, [&](size_t t) {
        if (!renumber[t]) return;
        auto word_ids = std::make_shared<std::vector<int32_t>>(merged_index[t].size());
        for (size_t i = 0; i < merged_index[t].size(); ++i) {
          (*word_ids)[i] = vocabulary_id[merged_index[t][i]];
        }
        std::vector<int32_t>().swap(merged_index[t]);
        for (size_t s = table_first[t]; s < table_first[t + 1]; ++s) {
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
