// The data path's speed: tokenizing (bytes/s per thread), building the vocabulary (by threads),
// writing a run's outputs (the snapshot and the vectors, at text8's shape), and what the output
// directory's lock adds to a run's start.
// Runs on the text8-style corpus when it is at data/text8like-enwiki2015 (or $W2V_BENCH_CORPUS), and
// otherwise on a generated 100 MB corpus with a Zipf-like vocabulary.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "core/random.h"
#include "io/corpus.h"
#include "io/token_reader.h"
#include "io/directory_lock.h"
#include "io/encoded_corpus.h"
#include "io/snapshot.h"
#include "io/vectors.h"
#include "io/vocabulary.h"

namespace w2v::io {
namespace {

std::string CorpusPath() {
  if (const char* path = std::getenv("W2V_BENCH_CORPUS")) return path;
  const std::string shared = std::string(W2V_SOURCE_DIR) + "/data/text8like-enwiki2015";
  if (std::filesystem::exists(shared)) return shared;
  const std::string generated = std::filesystem::temp_directory_path() / "w2v_bench_corpus.txt";
  if (!std::filesystem::exists(generated)) {
    core::Rng rng(1);
    std::ofstream out(generated + ".part", std::ios::binary);
    std::string text;
    while (text.size() < 100'000'000) {
      // Word lengths and ranks roughly as in English text: rank ~ 1/U.
      const auto rank = static_cast<uint64_t>(1.0 / (rng.Uniform() + 1e-6));
      absl::StrAppend(&text, "w", rank, " ");
    }
    out << text;
    out.close();
    std::filesystem::rename(generated + ".part", generated);
  }
  return generated;
}

const Corpus& SharedCorpus() {
  static const Corpus corpus = [] {
    auto c = Corpus::Open({CorpusPath()}, {});
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", std::string(c.status().message()).c_str());
      std::exit(1);
    }
    return std::move(*c);
  }();
  return corpus;
}

void BM_Tokenize(benchmark::State& state) {
  const Corpus& corpus = SharedCorpus();
  const Shard whole{0, 0, corpus.total_bytes()};
  int64_t tokens = 0;
  for (auto _ : state) {
    TokenReader reader(corpus, whole);
    std::string_view token;
    for (auto e = reader.Next(&token); e != TokenReader::Event::kEnd; e = reader.Next(&token)) {
      tokens += e == TokenReader::Event::kToken;
      benchmark::DoNotOptimize(token);
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus.total_bytes());
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(tokens),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_BuildVocabulary(benchmark::State& state) {
  const Corpus& corpus = SharedCorpus();
  VocabOptions options;
  options.threads = static_cast<int>(state.range(0));
  int64_t words = 0;
  for (auto _ : state) {
    auto vocab = Vocabulary::Build(corpus, options);
    if (!vocab.ok()) state.SkipWithError(std::string(vocab.status().message()).c_str());
    words = vocab.ok() ? vocab->size() : 0;
  }
  state.SetBytesProcessed(state.iterations() * corpus.total_bytes());
  state.counters["vocab_words"] = static_cast<double>(words);
}
BENCHMARK(BM_BuildVocabulary)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// What a fresh run does before training, on 2 threads: counting the vocabulary, then encoding the
// corpus as ids by reading it again (recorded:0), or from the tokens counting recorded (recorded:1).
void BM_CountAndEncode(benchmark::State& state) {
  const Corpus& corpus = SharedCorpus();
  const bool recorded = state.range(0) == 1;
  VocabOptions options;
  options.threads = 2;
  const std::vector<Shard> shards = corpus.MakeShards(4 * options.threads);
  for (auto _ : state) {
    std::vector<ShardTokens> tokens;
    auto vocab = Vocabulary::Build(corpus, shards, options, nullptr, recorded ? &tokens : nullptr);
    if (!vocab.ok()) {
      state.SkipWithError(std::string(vocab.status().message()).c_str());
      break;
    }
    auto ids = recorded ? EncodeShards(corpus, shards, *vocab, std::move(tokens), options.threads)
                        : EncodeShards(corpus, shards, *vocab, options.threads);
    benchmark::DoNotOptimize(ids);
  }
  state.SetBytesProcessed(state.iterations() * corpus.total_bytes());
}
BENCHMARK(BM_CountAndEncode)->ArgName("recorded")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// text8's model: 67,898 words of 100 dimensions, what a run writes when it ends.
constexpr int32_t kOutputWords = 67'898;
constexpr int32_t kOutputDim = 100;

const core::EmbeddingStore& OutputStore() {
  static const core::EmbeddingStore store = [] {
    core::EmbeddingStore s(kOutputWords, kOutputDim);
    s.InitializeUniform(1);
    return s;
  }();
  return store;
}

std::vector<std::string> OutputWords() {
  std::vector<std::string> words;
  for (int32_t w = 0; w < kOutputWords; ++w) words.push_back(absl::StrCat("word", w));
  return words;
}

// The final snapshot: both matrices, checksummed, through a temporary file, fsync and rename.
void BM_WriteSnapshot(benchmark::State& state) {
  const core::EmbeddingStore& store = OutputStore();
  SnapshotContents contents;
  for (std::string& word : OutputWords()) contents.vocabulary.emplace_back(std::move(word), 5);
  const std::string path = std::filesystem::temp_directory_path() / "w2v_bench_snapshot.w2v";
  for (auto _ : state) {
    if (absl::Status s = WriteSnapshot(path, contents, store); !s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
    }
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(std::filesystem::file_size(path)));
  std::filesystem::remove(path);
}
BENCHMARK(BM_WriteSnapshot)->Unit(benchmark::kMillisecond)->UseRealTime();

// word2vec's text and binary vector files of the input matrix.
void BM_WriteVectors(benchmark::State& state) {
  const bool text = state.range(0) == 1;
  const std::vector<std::string> words = OutputWords();
  const core::MatrixView vectors = OutputStore().center();
  const std::string path = std::filesystem::temp_directory_path() / "w2v_bench_vectors";
  for (auto _ : state) {
    const absl::Status s = text ? WriteVectorsText(path, words, vectors)
                                : WriteVectorsBinary(path, words, vectors);
    if (!s.ok()) state.SkipWithError(std::string(s.message()).c_str());
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(std::filesystem::file_size(path)));
  std::filesystem::remove(path);
}
BENCHMARK(BM_WriteVectors)->ArgName("text")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Taking and releasing the lock of an output directory: once per run.
void BM_DirectoryLock(benchmark::State& state) {
  const std::string dir = std::filesystem::temp_directory_path() / "w2v_bench_lock";
  std::filesystem::create_directories(dir);
  for (auto _ : state) {
    auto lock = DirectoryLock::Acquire(dir);
    if (!lock.ok()) state.SkipWithError(std::string(lock.status().message()).c_str());
    benchmark::DoNotOptimize(lock);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DirectoryLock)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace w2v::io

BENCHMARK_MAIN();
