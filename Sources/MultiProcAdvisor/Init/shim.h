// The libc surface dockadvise-init uses, for Embedded Swift (no Glibc/Musl overlay).
// Macros and variadic functions Swift cannot import directly are wrapped in static inline helpers.
#ifndef DOCKADVISE_INIT_SHIM_H
#define DOCKADVISE_INIT_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline int da_errno(void) { return errno; }

/// open(2) for reading, close-on-exec.
static inline int da_open_read(const char *path) { return open(path, O_RDONLY | O_CLOEXEC); }

static inline int da_set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/// pipe2(2) with both ends close-on-exec.
static inline int da_pipe(int *read_end, int *write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  *read_end = fds[0];
  *write_end = fds[1];
  return 0;
}

static inline int da_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }
static inline int da_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }

/// A wait status as a shell reports it: the exit code, or 128 + N after death by signal N.
static inline int da_shell_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}
static inline int da_exited(int status) { return WIFEXITED(status); }
static inline int da_exit_code(int status) { return WEXITSTATUS(status); }
static inline int da_signaled(int status) { return WIFSIGNALED(status); }
static inline int da_term_signal(int status) { return WTERMSIG(status); }

/// Every signal, including those libc keeps for itself (musl's 32-34: glibc programs call 34 SIGRTMIN), which
/// sigfillset leaves out. The init is single-threaded and uses none of them.
static inline void da_fill_signal_set(sigset_t *set) { memset(set, 0xff, sizeof *set); }

static inline int da_sigrtmin(void) { return SIGRTMIN; }
static inline int da_sigrtmax(void) { return SIGRTMAX; }
static inline int da_nsig(void) { return _NSIG; }

static inline int da_ignore_signal(int sig) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_IGN;
  return sigaction(sig, &action, 0);
}
static inline int da_default_signal(int sig) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  return sigaction(sig, &action, 0);
}

/// Milliseconds on the monotonic clock.
static inline long long da_now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

#endif
