#include "io/encoded_corpus.h"

#include <algorithm>

#include "oneapi/tbb/parallel_for.h"
#include "oneapi/tbb/task_arena.h"

namespace w2v::io {

absl::StatusOr<std::vector<std::vector<int32_t>>> EncodeShards(const Corpus& corpus,
                                                               const std::vector<Shard>& shards,
                                                               const Vocabulary& vocab,
                                                               int threads) {
  std::vector<std::vector<int32_t>> encoded(shards.size());
  // Reserving about what each shard will hold (the vocabulary's tokens spread by bytes, plus a
  // margin) avoids growing by doubling, which would briefly hold up to twice the ids.
  const double ids_per_byte = static_cast<double>(vocab.total_count()) /
                              static_cast<double>(std::max<int64_t>(1, corpus.total_bytes()));
  std::vector<absl::Status> statuses(shards.size());
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, shards.size(), [&](size_t s) {
      TokenReader reader(corpus, shards[s]);
      std::vector<int32_t>& ids = encoded[s];
      const auto bytes = static_cast<double>(shards[s].end - shards[s].begin);
      ids.reserve(static_cast<size_t>(1.05 * ids_per_byte * bytes) + 1024);
      std::string_view token;
      for (auto event = reader.Next(&token); event != TokenReader::Event::kEnd;
           event = reader.Next(&token)) {
        if (event == TokenReader::Event::kEndOfLine) {
          if (!ids.empty() && ids.back() != kSentenceEnd) ids.push_back(kSentenceEnd);
          continue;
        }
        if (const int32_t id = vocab.Find(token); id != Vocabulary::kNotFound) ids.push_back(id);
      }
      if (ids.capacity() > ids.size() + ids.size() / 8 + 1024) ids.shrink_to_fit();
      statuses[s] = reader.status();
      corpus.ReleaseShard(shards[s]);
    });
  });
  for (const absl::Status& status : statuses) {
    if (!status.ok()) return status;
  }
  return encoded;
}

}  // namespace w2v::io
