// Fuzzes the corpus reader: any bytes give tokens or an error naming the file, every token lies in
// exactly one shard whatever the number of shards, and counting and encoding agree.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/corpus.h"
#include "io/token_reader.h"
#include "io/utf8.h"
#include "io/encoded_corpus.h"
#include "io/vocabulary.h"
#include "test/fuzz/fuzz_file.h"

namespace {

using w2v::io::TokenReader;

// Every token of the corpus, shard after shard, then the lines and the invalid lines counted;
// false on a reader error.
bool Tokens(const w2v::io::Corpus& corpus, int64_t shards, std::vector<std::string>& out) {
  int64_t lines = 0, invalid_lines = 0;
  for (const w2v::io::Shard& shard : corpus.MakeShards(shards)) {
    TokenReader reader(corpus, shard);
    std::string_view token;
    for (auto e = reader.Next(&token); e != TokenReader::Event::kEnd; e = reader.Next(&token)) {
      if (e == TokenReader::Event::kToken) out.emplace_back(token);
    }
    if (!reader.status().ok()) return false;
    lines += reader.lines();
    invalid_lines += reader.invalid_utf8_lines();
  }
  out.push_back(std::to_string(lines) + " lines, " + std::to_string(invalid_lines) + " invalid");
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the format, lower-casing, the token cut and the invalid-UTF-8 policy;
  // the rest is the file.
  const uint8_t mode = data[0];
  const std::string path = w2v::fuzz::WriteInput(data + 1, size - 1);
  const auto policy = static_cast<w2v::io::InvalidUtf8Policy>((mode >> 6) % 3);
  const w2v::io::CorpusOptions options{
      (mode & 1) ? w2v::io::CorpusFormat::kSst : w2v::io::CorpusFormat::kText, (mode & 2) != 0,
      static_cast<int64_t>(1 + (mode >> 2) % 16), policy};
  auto corpus = w2v::io::Corpus::Open({path}, options);
  if (!corpus.ok()) return 0;
  std::vector<std::string> one, many;
  const bool ok_one = Tokens(*corpus, 1, one);
  const bool ok_many = Tokens(*corpus, 3 + mode % 5, many);
  // Shards cut only at whitespace (or line starts): the same tokens, or the same kind of error.
  w2v::fuzz::Check(ok_one == ok_many);
  if (!ok_one) return 0;
  w2v::fuzz::Check(one == many);
  one.pop_back();  // the line counts
  // Under every policy a token is UTF-8: the reader refuses, repairs or skips what is not.
  for (const std::string& token : one) w2v::fuzz::Check(w2v::io::IsValidUtf8(token));

  const auto vocab = w2v::io::Vocabulary::Build(*corpus, {.min_count = 1, .subsample = 1e-3});
  if (!vocab.ok()) {
    // No token, or (under replace or skip_line) too many lines that are not UTF-8.
    w2v::fuzz::Check(one.empty() || (policy != w2v::io::InvalidUtf8Policy::kError &&
                                     vocab.status().message().find("are not UTF-8") !=
                                         std::string_view::npos));
    return 0;
  }
  const auto encoded = w2v::io::EncodeShards(*corpus, corpus->MakeShards(2), *vocab, 1);
  w2v::fuzz::Check(encoded.ok());
  int64_t ids = 0;
  for (const auto& shard : *encoded) {
    for (int32_t id : shard) ids += id != w2v::io::kSentenceEnd;
  }
  w2v::fuzz::Check(ids == static_cast<int64_t>(one.size()) && ids == vocab->total_count());
  return 0;
}
