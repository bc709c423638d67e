#include "io/word_counting.h"

#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "core/prefault.h"
#include "core/status.h"
#include "io/token_reader.h"
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

}  // namespace

absl::StatusOr<CountedWords> CountWords(const Corpus& corpus, const std::vector<Shard>& shards,
                                        int threads, int64_t max_counted_words, int64_t max_vocab,
                                        std::vector<ShardTokens>* tokens) {
  threads = std::max(1, threads);
  std::vector<ShardCount> counted(shards.size());  // by shard
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
      max_counted_words / std::max<int64_t>(1, static_cast<int64_t>(table_count)), 1,
      WordTable::kMaxWords - 1);
  if (max_vocab > 0) prune_above = std::min(prune_above, kPruneFactor * max_vocab);
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

  CountedWords result;
  std::vector<int64_t> file_lines(corpus.files().size()), file_invalid_lines(corpus.files().size());
  for (size_t i = 0; i < shards.size(); ++i) {
    RETURN_IF_ERROR(counted[i].status);
    file_lines[shards[i].file] += counted[i].lines;
    file_invalid_lines[shards[i].file] += counted[i].invalid_utf8_lines;
    result.stats.tokens += counted[i].tokens;
    result.stats.truncated_tokens += counted[i].truncated;
  }
  for (size_t f = 0; f < corpus.files().size(); ++f) {
    if (file_invalid_lines[f] > kMaxInvalidLineShare * static_cast<double>(file_lines[f])) {
      return absl::InvalidArgumentError(absl::StrCat(
          corpus.files()[f].path(), ": ", file_invalid_lines[f], " of its ", file_lines[f],
          " lines are not UTF-8, more than corpus.invalid_utf8 repairs (1%): a binary file, or "
          "text in another encoding (convert it with iconv)"));
    }
    result.stats.invalid_utf8_lines += file_invalid_lines[f];
  }
  for (TableCount& group : table_counts) {
    result.stats.pruned += group.pruned;
    result.tables.push_back(std::move(group.words));
    result.counts.push_back(std::move(group.counts));
    result.recorded.push_back(tokens != nullptr && !group.renumbered);
  }
  result.first_shard = std::move(table_first);
  return result;
}

}  // namespace w2v::io
