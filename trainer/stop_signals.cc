#include "trainer/stop_signals.h"

#include <atomic>

namespace w2v::trainer {
namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "read from a signal handler");

extern "C" void OnStopSignal(int signal_number) { g_signal.store(signal_number); }

}  // namespace

StopSignalHandlers::StopSignalHandlers() {
  g_signal.store(0);
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, &old_int_);
  sigaction(SIGTERM, &action, &old_term_);
}

StopSignalHandlers::~StopSignalHandlers() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

int PendingStopSignal() { return g_signal.load(); }

}  // namespace w2v::trainer
