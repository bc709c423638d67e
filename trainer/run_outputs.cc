#include "trainer/run_outputs.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "io/atomic_file.h"
#include "io/vectors.h"
#include "oneapi/tbb/task_arena.h"
#include "spdlog/spdlog.h"

namespace w2v::trainer {
namespace {

// Runs a plotting script of tools/ with Debian's Python; a missing Python, script or matplotlib is
// a warning, not a failed run: the pictures are extras over outputs that are already written.
void RunPlotTool(const std::string& script, const std::vector<std::string>& args) {
  const char* tools_dir = std::getenv("W2V_TOOLS_DIR");
  const std::string path =
      std::string(tools_dir != nullptr ? tools_dir : W2V_TOOLS_DIR) + "/" + script;
  std::vector<std::string> argv_strings = {"/usr/bin/python3", path};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
    spdlog::warn("cannot run {} to draw a plot", argv[0]);
    return;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    spdlog::warn("{} failed; the outputs are complete without its picture", path);
  }
}

// Runs `task` on a thread of its own, or here and now when no thread can be made (std::async throws
// std::system_error then): the outputs are written either way, one after another at worst.
std::future<absl::Status> StartTask(const std::function<absl::Status()>& task) {
  try {
    return std::async(std::launch::async, task);
  } catch (const std::system_error&) {
    std::promise<absl::Status> done;
    done.set_value(task());
    return done.get_future();
  }
}

}  // namespace

std::string ParentDirectory(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

absl::Status PrepareOutputs(const io::TrainConfig& config, const OutputPaths& paths,
                            std::vector<io::DirectoryLock>& locks) {
  std::error_code ec;
  std::filesystem::create_directories(config.output.dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat(config.output.dir, ": cannot create the output directory: ", ec.message()));
  }
  // Locked before the checks below, whose probes are files in it too.
  RETURN_IF_ERROR(LockDirectory(config.output.dir, locks));
  for (const std::string* path :
       {&paths.vectors_text, &paths.vectors_binary, &paths.vocab, &paths.metrics, &paths.config,
        &paths.sample_vectors, &paths.snapshot}) {
    RETURN_IF_ERROR(io::CheckWritable(*path));
  }
  // After its check, so that a snapshot.path in a missing or read-only directory is refused with
  // that check's message; its probe is a temporary file of a name of its own, removed at once, so
  // it disturbs no run that holds that directory.
  return LockDirectory(ParentDirectory(paths.snapshot), locks);
}

absl::Status LockDirectory(const std::string& dir, std::vector<io::DirectoryLock>& locks) {
  for (const io::DirectoryLock& held : locks) {
    std::error_code ec;
    if (std::filesystem::equivalent(held.dir(), dir, ec)) return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(io::DirectoryLock lock, io::DirectoryLock::Acquire(dir));
  locks.push_back(std::move(lock));
  return absl::OkStatus();
}

absl::Status WriteOutputs(const io::TrainConfig& config, const io::Vocabulary& vocab,
                          const core::EmbeddingStore& store, const OutputPaths& paths,
                          const std::function<absl::Status()>& write_first) {
  std::vector<std::string> words(vocab.size());
  for (int32_t w = 0; w < vocab.size(); ++w) words[w] = vocab.word(w);
  const core::MatrixView vectors = store.center();
  // The vector files are written beside `write_first` (the final snapshot), and renamed into place
  // only once it and they have all succeeded: the snapshot is on disk before any output changes,
  // as when they were written one after another. The snapshot and the binary vectors spend most of
  // their time waiting for the disk, so each has a thread of its own (StartTask; std::async hands
  // any exception to get()); the arena's threads are left to format the text vectors, the one output
  // that needs the CPU.
  std::optional<io::AtomicFileWriter> text, binary;
  if (config.output.text) {
    ASSIGN_OR_RETURN(io::AtomicFileWriter writer, io::AtomicFileWriter::Open(paths.vectors_text));
    text.emplace(std::move(writer));
  }
  if (config.output.binary) {
    ASSIGN_OR_RETURN(io::AtomicFileWriter writer,
                     io::AtomicFileWriter::Open(paths.vectors_binary));
    binary.emplace(std::move(writer));
  }
  const auto write_binary = [&] {
    RETURN_IF_ERROR(io::WriteVectorsBinary(*binary, words, vectors));
    return binary->Sync();
  };
  std::future<absl::Status> first, binary_written;
  if (write_first) first = StartTask(write_first);
  if (binary) binary_written = StartTask(write_binary);
  absl::Status text_status;
  if (text) {
    tbb::task_arena arena(static_cast<int>(std::max<int64_t>(1, config.threads)));
    arena.execute([&] {
      text_status = io::WriteVectorsText(*text, words, vectors);
      if (text_status.ok()) text_status = text->Sync();
    });
  }
  const absl::Status first_status = first.valid() ? first.get() : absl::OkStatus();
  const absl::Status binary_status = binary_written.valid() ? binary_written.get() : absl::OkStatus();
  RETURN_IF_ERROR(first_status);
  RETURN_IF_ERROR(text_status);
  RETURN_IF_ERROR(binary_status);
  if (text) RETURN_IF_ERROR(text->Commit());
  if (binary) RETURN_IF_ERROR(binary->Commit());
  RETURN_IF_ERROR(vocab.Write(paths.vocab));
  RETURN_IF_ERROR(io::WriteFileAtomically(paths.config, io::ConfigToToml(config)));
  if (!config.output.sample_words.empty()) {
    RETURN_IF_ERROR(io::WriteSampleVectorsJson(paths.sample_vectors, config.output.sample_words,
                                               words, vectors));
  }
  return absl::OkStatus();
}

void DrawPlots(const io::TrainConfig& config, const OutputPaths& paths) {
  RunPlotTool("plot_loss.py", {paths.metrics, "-o", config.output.dir + "/loss.png"});
  if (!config.output.sample_words.empty()) {
    RunPlotTool("plot_words.py",
                {paths.sample_vectors, "-o", config.output.dir + "/word_vectors.png"});
  }
}

}  // namespace w2v::trainer
