// The libc surface dockadvise-init uses, for Embedded Swift (no Glibc/Musl overlay).
// Macros and variadic functions Swift cannot import directly are wrapped in static inline helpers.
#ifndef DOCKADVISE_INIT_SHIM_H
#define DOCKADVISE_INIT_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline int da_errno(void) { return errno; }

/// open(2) for reading, close-on-exec.
static inline int da_open_read(const char *path) { return open(path, O_RDONLY | O_CLOEXEC); }
static inline int da_open_read_write(const char *path) { return open(path, O_RDWR | O_CLOEXEC); }

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

/// Readiness probes. A socket address for a numeric IPv4 or IPv6 host (`localhost` is 127.0.0.1); 0 when
/// `host` is not one.
static inline socklen_t da_tcp_address(const char *host, int port, struct sockaddr_storage *address) {
  memset(address, 0, sizeof *address);
  struct sockaddr_in *v4 = (struct sockaddr_in *)address;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)address;
  if (strcmp(host, "localhost") == 0) host = "127.0.0.1";
  if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((unsigned short)port);
    return sizeof *v4;
  }
  if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((unsigned short)port);
    return sizeof *v6;
  }
  return 0;
}

/// Starts a non-blocking connect: -1 on failure, else the socket, with *connected 1 when it already is.
static inline int da_tcp_connect(const char *host, int port, int *connected) {
  struct sockaddr_storage address;
  socklen_t length = da_tcp_address(host, port, &address);
  *connected = 0;
  if (length == 0) return -1;
  int fd = socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, (struct sockaddr *)&address, length) == 0) {
    *connected = 1;
    return fd;
  }
  if (errno == EINPROGRESS) return fd;
  close(fd);
  return -1;
}

/// A pending connect: 1 connected, 0 still pending, -1 failed.
static inline int da_connect_state(int fd) {
  struct pollfd entry = {fd, POLLOUT, 0};
  if (poll(&entry, 1, 0) <= 0) return 0;
  int error = 0;
  socklen_t size = sizeof error;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) return -1;
  return 1;
}

/// Whether a unix stream socket at `path` accepts a connection.
static inline int da_unix_accepts(const char *path) {
  struct sockaddr_un address;
  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof address.sun_path) return 0;
  strcpy(address.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  int ok = connect(fd, (struct sockaddr *)&address, sizeof address) == 0;
  close(fd);
  return ok;
}

/// user=: supplementary groups, group, user, in that order; 0, or the errno of the step that failed.
static inline int da_set_identity(unsigned uid, unsigned gid, const unsigned *groups, int count) {
  if (setgroups((size_t)count, (const gid_t *)groups) != 0) return errno;
  if (setgid((gid_t)gid) != 0) return errno;
  if (setuid((uid_t)uid) != 0) return errno;
  return 0;
}

#endif
