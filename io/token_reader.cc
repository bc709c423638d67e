#include "io/token_reader.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "io/utf8.h"

namespace w2v::io {
namespace {

// Bytes that never occur in text: the control bytes other than whitespace, and DEL.
constexpr std::array<bool, 256> kIsBinary = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = !kIsSpace[c];
  table[0x7f] = true;
  return table;
}();

// Skips, sixteen at a time, the bytes of a token that need no look of their own: all but
// whitespace and the control bytes (all ≤ 0x20) and DEL. Returns where the byte-by-byte loop takes
// over (at most 15 bytes before the end: a load never leaves the mapping), with the skipped bytes'
// high bit (non-ASCII, for the UTF-8 check) ORed into any_high.
int64_t SkipPlainBytes(const unsigned char* data, int64_t pos, int64_t size,
                       unsigned char& any_high) {
#ifdef __SSE2__
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7f);
  while (pos + 16 <= size) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    const __m128i at_most_space = _mm_cmpeq_epi8(_mm_min_epu8(bytes, space), bytes);
    const auto stops = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(at_most_space, _mm_cmpeq_epi8(bytes, del))));
    const auto high = static_cast<unsigned>(_mm_movemask_epi8(bytes));
    if (stops != 0) {
      const int plain = __builtin_ctz(stops);
      if ((high & ((1u << plain) - 1)) != 0) any_high = 0x80;
      return pos + plain;
    }
    if (high != 0) any_high = 0x80;
    pos += 16;
  }
#endif
  return pos;
}

#ifdef __SSE2__
// What a 64-byte block holds, a bit per byte (bit i: byte i): the token separators (kIsSpace),
// the line ends among them, and the bytes the block loop leaves to the per-token path (control
// bytes that are not whitespace, DEL, and bytes above 0x7f).
struct BlockBits {
  uint64_t space = 0;
  uint64_t newline = 0;
  uint64_t other = 0;
};

BlockBits ClassifyBlock(const unsigned char* block) {
  BlockBits bits;
  const __m128i nine = _mm_set1_epi8(0x09);
  const __m128i four = _mm_set1_epi8(0x04);
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i del = _mm_set1_epi8(0x7f);
  for (int part = 0; part < 4; ++part) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * part));
    // kIsSpace is ' ' and 0x09-0x0d (\t \n \v \f \r): byte − 9 ≤ 4 unsigned.
    const __m128i minus_nine = _mm_sub_epi8(bytes, nine);
    const __m128i is_space =
        _mm_or_si128(_mm_cmpeq_epi8(bytes, space),
                     _mm_cmpeq_epi8(_mm_min_epu8(minus_nine, four), minus_nine));
    const __m128i at_most_space = _mm_cmpeq_epi8(_mm_min_epu8(bytes, space), bytes);
    const __m128i control_or_del =
        _mm_or_si128(_mm_andnot_si128(is_space, at_most_space), _mm_cmpeq_epi8(bytes, del));
    const int shift = 16 * part;
    bits.space |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(is_space))) << shift;
    bits.newline |= static_cast<uint64_t>(
                        static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline))))
                    << shift;
    bits.other |= static_cast<uint64_t>(static_cast<uint16_t>(
                      _mm_movemask_epi8(control_or_del) | _mm_movemask_epi8(bytes)))
                  << shift;
  }
  return bits;
}
#endif

}  // namespace

TokenReader::TokenReader(const Corpus& corpus, const Shard& shard)
    : file_(corpus.files()[shard.file]),
      data_(reinterpret_cast<const unsigned char*>(file_.data().data())),
      size_(file_.size()),
      pos_(shard.begin),
      end_(shard.end),
      options_(corpus.options()),
      plain_format_(options_.format == CorpusFormat::kText &&
                    options_.invalid_utf8 == InvalidUtf8Policy::kError && !options_.lowercase),
      at_line_start_(options_.format == CorpusFormat::kSst) {
  // The SST file opens with a header line ("sentence_index<TAB>sentence"), not a sentence.
  if (options_.format == CorpusFormat::kSst && pos_ == 0) {
    while (pos_ < size_ && data_[pos_] != '\n') ++pos_;
    if (pos_ < size_) ++pos_;
  }
}

TokenReader::Event TokenReader::Fail(std::string problem) {
  status_ = absl::InvalidArgumentError(absl::StrCat(
      file_.path(), ":", LineOfOffset(file_.data(), pos_), ": ", problem));
  pos_ = end_;
  return Event::kEnd;
}

// An SST line is "INDEX<TAB>SENTENCE": step past the index.
bool TokenReader::SkipSstIndex() {
  int64_t p = pos_;
  while (p < size_ && data_[p] != '\t' && data_[p] != '\n') ++p;
  if (p >= size_ || data_[p] != '\t') return false;
  pos_ = p + 1;
  at_line_start_ = false;
  return true;
}

