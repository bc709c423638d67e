// The subcommands of the `w2v` executable. Each takes the arguments after its name and returns the
// process exit status: 0 on success, 1 when the work failed, 2 for a usage error.
#pragma once

#include <span>

namespace w2v::trainer {

int RunGradCheck(std::span<char* const> args);
int RunConfig(std::span<char* const> args);
int RunVocab(std::span<char* const> args);
int RunTrain(std::span<char* const> args);
int RunResume(std::span<char* const> args);
int RunEval(std::span<char* const> args);
int RunNeighbors(std::span<char* const> args);
int RunAnalogy(std::span<char* const> args);

}  // namespace w2v::trainer
