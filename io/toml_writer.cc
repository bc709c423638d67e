#include "io/toml_writer.h"

#include <charconv>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace w2v::io {

std::string ShortestDouble(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string text(buffer, result.ptr);
  // to_chars writes "1e-04" and "1e+09"; "1e-4" and "1e9" are the same TOML floats, easier to read.
  if (const size_t e = text.find('e'); e != std::string::npos) {
    size_t digits = e + 1;
    if (text[digits] == '+') {
      text.erase(digits, 1);
    } else if (text[digits] == '-') {
      ++digits;
    }
    while (digits + 1 < text.size() && text[digits] == '0') text.erase(digits, 1);
  }
  return text;
}

std::string TomlDouble(double value) {
  std::string text = ShortestDouble(value);
  if (text.find_first_of(".en") == std::string::npos) text += ".0";  // 'n': inf and nan
  return text;
}

std::string TomlString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char escape[8];
          std::snprintf(escape, sizeof(escape), "\\u%04X", static_cast<unsigned>(c));
          out += escape;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string TomlStringArray(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  quoted.reserve(items.size());
  for (const std::string& item : items) quoted.push_back(TomlString(item));
  std::string one_line = absl::StrCat("[", absl::StrJoin(quoted, ", "), "]");
  if (one_line.size() <= 80) return one_line;
  // Long lists (the sample words, many corpus files) wrap at 100 columns, as a person would write.
  std::string out = "[\n";
  std::string line;
  for (const std::string& item : quoted) {
    if (!line.empty() && line.size() + item.size() + 2 > 100) {
      absl::StrAppend(&out, line, "\n");
      line.clear();
    }
    absl::StrAppend(&line, line.empty() ? "  " : " ", item, ",");
  }
  return absl::StrCat(out, line, "\n]");
}

}  // namespace w2v::io
