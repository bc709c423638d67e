#include "io/shortest_float.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace w2v::io {
namespace {

// Every power of ten the fast path uses is a double exactly (they are, up to 10^22).
constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11};

// The decimal exponent of 2^(b - 127) for the biased exponents b of floats in [2^-10, 2^27), which
// hold the fast path's [10^-3, 10^8): floor(log10(2^(b - 127))), one below the exponent of any float
// of that binade or equal to it.
constexpr int kFirstBiasedExponent = 127 - 10;
constexpr auto kDecimalExponentOf = [] {
  std::array<int, 37> exponents{};
  for (int i = 0; i < 37; ++i) {
    // 2^(i - 10) against the powers of ten, in exact binary arithmetic on the right side.
    const double power_of_two = i >= 10 ? static_cast<double>(uint64_t{1} << (i - 10))
                                        : 1.0 / static_cast<double>(uint64_t{1} << (10 - i));
    int e = -4;
    double bound = 1e-3;
    while (power_of_two >= bound) {
      ++e;
      bound *= 10;
    }
    exponents[i] = e;
  }
  return exponents;
}();

// 10^-k, each within a rounding of it, which the margin below covers.
constexpr double kInversePow10[] = {1e0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9};

// 10^(e + 1) for the decimal exponents e = -4 ... 7 that the estimate below starts from. No float lies between one of
// these doubles and the power of ten it stands for (the gaps are below 1e-18), so comparing a float
// with them is comparing it with the powers themselves.
constexpr double kUpperBounds[] = {1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};

// The fast path works in double arithmetic on the value scaled to nine digits, where its rounding
// errors stay below 3e-7; a decision closer than this margin to its boundary goes to
// std::to_chars, which decides it exactly.
constexpr double kMargin = 1e-5;

char* Exactly(char* out, float value) {
  return std::to_chars(out, out + kShortestFloatChars, value).ptr;
}

