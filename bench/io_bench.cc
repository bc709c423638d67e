// The data path's speed: tokenizing (bytes/s per thread), building the vocabulary (by threads), and
// what the output directory's lock adds to a run's start.
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
#include "io/directory_lock.h"
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
