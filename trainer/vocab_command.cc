// `w2v vocab`: counts a corpus, prints what it found and how fast, and writes the vocabulary.
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "io/atomic_file.h"
#include "io/config.h"
#include "io/corpus.h"
#include "io/vocabulary.h"
#include "trainer/cli.h"
#include "trainer/commands.h"

namespace w2v::trainer {
namespace {

const FlagSpec kFlags[] = {
    {"config", true, "take corpus and vocabulary settings from this config file"},
    {"set", true, "KEY=VALUE override of a config key (with --config; repeatable)"},
    {"format", true, "corpus format: text or sst (default text)"},
    {"lowercase", false, "lower-case ASCII letters of every token"},
    {"min-count", true, "drop words seen fewer times (default 5)"},
    {"max-vocab", true, "keep at most this many words, 0 for no cap (default 0)"},
    {"threads", true, "counting threads (default: all cores)"},
    {"out", true, "write the vocabulary here, one 'word count' a line"},
};

constexpr CommandUsage kUsage = {"vocab",
                                 "w2v vocab CORPUS... [--min-count N] [--out FILE] [flags]\n"
                                 "w2v vocab --config CONFIG [--set KEY=VALUE]... [--out FILE]\n",
                                 kFlags};

struct VocabRequest {
  std::vector<std::string> paths;
  io::CorpusOptions corpus;
  io::VocabOptions vocab;
  std::string out;
};

}  // namespace

int RunVocab(std::span<char* const> args) {
  auto parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError(kUsage, parsed.status().message());
  if (parsed->help) return PrintHelp(kUsage);
  VocabRequest request;
  request.out = parsed->Get("out", "");

  if (parsed->Has("config")) {
    if (!parsed->positional.empty()) {
      return UsageError(kUsage, "give corpus files or --config, not both");
    }
    for (const char* flag : {"format", "lowercase", "min-count", "max-vocab", "threads"}) {
      if (parsed->Has(flag)) {
        return UsageError(
            kUsage, absl::StrFormat("--%s goes with corpus files; with --config use --set", flag));
      }
    }
    auto config = io::LoadConfig(parsed->Get("config", ""), parsed->GetAll("set"));
    if (!config.ok()) {
      std::fprintf(stderr, "w2v vocab: %s\n", std::string(config.status().message()).c_str());
      return 1;
    }
    if (config->corpus.paths.empty()) {
      std::fprintf(stderr, "w2v vocab: %s: corpus.paths is empty\n", config->source.c_str());
      return 1;
    }
    request.paths = config->corpus.paths;
    request.corpus = io::CorpusOptionsFrom(config->corpus);
    request.vocab = {config->vocab.min_count, config->vocab.max_vocab, config->model.subsample,
                     static_cast<int>(config->threads)};
  } else {
    if (parsed->Has("set")) return UsageError(kUsage, "--set needs --config");
    if (parsed->positional.empty()) return UsageError(kUsage, "no corpus file given");
    request.paths = parsed->positional;
    const std::string format = parsed->Get("format", "text");
    if (format != "text" && format != "sst") {
      return UsageError(kUsage, "--format: expected text or sst, got '" + format + "'");
    }
    request.corpus.format = format == "sst" ? io::CorpusFormat::kSst : io::CorpusFormat::kText;
    request.corpus.lowercase = parsed->Has("lowercase");
    const int64_t cores = std::max(1u, std::thread::hardware_concurrency());
    auto min_count = parsed->GetInt("min-count", 5, 1, 1'000'000'000);
    auto max_vocab = parsed->GetInt("max-vocab", 0, 0, 1'000'000'000);
    auto threads = parsed->GetInt("threads", cores, 1, 1024);
    for (const absl::Status& s : {min_count.status(), max_vocab.status(), threads.status()}) {
      if (!s.ok()) return UsageError(kUsage, s.message());
    }
    request.vocab.min_count = *min_count;
    request.vocab.max_vocab = *max_vocab;
    request.vocab.threads = static_cast<int>(*threads);
  }

  // Refuse a bad output path now, not after counting a large corpus.
  if (!request.out.empty()) {
    if (absl::Status s = io::CheckWritable(request.out); !s.ok()) {
      std::fprintf(stderr, "w2v vocab: %s\n", std::string(s.message()).c_str());
      return 1;
    }
  }

  auto corpus = io::Corpus::Open(request.paths, request.corpus);
  io::CountStats stats;
  absl::StatusOr<io::Vocabulary> vocab = corpus.ok()
                                             ? io::Vocabulary::Build(*corpus, request.vocab, &stats)
                                             : absl::StatusOr<io::Vocabulary>(corpus.status());
  if (vocab.ok() && !request.out.empty()) {
    if (absl::Status s = vocab->Write(request.out); !s.ok()) vocab = s;
  }
  if (!vocab.ok()) {
    std::fprintf(stderr, "w2v vocab: %s\n", std::string(vocab.status().message()).c_str());
    return 1;
  }

  const double seconds = std::max(stats.seconds, 1e-9);
  std::printf("vocabulary: %s words with count >= %lld (of %s distinct), %s tokens\n",
              WithCommas(vocab->size()).c_str(), static_cast<long long>(request.vocab.min_count),
              WithCommas(stats.distinct).c_str(), WithCommas(stats.tokens).c_str());
  std::printf("counted %.1f MB in %.2f s with %d threads: %.1f MB/s, %.2fM tokens/s\n",
              stats.bytes / 1e6, stats.seconds, request.vocab.threads, stats.bytes / 1e6 / seconds,
              stats.tokens / 1e6 / seconds);
  if (stats.truncated_tokens > 0) {
    std::printf("%s tokens longer than %lld bytes were cut at a character boundary\n",
                WithCommas(stats.truncated_tokens).c_str(),
                static_cast<long long>(request.corpus.max_token_bytes));
  }
  if (stats.pruned > 0) {
    std::printf(
        "%s rare words were pruned while counting (max_vocab); their counts are lower "
        "bounds\n",
        WithCommas(stats.pruned).c_str());
  }
  if (!request.out.empty()) std::printf("wrote %s\n", request.out.c_str());
  return 0;
}

}  // namespace w2v::trainer
