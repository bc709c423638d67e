#include "io/encoded_corpus.h"

#include <algorithm>

#include "io/token_reader.h"
#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"

namespace w2v::io {
namespace {

// A line ends its sentence unless nothing of it was kept (no sentence is empty).
void EndSentence(std::vector<int32_t>& ids) {
  if (!ids.empty() && ids.back() != kSentenceEnd) ids.push_back(kSentenceEnd);
}

// Gives back what ids no longer use when that is much. It is the part written and then dropped
// that costs memory: slack never written (a reservation's margin, the tail a doubling left) takes
// no new pages, as a fresh allocation of this size is not touched until written, and copying the
// ids to drop it would cost more than it frees.
void ShrinkIfRoomy(std::vector<int32_t>& ids, size_t written) {
  if (written > ids.size() + ids.size() / 8 + 1024) ids.shrink_to_fit();
}

absl::Status ReadShard(const Corpus& corpus, const Shard& shard, const Vocabulary& vocab,
                       double ids_per_byte, std::vector<int32_t>& ids) {
  TokenReader reader(corpus, shard);
  // Reserving about what the shard will hold (the vocabulary's tokens spread by bytes, plus a
  // margin) avoids growing by doubling, which would briefly hold up to twice the ids.
  ids.reserve(static_cast<size_t>(1.05 * ids_per_byte * static_cast<double>(shard.end - shard.begin)) +
              1024);
  std::string_view token;
  for (auto event = reader.Next(&token); event != TokenReader::Event::kEnd;
       event = reader.Next(&token)) {
    if (event == TokenReader::Event::kEndOfLine) {
      EndSentence(ids);
      continue;
    }
    if (const int32_t id = vocab.Find(token); id != Vocabulary::kNotFound) ids.push_back(id);
  }
  corpus.ReleaseShard(shard);
  return reader.status();
}

// Maps counting's stream to ids in place: every token yields at most one id, so the write position
// never passes the read position.
std::vector<int32_t> MapCountedShard(ShardTokens& counted) {
  std::vector<int32_t> ids = std::move(counted.tokens);
  const std::vector<int32_t>& word_ids = *counted.word_ids;
  const size_t written = ids.size();
  size_t kept = 0;
  for (const int32_t token : std::span<const int32_t>(ids)) {
    if (token == ShardTokens::kLineEnd) {
      if (kept > 0 && ids[kept - 1] != kSentenceEnd) ids[kept++] = kSentenceEnd;
      continue;
    }
    if (const int32_t id = word_ids[token]; id != Vocabulary::kNotFound) ids[kept++] = id;
  }
  ids.resize(kept);
  counted.word_ids.reset();
  ShrinkIfRoomy(ids, written);
  return ids;
}

absl::StatusOr<std::vector<std::vector<int32_t>>> Encode(const Corpus& corpus,
                                                         const std::vector<Shard>& shards,
                                                         const Vocabulary& vocab,
                                                         std::vector<ShardTokens>* counted,
                                                         int threads) {
  std::vector<std::vector<int32_t>> encoded(shards.size());
  const double ids_per_byte = static_cast<double>(vocab.total_count()) /
                              static_cast<double>(std::max<int64_t>(1, corpus.total_bytes()));
  std::vector<absl::Status> statuses(shards.size());
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, shards.size(), [&](size_t s) {
      if (counted != nullptr && (*counted)[s].complete) {
        encoded[s] = MapCountedShard((*counted)[s]);
      } else {
        statuses[s] = ReadShard(corpus, shards[s], vocab, ids_per_byte, encoded[s]);
      }
    });
  });
  for (const absl::Status& status : statuses) {
    if (!status.ok()) return status;
  }
  return encoded;
}

}  // namespace

absl::StatusOr<std::vector<std::vector<int32_t>>> EncodeShards(const Corpus& corpus,
                                                               const std::vector<Shard>& shards,
                                                               const Vocabulary& vocab,
                                                               int threads) {
  return Encode(corpus, shards, vocab, nullptr, threads);
}

absl::StatusOr<std::vector<std::vector<int32_t>>> EncodeShards(const Corpus& corpus,
                                                               const std::vector<Shard>& shards,
                                                               const Vocabulary& vocab,
                                                               std::vector<ShardTokens> counted,
                                                               int threads) {
  return Encode(corpus, shards, vocab, &counted, threads);
}

}  // namespace w2v::io
