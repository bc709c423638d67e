#include "test/run_binary.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace w2v::testing {
namespace {

// Standard output and error go to files, not pipes, so a chatty child can never block on a full
// pipe.
std::string TempFileName(const std::string& stem) {
  const char* dir = std::getenv("TMPDIR");
  std::string name = std::string(dir ? dir : "/tmp") + "/w2v_test_" + stem + "_XXXXXX";
  const int fd = mkstemp(name.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  ::close(fd);
  return name;
}

}  // namespace

std::string W2vBinary() {
  const char* path = std::getenv("W2V_BINARY");
  if (path == nullptr) throw std::runtime_error("W2V_BINARY is not set; run the tests with ctest");
  return path;
}

CommandRun RunCommand(const std::string& command) {
  CommandRun run;
  std::FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  while (std::fgets(buffer, sizeof(buffer), pipe) != nullptr) run.output += buffer;
  const int status = pclose(pipe);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  return run;
}

std::string SourceDir() {
  const char* path = std::getenv("W2V_SOURCE_DIR");
  if (path == nullptr)
    throw std::runtime_error("W2V_SOURCE_DIR is not set; run the tests with ctest");
  return path;
}

RunningW2v::RunningW2v(const std::vector<std::string>& args, const std::string& stdin_text,
                       int64_t file_size_limit)
    : in_path_(TempFileName("in")), out_path_(TempFileName("out")), err_path_(TempFileName("err")) {
  std::ofstream(in_path_, std::ios::binary) << stdin_text;
  const std::string binary = W2vBinary();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  pid_ = fork();
  if (pid_ == 0) {
    const int in = ::open(in_path_.c_str(), O_RDONLY);
    const int out = ::open(out_path_.c_str(), O_WRONLY | O_TRUNC);
    const int err = ::open(err_path_.c_str(), O_WRONLY | O_TRUNC);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (file_size_limit > 0) {
      signal(SIGXFSZ, SIG_IGN);  // an ignored signal stays ignored across exec
      const rlimit limit{static_cast<rlim_t>(file_size_limit),
                         static_cast<rlim_t>(file_size_limit)};
      setrlimit(RLIMIT_FSIZE, &limit);
    }
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
}

RunningW2v::~RunningW2v() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    Wait();
  }
}

void RunningW2v::Signal(int signal_number) const { ::kill(pid_, signal_number); }

RunResult RunningW2v::Wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  RunResult result;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  result.out = ReadFile(out_path_);
  result.err = ReadFile(err_path_);
  std::filesystem::remove(in_path_);
  std::filesystem::remove(out_path_);
  std::filesystem::remove(err_path_);
  return result;
}

RunResult RunW2v(const std::vector<std::string>& args, const std::string& stdin_text) {
  return RunningW2v(args, stdin_text).Wait();
}

TempDir::TempDir() {
  const char* dir = std::getenv("TMPDIR");
  path_ = std::string(dir ? dir : "/tmp") + "/w2v_test_dir_XXXXXX";
  if (mkdtemp(path_.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TempDir::Write(const std::string& name, const std::string& contents) const {
  std::ofstream(File(name), std::ios::binary) << contents;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string BinaryRow(const std::string& word, const std::vector<float>& values) {
  std::string row = word + " ";
  row.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
  return row;
}

Vectors ParseText(const std::string& text) {
  std::istringstream in(text);
  Vectors v;
  int64_t count = 0;
  in >> count >> v.dim;
  std::string word;
  for (int64_t r = 0; r < count && in >> word; ++r) {
    auto& row = v.rows[word];
    row.resize(v.dim);
    for (auto& x : row) in >> x;
  }
  return v;
}

double Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / std::sqrt(na * nb);
}

}  // namespace w2v::testing
