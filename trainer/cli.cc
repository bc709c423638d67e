#include "trainer/cli.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace w2v::trainer {

std::string ParsedArgs::Get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

absl::StatusOr<int64_t> ParsedArgs::GetInt(const std::string& name, int64_t fallback, int64_t min,
                                           int64_t max) const {
  if (!Has(name)) return fallback;
  const std::string text = Get(name, "");
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": expected an integer, got '", text, "'"));
  }
  if (value < min || value > max) {
    return absl::OutOfRangeError(
        absl::StrCat("--", name, ": ", value, " is out of range [", min, ", ", max, "]"));
  }
  return value;
}

absl::StatusOr<double> ParsedArgs::GetDouble(const std::string& name, double fallback, double min,
                                             double max) const {
  if (!Has(name)) return fallback;
  const std::string text = Get(name, "");
  double value = 0;
  if (!absl::SimpleAtod(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": expected a number, got '", text, "'"));
  }
  if (!(value >= min && value <= max)) {
    return absl::OutOfRangeError(
        absl::StrCat("--", name, ": ", text, " is out of range [", min, ", ", max, "]"));
  }
  return value;
}

absl::StatusOr<ParsedArgs> ParseArgs(std::span<char* const> args, std::span<const FlagSpec> specs) {
  ParsedArgs parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
      continue;
    }
    if (arg.size() < 3 || arg.substr(0, 2) != "--") {
      parsed.positional.push_back(std::move(arg));
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_inline_value = true;
    }
    auto spec =
        std::find_if(specs.begin(), specs.end(), [&](const FlagSpec& s) { return s.name == name; });
    if (spec == specs.end()) return absl::InvalidArgumentError("unknown flag --" + name);
    if (spec->takes_value && !has_inline_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
      }
      value = args[++i];
    } else if (!spec->takes_value && has_inline_value) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
    }
    parsed.values_[name].push_back(std::move(value));
  }
  return parsed;
}

std::string WithCommas(int64_t n) {
  // Appended digit by digit: GCC 12 warns falsely (-Wrestrict) about std::string::insert here.
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

namespace {

std::string UsageText(const CommandUsage& usage) {
  std::string text;
  absl::string_view synopsis = usage.synopsis;
  for (bool first = true; !synopsis.empty(); first = false) {
    const size_t end = synopsis.find('\n');
    absl::StrAppend(&text, first ? "usage: " : "       ", synopsis.substr(0, end), "\n");
    synopsis.remove_prefix(end == absl::string_view::npos ? synopsis.size() : end + 1);
  }
  absl::StrAppend(&text, usage.description);
  for (const FlagSpec& spec : usage.flags) {
    absl::StrAppendFormat(&text, "  --%-22s %s\n",
                          spec.takes_value ? spec.name + " VALUE" : spec.name, spec.help);
  }
  return text;
}

}  // namespace

int UsageError(const CommandUsage& usage, absl::string_view problem) {
  std::fprintf(stderr, "w2v %s: %.*s\n%s", usage.command, static_cast<int>(problem.size()),
               problem.data(), UsageText(usage).c_str());
  return 2;
}

int CommandFailed(const char* command, const absl::Status& status) {
  std::fprintf(stderr, "w2v %s: %s\n", command, std::string(status.message()).c_str());
  return 1;
}

int PrintHelp(const CommandUsage& usage) {
  std::fputs(UsageText(usage).c_str(), stdout);
  return 0;
}

}  // namespace w2v::trainer