// "00" "01" ... "99": two digits per lookup.
constexpr auto kDigitPairs = [] {
  std::array<char, 200> pairs{};
  for (int i = 0; i < 100; ++i) {
    pairs[2 * i] = static_cast<char>('0' + i / 10);
    pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}();

// Whether a multiple of 10^k lies in [low, high].
bool HoldsMultiple(double low, double high, int k) {
  return std::floor(high * kInversePow10[k]) * kPow10[k] >= low;
}

// The shortest decimal found for a float: its nine digits at nine-digit scale (the last 9 - digits
// of them zeros) and its decimal exponent; `digits` 0 where std::to_chars decides instead.
struct ShortestDecimal {
  uint32_t number = 0;
  int digits = 0;
  int exponent = 0;
};

// Scaled to nine digits before the point, the value's rounding interval (the reals that read back
// as it) is at least six units wide. Its shortest decimals are the multiples of the largest power
// of ten that has one inside; of those, the nearest to the value is the one to_chars writes.
// Deciding writes nothing, so that the decisions for a row of values do not wait on each other
// (each value's place in the text depends on the lengths before it; WriteSpacedShortestFloats).
[[gnu::always_inline]] inline ShortestDecimal Decide(float value) {
  const auto bits = std::bit_cast<uint32_t>(value);
  const auto biased_exponent = static_cast<int>((bits >> 23) & 0xff);
  // Zero, subnormals, infinities and NaN; and powers of two, whose rounding interval is lopsided
  // (half as wide below), so that the nearest decimal is not the only one to try.
  if (biased_exponent == 0 || biased_exponent == 0xff || (bits & 0x7fffff) == 0) return {};
  const double magnitude = std::fabs(static_cast<double>(value));
  if (magnitude < 1e-3 || magnitude >= 1e8) return {};
  // 10^exponent <= magnitude < 10^(exponent + 1): the binary exponent's estimate, then one step.
  int exponent = kDecimalExponentOf[biased_exponent - kFirstBiasedExponent];
  exponent += magnitude >= kUpperBounds[exponent + 4] ? 1 : 0;
  const double scale = kPow10[8 - exponent];
  const double scaled = magnitude * scale;
  if (scaled < 1e8 || scaled >= 1e9) return {};
  // Half the float spacing, 2^(exponent - 24), built from its bits: std::ldexp is a library call.
  const double half_spacing =
      scale * std::bit_cast<double>(static_cast<uint64_t>(biased_exponent - 127 - 24 + 1023) << 52);

  // The most trailing zeros a decimal in the interval narrowed by the margin can have; the interval
  // widened by it must hold no decimal with one more.
  const double low = scaled - half_spacing + kMargin;
  const double high = scaled + half_spacing - kMargin;
  // A multiple of 10^(k+1) is one of 10^k, so the tests are independent of each other and the
  // first three need no branch; a value of six digits or fewer goes on in the loop.
  int zeros = static_cast<int>(HoldsMultiple(low, high, 1)) +
              static_cast<int>(HoldsMultiple(low, high, 2)) +
              static_cast<int>(HoldsMultiple(low, high, 3));
  while (zeros >= 3 && zeros < 8 && HoldsMultiple(low, high, zeros + 1)) ++zeros;
  if (HoldsMultiple(low - 2 * kMargin, high + 2 * kMargin, zeros + 1)) return {};
  const double quotient = scaled * kInversePow10[zeros];
  const double below = std::floor(quotient);
  if (std::fabs(quotient - below - 0.5) < kMargin) return {};
  // Rounded without a branch that would guess wrong on every other value (ties are excluded above).
  const double nearest = std::nearbyint(quotient);
  const int digits = 9 - zeros;
  // Rounding up to 10^digits (the next power of ten) is rare: left to to_chars.
  if (nearest >= kPow10[digits]) return {};

  // Fixed notation, unless it needs zeros before the point that digits could fill at no cost
  // (to_chars then writes the nearer integer) or the exponent form is shorter: both rare here.
  if (exponent >= 0 && digits < exponent + 1) return {};
  const int exponent_length = digits + (digits > 1 ? 1 : 0) + 4;
  if (exponent < 0 && exponent_length < digits + 1 - exponent) return {};
  return {static_cast<uint32_t>(nearest * kPow10[zeros]), digits, exponent};
}

// Writes `value` as `decimal` says, or by to_chars where it decided nothing.
[[gnu::always_inline]] inline char* WriteDecided(char* out, float value,
                                                 const ShortestDecimal& decimal) {
  if (decimal.digits == 0) return Exactly(out, value);
  // The nine digits, written straight to where they go, two at a time: staging them in a buffer
  // and copying it whole would read back bytes just stored piecemeal, which stalls the CPU.
  const uint32_t high_digits = decimal.number / 10000;  // five digits
  const uint32_t low_digits = decimal.number % 10000;   // four
  const auto write_digits = [&](char* at) {
    at[0] = static_cast<char>('0' + high_digits / 10000);
    std::memcpy(at + 1, kDigitPairs.data() + 2 * (high_digits / 100 % 100), 2);
    std::memcpy(at + 3, kDigitPairs.data() + 2 * (high_digits % 100), 2);
    std::memcpy(at + 5, kDigitPairs.data() + 2 * (low_digits / 100), 2);
    std::memcpy(at + 7, kDigitPairs.data() + 2 * (low_digits % 100), 2);
  };
  const int digits = decimal.digits;
  const int exponent = decimal.exponent;
  *out = '-';
  out += value < 0 ? 1 : 0;
  if (exponent < 0) {
    std::memcpy(out, "0.00", 4);
    const int leading = 1 - exponent;  // "0." and -exponent - 1 zeros
    write_digits(out + leading);
    return out + leading + digits;
  }
  // At least one digit before the point: the digits after it move up by one.
  write_digits(out + 1);
  for (int i = 0; i <= exponent; ++i) out[i] = out[i + 1];
  out[exponent + 1] = '.';
  return out + digits + (digits > exponent + 1 ? 1 : 0);
}

}  // namespace

char* WriteShortestFloat(char* out, float value) { return WriteDecided(out, value, Decide(value)); }

char* WriteSpacedShortestFloats(char* out, std::span<const float> values) {
  // A batch decided first, then written: the decisions, most of the time, overlap one another,
  // where deciding and writing each in turn waited for every value's length before the next.
  constexpr size_t kBatch = 16;
  std::array<ShortestDecimal, kBatch> decided;
  for (size_t first = 0; first < values.size(); first += kBatch) {
    const size_t n = std::min(kBatch, values.size() - first);
    for (size_t i = 0; i < n; ++i) decided[i] = Decide(values[first + i]);
    for (size_t i = 0; i < n; ++i) {
      *out++ = ' ';
      out = WriteDecided(out, values[first + i], decided[i]);
    }
  }
  return out;
}

}  // namespace w2v::io
