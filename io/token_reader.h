// The tokenizer: walks the tokens of one shard of the corpus.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "io/corpus.h"

namespace w2v::io {

// Walks the tokens of one shard. A line is a sentence: kEndOfLine follows the last token of each
// line that had any, and the last token of the shard (a shard may end inside a line: the rest of it
// is another worker's sentence). Tokens longer than max_token_bytes are cut at a UTF-8 character
// boundary and counted. Binary bytes (NUL and the other control bytes that are not whitespace) stop
// the reader with an error naming the file and line; so does invalid UTF-8 under the kError policy,
// while kReplace puts U+FFFD for each bad sequence and kSkipLine drops the line's tokens.
class TokenReader {
 public:
  enum class Event { kToken, kEndOfLine, kEnd };

  TokenReader(const Corpus& corpus, const Shard& shard);
  // A read-ahead token may point into the reader's own copies.
  TokenReader(const TokenReader&) = delete;
  TokenReader& operator=(const TokenReader&) = delete;

  // The next token (valid until the next call) or sentence boundary, or kEnd at the end of the
  // shard or on an error (see status()). Inline and from a buffer: a call per token cost more than
  // finding the token.
  Event Next(std::string_view* token) {
    if (next_ < buffered_) {
      const Item& item = items_[next_++];
      *token = item.token;
      return item.event;
    }
    return Refill(token);
  }

  const absl::Status& status() const { return status_; }
  int64_t truncated_tokens() const { return truncated_; }
  // Under the kReplace and kSkipLine policies: the lines with a token whose first token lies in this
  // shard (so that each line of a file is counted by exactly one shard), and how many of those
  // are not UTF-8. Both stay 0 under kError, which never looks at a line as a whole.
  int64_t lines() const { return lines_; }
  int64_t invalid_utf8_lines() const { return invalid_lines_; }

 private:
  // Up to kBufferedEvents events read ahead, so that the reading loop runs without a call per
  // token; a token copied into replaced_ or lowered_ ends the read-ahead, since the next copy
  // overwrites it.
  struct Item {
    std::string_view token;
    Event event;
  };
  static constexpr int kBufferedEvents = 64;

  Event Refill(std::string_view* token);
  void ReadPlainEvents();
  Event ReadEvent(std::string_view* token);
  Event Fail(std::string problem);
  Event Rework(int64_t start, std::string_view word, unsigned char any_high,
               std::string_view* token);
  bool SkipSstIndex();
  bool JudgeLineSkipped();

  const MappedFile& file_;
  const unsigned char* data_;
  int64_t size_;
  int64_t pos_;
  int64_t end_;
  CorpusOptions options_;
  // A text corpus under the kError policy, not lower-cased: ReadPlainEvents may read it.
  bool plain_format_;
  bool at_line_start_;
  bool line_has_tokens_ = false;
  bool line_judged_ = false;
  int64_t truncated_ = 0;
  int64_t lines_ = 0;
  int64_t invalid_lines_ = 0;
  std::string replaced_;
  std::string lowered_;
  bool token_is_copy_ = false;
  absl::Status status_;
  std::array<Item, kBufferedEvents> items_;
  int next_ = 0;
  int buffered_ = 0;
};

}  // namespace w2v::io
