// SIGINT and SIGTERM during training: the handlers only raise a flag, which the monitor polls and
// turns into an interruption at the workers' next sentence boundary. The handlers reset themselves,
// so a second Ctrl-C kills at once.
#pragma once

#include <signal.h>

namespace w2v::trainer {

// Installs the handlers for its lifetime, restoring the previous ones after; clears the flag.
class StopSignalHandlers {
 public:
  StopSignalHandlers();
  ~StopSignalHandlers();
  StopSignalHandlers(const StopSignalHandlers&) = delete;
  StopSignalHandlers& operator=(const StopSignalHandlers&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// The stop signal received since the handlers were installed, or 0.
int PendingStopSignal();

}  // namespace w2v::trainer
