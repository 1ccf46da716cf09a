/*
 * berth-monitor: the per-container monitor of berth, a drop-in for the part of conmon's command
 * line and sync-pipe protocol that berth uses (see README.md next to this file).
 */
#ifndef BERTH_MONITOR_H
#define BERTH_MONITOR_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#define BERTH_MONITOR_VERSION "1.0.0"
#define MAX_RUNTIME_ARGS 64

/* ---- options.c: the command line ------------------------------------------------------------ */

struct options {
  const char *bundle;        /* -b: OCI bundle; the ctl fifo goes there */
  const char *cid;           /* -c: container id, last runtime argument and exit file name */
  const char *runtime;       /* -r: crun or runc */
  const char *runtime_args[MAX_RUNTIME_ARGS]; /* --runtime-arg, before the runtime command */
  int n_runtime_args;
  const char *pid_file;      /* -p: the runtime writes the container's (or exec'd) pid here */
  const char *monitor_pid_file; /* -P: our own pid, when double-forking */
  const char *persist_dir;   /* -0: "exit" and "oom" files */
  const char *log_path;      /* -l k8s-file:PATH */
  const char *exit_dir;      /* --exit-dir: <dir>/<cid> holds the exit code */
  const char *exec_spec;     /* --exec-process-spec */
  bool exec;                 /* -e */
  bool terminal;             /* -t */
  bool stdin_pipe;           /* -i */
  bool sync;                 /* --sync: no double fork */
  bool systemd_cgroup;       /* -s: --systemd-cgroup for create */
  long timeout_s;            /* -T: kill after this many seconds (0: never) */
  long long log_global_max;  /* --log-global-size-max: stop logging past this many bytes (0: no cap) */
};

/* 0: run; 1: done (--version, --help printed); -1: bad command line (message printed). */
int options_parse(int argc, char **argv, struct options *o);

/* ---- util.c: I/O that survives EINTR and partial writes, messages ----------------------------- */

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int write_all(int fd, const void *buf, size_t len);
int writev_all(int fd, struct iovec *iov, int iovcnt);
ssize_t read_retry(int fd, void *buf, size_t len);
int join_path(char *out, size_t size, const char *dir, const char *name);
/* Writes content to dir/name through a temporary file and rename(2), as g_file_set_contents does. */
int write_file_atomic(const char *dir, const char *name, const char *content);
int touch_file(const char *dir, const char *name);
/* Reads a small file (pid file, cgroup file) into buf, NUL-terminated; -1 on error. */
ssize_t read_small_file(const char *path, char *buf, size_t size);
int set_nonblocking(int fd);
uint64_t now_ms(void);
/* Exit code as conmon reports it: the exit status, or 128+N when killed by signal N. */
int exit_code_of(int wait_status);

/* ---- sync.c: the sync pipe ------------------------------------------------------------------ */

/* Writes {"data": N[, "message": "..."]}\n; a closed pipe (the caller went away) is ignored. */
void sync_send(int *fd, int data, const char *message);

/* ---- crilog.c: the CRI log file ------------------------------------------------------------- */

#define CRI_CHUNK 16384 /* containerd's maximum entry text; longer lines become P chunks */
#define CRI_PARTIAL_FLUSH_MS 100

struct crilog {
  int fd;
  const char *path;
  long long written; /* bytes written since start (all files), for the cap */
  long long max;     /* 0: no cap */
};

/* One output stream of the container, with the text not yet written because it has no newline. */
struct stream {
  const char *name; /* "stdout" or "stderr" */
  int fd;           /* -1 once closed */
  size_t len;
  uint64_t partial_since; /* now_ms() when the pending text became non-empty */
  char buf[CRI_CHUNK];
};

int crilog_open(struct crilog *log, const char *path, long long max);
/* Starts a new file at the same path (kubelet renamed the old one), like conmon: temp + rename. */
int crilog_reopen(struct crilog *log);
/* Reads once from s->fd into the stream and writes what is complete. Returns bytes read, 0 at end
 * of file, -1 with errno (EAGAIN when nothing is there). */
ssize_t stream_read(struct stream *s, struct crilog *log);
/* Writes the pending text without newline as a P entry. */
void stream_flush(struct stream *s, struct crilog *log);
/* Reads until nothing more is there (non-blocking), then flushes. */
void stream_drain(struct stream *s, struct crilog *log);

/* ---- runtime.c: running crun/runc ----------------------------------------------------------- */

struct child_stdio {
  int in, out, err; /* the container's ends (or /dev/null) */
};

/* Forks and execs `<runtime> [args] create|exec ... <cid>`; the child gets its own process group
 * when own_group (so an exec'd process can be killed with its children, but not us). */
pid_t runtime_spawn(const struct options *o, const char *console_socket, const struct child_stdio *io,
                    const void *old_sigmask, bool own_group);

/* ---- console.c: the terminal, received over a console socket -------------------------------- */

/* Listens on a fresh socket in a private temporary directory; path receives its name. */
int console_listen(char *path, size_t size);
/* Accepts the runtime's connection and returns the terminal master it sent (SCM_RIGHTS). */
int console_receive(int listen_fd, const char *path);
void console_cleanup(const char *path);

/* ---- ctl.c: the bundle's ctl fifo ----------------------------------------------------------- */

struct ctl {
  int fd, keep_open_fd;
  size_t len;
  char buf[256];
};

int ctl_open(struct ctl *c, const char *bundle);
/* Reads the fifo and handles each complete line: "1 H W" resizes tty_fd, "2 0 0" reopens the log. */
void ctl_handle(struct ctl *c, int tty_fd, struct crilog *log);

/* ---- oom.c: did the kernel OOM-kill something in the container's cgroup? -------------------- */

struct oom_watch {
  int event_fd;   /* v1: eventfd registered on memory.oom_control; v2: inotify on memory.events */
  int counter_fd; /* v1: memory.oom_control; v2: memory.events */
  bool v2;
  bool has_counter;
  long long base; /* oom_kill when the watch started */
  bool seen;      /* an OOM kill was seen */
  char control_path[4096]; /* v1: cgroup.event_control, gone once the cgroup is removed */
};

void oom_watch_start(struct oom_watch *w, pid_t pid);
/* Called when event_fd is readable. */
void oom_watch_event(struct oom_watch *w);
/* Final check after the container exited. */
bool oom_watch_killed(struct oom_watch *w);
void oom_watch_close(struct oom_watch *w);

#endif
