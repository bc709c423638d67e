// `w2v vocab`: counts a corpus, prints what it found and how fast, and writes the vocabulary.
#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "io/atomic_file.h"
#include "io/config.h"
#include "io/config_options.h"
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
    {"invalid-utf8", true,
     "a line that is not UTF-8: error (default), replace (U+FFFD) or skip_line"},
    {"min-count", true,
     absl::StrCat("drop words seen fewer times (default ", io::TrainConfig{}.vocab.min_count, ")")},
    {"max-vocab", true,
     absl::StrCat("keep at most this many words, 0 for no cap (default ",
                  io::TrainConfig{}.vocab.max_vocab, ")")},
    {"threads", true, "counting threads (default: all cores)"},
    {"out", true, "write the vocabulary here, one 'word count' a line"},
};

constexpr CommandUsage kUsage = {"vocab",
                                 "w2v vocab CORPUS... [--min-count N] [--out FILE] [flags]\n"
                                 "w2v vocab --config CONFIG [--set KEY=VALUE]... [--out FILE]\n",
                                 kFlags};

}  // namespace

int RunVocab(std::span<char* const> args) {
  auto parsed = ParseArgs(args, kFlags);
  if (!parsed.ok()) return UsageError(kUsage, parsed.status().message());
  if (parsed->help) return PrintHelp(kUsage);
  const std::string out = parsed->Get("out", "");

  // Both forms come down to a config, the file's or the defaults with the flags applied, so that
  // counting from flags gives what `w2v train` would count with the same settings.
  io::TrainConfig config;
  if (parsed->Has("config")) {
    if (!parsed->positional.empty()) {
      return UsageError(kUsage, "give corpus files or --config, not both");
    }
    for (const char* flag :
         {"format", "lowercase", "invalid-utf8", "min-count", "max-vocab", "threads"}) {
      if (parsed->Has(flag)) {
        return UsageError(
            kUsage, absl::StrFormat("--%s goes with corpus files; with --config use --set", flag));
      }
    }
    auto loaded = io::LoadConfig(parsed->Get("config", ""), parsed->GetAll("set"));
    if (!loaded.ok()) {
      return CommandFailed("vocab", loaded.status());
    }
    if (loaded->corpus.paths.empty()) {
      return CommandFailed("vocab", absl::FailedPreconditionError(
                                        loaded->source + ": corpus.paths is empty"));
    }
    config = *std::move(loaded);
  } else {
    if (parsed->Has("set")) return UsageError(kUsage, "--set needs --config");
    if (parsed->positional.empty()) return UsageError(kUsage, "no corpus file given");
    config.corpus.paths = parsed->positional;
    const std::string format = parsed->Get("format", "text");
    if (format != "text" && format != "sst") {
      return UsageError(kUsage, "--format: expected text or sst, got '" + format + "'");
    }
    config.corpus.format = format == "sst" ? io::CorpusFormat::kSst : io::CorpusFormat::kText;
    config.corpus.lowercase = parsed->Has("lowercase");
    const std::string invalid_utf8 = parsed->Get("invalid-utf8", "error");
    if (invalid_utf8 == "replace") {
      config.corpus.invalid_utf8 = io::InvalidUtf8Policy::kReplace;
    } else if (invalid_utf8 == "skip_line") {
      config.corpus.invalid_utf8 = io::InvalidUtf8Policy::kSkipLine;
    } else if (invalid_utf8 != "error") {
      return UsageError(kUsage, "--invalid-utf8: expected error, replace or skip_line, got '" +
                                    invalid_utf8 + "'");
    }
    auto min_count = parsed->GetInt("min-count", config.vocab.min_count, 1, 1'000'000'000);
    auto max_vocab = parsed->GetInt("max-vocab", config.vocab.max_vocab, 0, 1'000'000'000);
    auto threads = parsed->GetInt("threads", io::DefaultThreads(), 1, io::kMaxThreads);
    for (const absl::Status& s : {min_count.status(), max_vocab.status(), threads.status()}) {
      if (!s.ok()) return UsageError(kUsage, s.message());
    }
    config.vocab.min_count = *min_count;
    config.vocab.max_vocab = *max_vocab;
    config.threads = *threads;
  }
  const io::CorpusOptions corpus_options = io::CorpusOptionsFrom(config.corpus);
  const io::VocabOptions vocab_options = io::VocabOptionsFrom(config);

  // Refuse a bad output path now, not after counting a large corpus.
  if (!out.empty()) {
    if (absl::Status s = io::CheckWritable(out); !s.ok()) {
      return CommandFailed("vocab", s);
    }
  }

  auto corpus = io::Corpus::Open(config.corpus.paths, corpus_options);
  io::CountStats stats;
  absl::StatusOr<io::Vocabulary> vocab = corpus.ok()
                                             ? io::Vocabulary::Build(*corpus, vocab_options, &stats)
                                             : absl::StatusOr<io::Vocabulary>(corpus.status());
  if (vocab.ok() && !out.empty()) {
    if (absl::Status s = vocab->Write(out); !s.ok()) vocab = s;
  }
  if (!vocab.ok()) {
    return CommandFailed("vocab", vocab.status());
  }

  const double seconds = std::max(stats.seconds, 1e-9);
  std::printf("vocabulary: %s words with count >= %lld (of %s distinct), %s tokens\n",
              WithCommas(vocab->size()).c_str(), static_cast<long long>(vocab_options.min_count),
              WithCommas(stats.distinct).c_str(), WithCommas(stats.tokens).c_str());
  std::printf("counted %.1f MB in %.2f s with %d threads: %.1f MB/s, %.2fM tokens/s\n",
              stats.bytes / 1e6, stats.seconds, vocab_options.threads, stats.bytes / 1e6 / seconds,
              stats.tokens / 1e6 / seconds);
  if (stats.truncated_tokens > 0) {
    std::printf("%s tokens longer than %lld bytes were cut at a character boundary\n",
                WithCommas(stats.truncated_tokens).c_str(),
                static_cast<long long>(corpus_options.max_token_bytes));
  }
  if (stats.pruned > 0) {
    std::printf(
        "%s rare words were pruned while counting, to bound memory (vocab.max_counted_words, "
        "vocab.max_vocab); the counts of words pruned and seen again are lower bounds\n",
        WithCommas(stats.pruned).c_str());
  }
  if (stats.invalid_utf8_lines > 0) {
    std::printf("%s lines were not UTF-8: %s (corpus.invalid_utf8)\n",
                WithCommas(stats.invalid_utf8_lines).c_str(),
                io::InvalidUtf8Effect(corpus_options.invalid_utf8));
  }
  if (!out.empty()) std::printf("wrote %s\n", out.c_str());
  return 0;
}

}  // namespace w2v::trainer
