#include "io/utf8.h"

namespace w2v::io {
namespace {

// The length of the well-formed UTF-8 sequence that starts at s[i], or, when it is ill-formed,
// minus the length of its maximal subpart (the longest prefix that could begin a well-formed
// sequence; at least 1): the unit one U+FFFD replaces.
int SequenceAt(const unsigned char* s, size_t n, size_t i) {
  const unsigned char c = s[i];
  if (c < 0x80) return 1;
  int extra;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the first continuation byte
  if (c >= 0xC2 && c <= 0xDF) {
    extra = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    extra = 2;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    extra = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return -1;
  }
  for (int k = 1; k <= extra; ++k) {
    if (i + k >= n) return -k;  // truncated
    const unsigned char next = s[i + k];
    if (k == 1 ? (next < lo || next > hi) : (next & 0xC0) != 0x80) return -k;
  }
  return extra + 1;
}

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  for (size_t i = 0; i < n;) {
    const int length = SequenceAt(s, n, i);
    if (length < 0) return false;
    i += length;
  }
  return true;
}

void ReplaceInvalidUtf8(std::string_view bytes, std::string* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  out->clear();
  for (size_t i = 0; i < n;) {
    const int length = SequenceAt(s, n, i);
    if (length > 0) {
      out->append(bytes.substr(i, length));
      i += length;
    } else {
      out->append("\xEF\xBF\xBD");
      i += -length;
    }
  }
}

}  // namespace w2v::io