// Under kReplace and kSkipLine a line is judged whole, at its first token in this shard, so that
// the shards holding pieces of one line decide alike, and it is counted once: by the shard holding
// its first token. Returns true when the line is skipped (pos_ then sits at its end, or the
// shard's). A line holding binary bytes is never skipped: the tokenizer refuses it.
bool TokenReader::JudgeLineSkipped() {
  int64_t line_start = pos_;
  bool holds_first_token = true;
  while (line_start > 0 && data_[line_start - 1] != '\n') {
    --line_start;
    holds_first_token &= kIsSpace[data_[line_start]];
  }
  const void* newline = std::memchr(data_ + pos_, '\n', static_cast<size_t>(size_ - pos_));
  const int64_t line_end =
      newline != nullptr ? static_cast<const unsigned char*>(newline) - data_ : size_;
  const std::string_view line(reinterpret_cast<const char*>(data_ + line_start),
                              static_cast<size_t>(line_end - line_start));
  if (holds_first_token) ++lines_;
  if (IsValidUtf8(line)) return false;
  if (holds_first_token) ++invalid_lines_;
  if (options_.invalid_utf8 != InvalidUtf8Policy::kSkipLine) return false;
  if (std::any_of(line.begin(), line.end(),
                  [](char c) { return kIsBinary[static_cast<unsigned char>(c)]; })) {
    return false;
  }
  pos_ = std::min(line_end, end_);
  return true;
}

// Inlined into Refill's loop, its one caller, where the reader's state stays in registers.
[[gnu::always_inline]] inline TokenReader::Event TokenReader::ReadEvent(std::string_view* token) {
  // The position lives in a local while bytes are read: a byte read may alias any member, so a
  // member would be stored and reloaded around every byte.
  int64_t pos = pos_;
  while (true) {
    while (pos < end_ && kIsSpace[data_[pos]]) {
      if (data_[pos++] == '\n') {
        at_line_start_ = options_.format == CorpusFormat::kSst;
        line_judged_ = false;
        if (line_has_tokens_) {
          line_has_tokens_ = false;
          pos_ = pos;
          return Event::kEndOfLine;
        }
      }
    }
    if (pos >= end_) {
      pos_ = pos;
      if (line_has_tokens_) {
        line_has_tokens_ = false;
        return Event::kEndOfLine;
      }
      return Event::kEnd;
    }
    if (!at_line_start_ && (line_judged_ || options_.invalid_utf8 == InvalidUtf8Policy::kError)) {
      break;
    }
    pos_ = pos;
    if (!line_judged_ && options_.invalid_utf8 != InvalidUtf8Policy::kError) {
      line_judged_ = true;
      if (JudgeLineSkipped()) {
        pos = pos_;
        continue;
      }
    }
    if (at_line_start_ && !SkipSstIndex()) {
      return Fail("expected INDEX<TAB>SENTENCE (SST datasetSentences format)");
    }
    pos = pos_;
  }

  // Shards end at whitespace, so a token never crosses `end_`; scanning to the file's end is safe.
  const int64_t start = pos;
  unsigned char any_high = 0;
  bool control = false;
  pos = SkipPlainBytes(data_, pos, size_, any_high);
  while (pos < size_ && !kIsSpace[data_[pos]]) {
    const unsigned char c = data_[pos++];
    any_high |= c;
    control |= kIsBinary[c];
  }
  pos_ = pos;
  if (control) {
    pos_ = start;
    while (!kIsBinary[data_[pos_]]) ++pos_;
    return Fail(absl::StrFormat("binary data (byte 0x%02x) where text was expected", data_[pos_]));
  }
  std::string_view word(reinterpret_cast<const char*>(data_ + start),
                        static_cast<size_t>(pos - start));
  if ((any_high & 0x80) || static_cast<int64_t>(word.size()) > options_.max_token_bytes ||
      options_.lowercase) {
    return Rework(start, word, any_high, token);
  }
  line_has_tokens_ = true;
  *token = word;
  return Event::kToken;
}

