// Command-line flags, read only by the subcommands in main: `--name value`, `--name=value`, and
// boolean `--name`. A flag may repeat (e.g. `--set`). Unknown flags and malformed values are errors
// that name the flag.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace w2v::trainer {

struct FlagSpec {
  std::string name;  // without the leading dashes
  bool takes_value = true;
  std::string help;
};

class ParsedArgs {
 public:
  bool Has(const std::string& name) const { return values_.contains(name); }
  // The last value given for `name`, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback) const;
  // Every value given for a repeated flag, in order.
  std::vector<std::string> GetAll(const std::string& name) const;
  absl::StatusOr<int64_t> GetInt(const std::string& name, int64_t fallback, int64_t min,
                                 int64_t max) const;
  absl::StatusOr<double> GetDouble(const std::string& name, double fallback, double min,
                                   double max) const;

  std::vector<std::string> positional;
  bool help = false;  // --help or -h was given: print the usage and do nothing else

 private:
  friend absl::StatusOr<ParsedArgs> ParseArgs(std::span<char* const>, std::span<const FlagSpec>);
  std::map<std::string, std::vector<std::string>> values_;
};

absl::StatusOr<ParsedArgs> ParseArgs(std::span<char* const> args, std::span<const FlagSpec> specs);

// 1234567 as "1,234,567", for counts (never negative) in a command's report.
std::string WithCommas(int64_t n);

// What a command's usage message says.
struct CommandUsage {
  const char* command;   // as typed after `w2v`: "train", "eval"
  const char* synopsis;  // one line per form, without "usage: ": "w2v train CONFIG [--set ...]\n"
  std::span<const FlagSpec> flags;
  const char* description = "";  // what the command does, when the synopsis does not say
};

// "w2v COMMAND: PROBLEM" and then the usage, on standard error. Returns 2, a usage error's status.
int UsageError(const CommandUsage& usage, absl::string_view problem);

// "w2v COMMAND: MESSAGE" on standard error for a command whose work failed. Returns 1, a failed
// command's status.
int CommandFailed(const char* command, const absl::Status& status);

// The usage on standard output, for --help. Returns 0.
int PrintHelp(const CommandUsage& usage);

}  // namespace w2v::trainer
