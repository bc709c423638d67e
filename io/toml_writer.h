// TOML text for single values, written so that reading it back gives exactly the value printed:
// what ConfigToToml and the config's messages and documentation are made of.
#pragma once

#include <string>
#include <vector>

namespace w2v::io {

// The shortest text that reads back to exactly `value` (so 0.025 stays "0.025").
std::string ShortestDouble(double value);

// As ShortestDouble, but always a TOML float: "5" would read back as an integer.
std::string TomlDouble(double value);

// A TOML basic string: quoted, with control characters escaped.
std::string TomlString(const std::string& text);

// An array of TOML strings: one line when it fits in 80 columns, wrapped at 100 otherwise.
std::string TomlStringArray(const std::vector<std::string>& items);

}  // namespace w2v::io