// English text in its common form, in loops of their own with the reader's state in registers
// (whole 64-byte blocks, then token by token): spaces and line ends, and tokens of plain ASCII no
// longer than max_token_bytes. Stops before anything else (a token with a byte above 0x7f or a
// control byte, a long token, the last 16 bytes of the file, the shard's end), which ReadEvent
// then reads.
void TokenReader::ReadPlainEvents() {
  const unsigned char* const data = data_;
  const int64_t end = end_;
  const int64_t size = size_;
  int64_t pos = pos_;
  bool line_has_tokens = line_has_tokens_;
  int buffered = 0;
#ifdef __SSE2__
  // Whole 64-byte blocks of plain text first, their tokens and line ends found from bit masks:
  // the loop below finds each token's end from the one before, a chain of dependent loads and a
  // hard-to-predict branch per token. A block stops at what it cannot take whole (a byte the
  // per-token path must look at, a token running past the block, a token longer than
  // max_token_bytes), which the loop below then reads; `pos` is always at a token's start or in
  // the whitespace before one, so bit 0 never continues a token.
  const int64_t max_token_bytes = options_.max_token_bytes;
  bool blocks_done = false;
  while (!blocks_done && buffered < kBufferedEvents && pos + 64 <= end) {
    const BlockBits bits = ClassifyBlock(data + pos);
    if (bits.other != 0) break;
    const uint64_t token_bytes = ~bits.space;
    uint64_t events = (token_bytes & ~(token_bytes << 1)) | bits.newline;
    int64_t consumed = 64;
    while (events != 0) {
      const int at = __builtin_ctzll(events);
      events &= events - 1;
      if ((bits.newline >> at) & 1) {
        if (!line_has_tokens) continue;
        line_has_tokens = false;
        items_[buffered++] = {{}, Event::kEndOfLine};
        if (buffered == kBufferedEvents) {
          consumed = at + 1;
          blocks_done = true;
          break;
        }
        continue;
      }
      const uint64_t space_after = bits.space >> at;
      if (space_after == 0) {
        // The next block starts at this token; a token that fills a whole block is the loop
        // below's.
        consumed = at;
        blocks_done = at == 0;
        break;
      }
      const int64_t length = __builtin_ctzll(space_after);
      if (length > max_token_bytes) {  // to be cut and counted by ReadEvent
        consumed = at;
        blocks_done = true;
        break;
      }
      items_[buffered++] = {{reinterpret_cast<const char*>(data + pos + at),
                             static_cast<size_t>(length)},
                            Event::kToken};
      line_has_tokens = true;
      if (buffered == kBufferedEvents) {
        consumed = at + length;
        blocks_done = true;
        break;
      }
    }
    pos += consumed;
  }
#endif
  while (buffered < kBufferedEvents) {
    while (pos < end && kIsSpace[data[pos]]) {
      if (data[pos++] == '\n' && line_has_tokens) {
        line_has_tokens = false;
        items_[buffered++] = {{}, Event::kEndOfLine};
        if (buffered == kBufferedEvents) break;
      }
    }
    if (buffered == kBufferedEvents || pos >= end) break;
    const int64_t start = pos;
    unsigned char any_high = 0;
    pos = SkipPlainBytes(data, pos, size, any_high);
    if (pos + 16 > size || any_high != 0 || !kIsSpace[data[pos]] ||
        pos - start > options_.max_token_bytes) {
      pos = start;
      break;
    }
    items_[buffered++] = {{reinterpret_cast<const char*>(data + start),
                           static_cast<size_t>(pos - start)},
                          Event::kToken};
    line_has_tokens = true;
  }
  pos_ = pos;
  line_has_tokens_ = line_has_tokens;
  buffered_ = buffered;
}

TokenReader::Event TokenReader::Refill(std::string_view* token) {
  next_ = 0;
  buffered_ = 0;
  token_is_copy_ = false;
  if (plain_format_) ReadPlainEvents();
  if (buffered_ > 0) return Next(token);
  Event event;
  do {
    Item& item = items_[buffered_++];
    event = item.event = ReadEvent(&item.token);
  } while (event != Event::kEnd && !token_is_copy_ && buffered_ < kBufferedEvents);
  return Next(token);
}

// The rarer tokens: not ASCII (checked, and repaired under kReplace), too long, or to be
// lower-cased.
TokenReader::Event TokenReader::Rework(int64_t start, std::string_view word,
                                       unsigned char any_high, std::string_view* token) {
  if ((any_high & 0x80) && !IsValidUtf8(word)) {
    if (options_.invalid_utf8 == InvalidUtf8Policy::kError) {
      pos_ = start;
      return Fail("invalid UTF-8");
    }
    // kReplace; or kSkipLine on a line kept for its binary bytes, which another token will refuse.
    ReplaceInvalidUtf8(word, &replaced_);
    word = replaced_;
  }
  if (static_cast<int64_t>(word.size()) > options_.max_token_bytes) {
    size_t length = static_cast<size_t>(options_.max_token_bytes);
    while (length > 0 && (static_cast<unsigned char>(word[length]) & 0xC0) == 0x80) --length;
    word = word.substr(0, length);
    ++truncated_;
  }
  line_has_tokens_ = true;
  *token = word;
  token_is_copy_ = word.data() == replaced_.data();
  if (options_.lowercase) {
    const auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    if (std::any_of(token->begin(), token->end(), is_upper)) {
      lowered_.assign(*token);
      for (char& c : lowered_) {
        if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
      }
      *token = lowered_;
      token_is_copy_ = true;
    }
  }
  return Event::kToken;
}

}  // namespace w2v::io
