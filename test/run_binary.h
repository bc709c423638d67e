// Runs the built `w2v` executable for end-to-end tests and captures what it printed and how it
// ended.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace w2v::testing {

struct RunResult {
  int exit_code = -1;  // the exit status, or -1 when it died of a signal
  int signal = 0;      // the signal that killed it, or 0
  std::string out;
  std::string err;
};

// Path of the `w2v` binary (CTest passes it in W2V_BINARY).
std::string W2vBinary();

// A shell command's exit status and its standard output and error, interleaved.
struct CommandRun {
  int exit_code = -1;
  std::string output;
};
CommandRun RunCommand(const std::string& command);

// The source tree's top (CTest passes it in W2V_SOURCE_DIR): where configs/ and tools/ are.
std::string SourceDir();

// Runs w2v with `args`; `stdin_text` is fed to its standard input.
RunResult RunW2v(const std::vector<std::string>& args, const std::string& stdin_text = "");

// w2v started in the background, for tests that signal it while it runs. Killed on destruction if
// not waited for.
class RunningW2v {
 public:
  // `file_size_limit` > 0 caps every file the child writes (RLIMIT_FSIZE, with SIGXFSZ ignored so a
  // write past it fails with EFBIG): how tests make a disk fill up.
  explicit RunningW2v(const std::vector<std::string>& args, const std::string& stdin_text = "",
                      int64_t file_size_limit = 0);
  ~RunningW2v();
  RunningW2v(const RunningW2v&) = delete;
  RunningW2v& operator=(const RunningW2v&) = delete;

  void Signal(int signal_number) const;
  RunResult Wait();

 private:
  std::string in_path_, out_path_, err_path_;
  int pid_ = -1;
};

// A fresh directory under the test's temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  void Write(const std::string& name, const std::string& contents) const;

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path);

// "word " then the floats' bytes: a row of word2vec's binary format as gensim writes it (no newline
// after it), for tests that make vector files.
std::string BinaryRow(const std::string& word, const std::vector<float>& values);

// A vectors.txt (word2vec's text format) read back, and the cosine the tests compare words by.
struct Vectors {
  std::map<std::string, std::vector<float>> rows;
  int64_t dim = 0;
};
Vectors ParseText(const std::string& text);
double Cosine(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace w2v::testing
