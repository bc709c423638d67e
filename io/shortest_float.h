// A float in the shortest decimal form that reads back as the same float, exactly as std::to_chars
// writes it (the shortest digits, the closest of them to the value, fixed or exponent notation
// whichever is shorter), at about twice its speed for the values word vectors hold: the text
// vectors of a 100-dimensional model are millions of floats, and to_chars spent tens of
// nanoseconds on each.
#pragma once

namespace w2v::io {

// Room for any float's shortest form ("-1.17549435e-38" is 15 characters).
inline constexpr int kShortestFloatChars = 16;

// Writes `value` at `out` (kShortestFloatChars of room) and returns the end of what it wrote.
char* WriteShortestFloat(char* out, float value);

}  // namespace w2v::io
