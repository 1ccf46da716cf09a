/*
 * berth-monitor: creates one container (or runs one exec) through crun/runc, holds its stdio,
 * writes its CRI log, reaps it and records its exit code, like conmon. One process per
 * container, single-threaded: a poll loop over a signalfd, the container's output, the ctl fifo
 * and the OOM event; it sleeps in poll until something happens.
 */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TIMED_OUT_MESSAGE "command timed out"
#define TTY_HUP_RETRY_MS 100
#define EARLY_EXITS 16

struct monitor {
  struct options o;
  int sync_fd;
  int sig_fd;
  sigset_t old_mask;
  pid_t runtime_pid;
  int runtime_status;
  bool runtime_done;
  pid_t ctr_pid; /* the container's init, or the exec'd process */
  int ctr_status;
  bool ctr_done;
  /* Children reaped before their pid was known (a quick exec'd process). */
  struct {
    pid_t pid;
    int status;
  } early[EARLY_EXITS];
  int n_early;
  int stdin_w;   /* -i: the write end, held so the container's stdin stays open */
  int tty;       /* -t: the terminal master; it is also out.fd */
  bool tty_hup;  /* nobody has the terminal open: poll it again later instead of spinning */
  uint64_t tty_retry_at;
  int console_fd;
  char console_path[PATH_MAX];
  struct ctl ctl;
  struct crilog log;
  struct stream out, err;
  struct oom_watch oom;
  uint64_t deadline; /* -T, in now_ms() time; 0: none */
  bool timed_out;
};

static struct monitor M;

static void reap(struct monitor *m) {
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid < 0 && errno == EINTR) continue;
    if (pid <= 0) return;
    if (pid == m->runtime_pid) {
      m->runtime_status = status;
      m->runtime_done = true;
    } else if (m->ctr_pid > 0 && pid == m->ctr_pid) {
      m->ctr_status = status;
      m->ctr_done = true;
    } else if (m->ctr_pid <= 0 && m->n_early < EARLY_EXITS) {
      m->early[m->n_early].pid = pid;
      m->early[m->n_early].status = status;
      m->n_early++;
    }
    /* else: an orphan of the container, reparented to us as subreaper; just reaped. */
  }
}

static void handle_signals(struct monitor *m) {
  struct signalfd_siginfo si;
  while (read_retry(m->sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
    if (si.ssi_signo == SIGCHLD) {
      reap(m);
    } else if (si.ssi_signo != SIGHUP) {
      /* TERM, INT, QUIT go to the container (or the runtime while it creates it), as conmon does. */
      pid_t target = m->ctr_pid > 0 && !m->ctr_done ? m->ctr_pid : !m->runtime_done ? m->runtime_pid : -1;
      if (target > 0) kill(target, (int)si.ssi_signo);
    }
  }
}

/* The runtime's complaint, from its stderr (our stderr pipe), for the sync pipe. */
static void runtime_message(struct monitor *m, char *buf, size_t size, const char *fallback) {
  ssize_t n = -1;
  if (m->err.fd >= 0) {
    set_nonblocking(m->err.fd);
    n = read_retry(m->err.fd, buf, size - 1);
  }
  if (n <= 0) {
    snprintf(buf, size, "%s", fallback);
    return;
  }
  buf[n] = '\0';
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) buf[--n] = '\0';
}

static void fail(struct monitor *m, const char *message) __attribute__((noreturn));
static void fail(struct monitor *m, const char *message) {
  warn("%s", message);
  sync_send(&m->sync_fd, -1, message);
  console_cleanup(m->console_path);
  _exit(1);
}

static void fail_runtime(struct monitor *m, const char *fallback) {
  char msg[4096];
  runtime_message(m, msg, sizeof msg, fallback);
  fail(m, msg);
}

static int add_fd(struct pollfd *fds, int n, int fd) {
  fds[n].fd = fd;
  fds[n].events = POLLIN;
  fds[n].revents = 0;
  return n + 1;
}

static int min_timeout(int current, uint64_t at, uint64_t now) {
  int ms = at <= now ? 0 : at - now > INT_MAX ? INT_MAX : (int)(at - now);
  return current < 0 || ms < current ? ms : current;
}

static void read_stream(struct monitor *m, struct stream *s) {
  ssize_t n = stream_read(s, &m->log);
  if (n > 0 || (n < 0 && errno == EAGAIN)) return;
  if (s->fd == m->tty) {
    /* The terminal has no reader or writer on the other side right now; it may get one again. */
    m->tty_hup = true;
    m->tty_retry_at = now_ms() + TTY_HUP_RETRY_MS;
    return;
  }
  stream_flush(s, &m->log);
  close(s->fd);
  s->fd = -1;
}

/* Runs until the runtime exited (creating) or the container exited or timed out (running). */
static void loop(struct monitor *m, bool creating) {
  for (;;) {
    if (creating ? m->runtime_done : m->ctr_done || m->timed_out) return;
    struct pollfd fds[8];
    int n = add_fd(fds, 0, m->sig_fd);
    int i_console = -1, i_out = -1, i_err = -1, i_ctl = -1, i_oom = -1;
    if (creating) {
      if (m->console_fd >= 0) i_console = n, n = add_fd(fds, n, m->console_fd);
    } else {
      if (m->out.fd >= 0 && !(m->out.fd == m->tty && m->tty_hup)) i_out = n, n = add_fd(fds, n, m->out.fd);
      if (m->err.fd >= 0) i_err = n, n = add_fd(fds, n, m->err.fd);
      if (m->ctl.fd >= 0) i_ctl = n, n = add_fd(fds, n, m->ctl.fd);
      if (m->oom.event_fd >= 0) i_oom = n, n = add_fd(fds, n, m->oom.event_fd);
    }
    uint64_t now = now_ms();
    int timeout = -1;
    if (!creating) {
      if (m->out.len > 0) timeout = min_timeout(timeout, m->out.partial_since + CRI_PARTIAL_FLUSH_MS, now);
      if (m->err.len > 0) timeout = min_timeout(timeout, m->err.partial_since + CRI_PARTIAL_FLUSH_MS, now);
      if (m->tty_hup) timeout = min_timeout(timeout, m->tty_retry_at, now);
      if (m->deadline > 0) timeout = min_timeout(timeout, m->deadline, now);
    }
    int ready = poll(fds, (nfds_t)n, timeout);
    if (ready < 0) {
      if (errno == EINTR) continue;
      die("poll: %s", strerror(errno));
    }
    if (fds[0].revents) handle_signals(m);
    if (i_console >= 0 && fds[i_console].revents) {
      m->tty = console_receive(m->console_fd, m->console_path);
      if (m->tty < 0) warn("receiving the terminal from the runtime: %s", strerror(errno));
      close(m->console_fd);
      m->console_fd = -1;
    }
    if (i_out >= 0 && fds[i_out].revents) read_stream(m, &m->out);
    if (i_err >= 0 && fds[i_err].revents) read_stream(m, &m->err);
    if (i_ctl >= 0 && fds[i_ctl].revents) ctl_handle(&m->ctl, m->tty, &m->log);
    if (i_oom >= 0 && fds[i_oom].revents) oom_watch_event(&m->oom);
    if (creating) continue;
    now = now_ms();
    if (m->out.len > 0 && now >= m->out.partial_since + CRI_PARTIAL_FLUSH_MS) stream_flush(&m->out, &m->log);
    if (m->err.len > 0 && now >= m->err.partial_since + CRI_PARTIAL_FLUSH_MS) stream_flush(&m->err, &m->log);
    if (m->tty_hup && now >= m->tty_retry_at) m->tty_hup = false;
    if (m->deadline > 0 && now >= m->deadline) m->timed_out = true;
  }
}

static void make_pipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) < 0) die("pipe: %s", strerror(errno));
}

/* Sets up stdio, starts the runtime and waits for it; returns the container's (exec'd) pid. */
static pid_t create(struct monitor *m, int dev_null) {
  struct child_stdio io = {dev_null, dev_null, dev_null};
  int p[2];
  m->out.fd = m->err.fd = m->stdin_w = m->tty = m->console_fd = m->ctl.fd = m->ctl.keep_open_fd = -1;
  m->out.name = "stdout";
  m->err.name = "stderr";
  if (m->o.terminal) {
    m->console_fd = console_listen(m->console_path, sizeof m->console_path);
    if (m->console_fd < 0) die("console socket: %s", strerror(errno));
  } else {
    if (m->o.stdin_pipe) {
      make_pipe(p);
      io.in = p[0];
      m->stdin_w = p[1];
    }
    make_pipe(p);
    m->out.fd = p[0];
    io.out = p[1];
  }
  /* Always a stderr pipe: it carries the runtime's error messages too. */
  make_pipe(p);
  m->err.fd = p[0];
  io.err = p[1];
  if (m->o.bundle != NULL && ctl_open(&m->ctl, m->o.bundle) < 0) {
    die("ctl fifo in %s: %s", m->o.bundle, strerror(errno));
  }

  m->runtime_pid = runtime_spawn(&m->o, m->o.terminal ? m->console_path : NULL, &io, &m->old_mask, m->o.exec);
  if (m->runtime_pid < 0) fail(m, "fork failed");
  if (io.in != dev_null) close(io.in);
  if (io.out != dev_null) close(io.out);
  close(io.err);

  loop(m, true);
  if (!m->o.exec && (!WIFEXITED(m->runtime_status) || WEXITSTATUS(m->runtime_status) != 0)) {
    char why[128];
    snprintf(why, sizeof why, "%s create failed with status %d", m->o.runtime, exit_code_of(m->runtime_status));
    fail_runtime(m, why);
  }
  if (m->o.terminal && m->tty < 0) fail(m, "Runtime did not set up terminal");
  if (m->tty >= 0) m->out.fd = m->tty;

  char buf[32];
  if (read_small_file(m->o.pid_file, buf, sizeof buf) < 0) {
    char why[PATH_MAX + 64];
    snprintf(why, sizeof why, "reading pid file %s: %s", m->o.pid_file, strerror(errno));
    fail_runtime(m, why);
  }
  pid_t pid = (pid_t)atoi(buf);
  if (pid <= 0) fail(m, "the runtime wrote no pid");
  return pid;
}

static void write_exit_files(struct monitor *m, int code) {
  char text[16];
  snprintf(text, sizeof text, "%d", code);
  if (m->o.persist_dir && write_file_atomic(m->o.persist_dir, "exit", text) < 0) {
    warn("writing %s/exit: %s", m->o.persist_dir, strerror(errno));
  }
  if (m->o.exit_dir && write_file_atomic(m->o.exit_dir, m->o.cid, text) < 0) {
    warn("writing %s/%s: %s", m->o.exit_dir, m->o.cid, strerror(errno));
  }
}

static void kill_timed_out(struct monitor *m) {
  pid_t group = getpgid(m->ctr_pid);
  /* The runtime ran in a group of its own, so this is the exec'd process and its children,
   * never us; group 1 would mean everything we may signal. */
  if (group > 1 && group != getpgrp()) {
    kill(-group, SIGKILL);
  } else {
    kill(m->ctr_pid, SIGKILL);
  }
}

/* Keeps 0, 1 and 2 open, so no later descriptor is mistaken for stdio. */
static void ensure_stdio(void) {
  int fd;
  while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2) {
  }
  if (fd > 2) close(fd);
}

int main(int argc, char **argv) {
  struct monitor *m = &M;
  int parsed = options_parse(argc, argv, &m->o);
  if (parsed != 0) return parsed > 0 ? 0 : 1;
  ensure_stdio();
  umask(022);
  signal(SIGPIPE, SIG_IGN);
  int adj = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (adj >= 0) {
    (void)write_all(adj, "-1000", 5); /* as conmon: the last process the OOM killer should pick */
    close(adj);
  }
  int dev_null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (dev_null < 0) die("/dev/null: %s", strerror(errno));

  if (!m->o.sync) {
    /* Detach from the caller: it waits for us, we go on in a child it never sees. */
    pid_t pid = fork();
    if (pid < 0) die("fork: %s", strerror(errno));
    if (pid > 0) {
      if (m->o.monitor_pid_file) {
        char text[16];
        snprintf(text, sizeof text, "%d", (int)pid);
        int fd = open(m->o.monitor_pid_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write_all(fd, text, strlen(text)) < 0) die("writing %s", m->o.monitor_pid_file);
        close(fd);
      }
      _exit(0);
    }
  }

  m->sync_fd = -1;
  const char *sync_env = getenv("_OCI_SYNCPIPE");
  if (sync_env != NULL) {
    char *end;
    long fd = strtol(sync_env, &end, 10);
    if (*end != '\0' || fd < 0 || fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0) die("bad _OCI_SYNCPIPE=%s", sync_env);
    m->sync_fd = (int)fd;
  }
  /* Whatever else the caller left open must not reach the runtime and the container. */
  if (syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) < 0) warn("close_range: %s", strerror(errno));
  dup2(dev_null, STDIN_FILENO);
  dup2(dev_null, STDOUT_FILENO);
  /* stderr stays: the caller collects our diagnostics there. */
  setsid();
  /* The container's init (forked by the runtime, which exits) becomes our child. */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) die("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));

  if (crilog_open(&m->log, m->o.log_path, m->o.exec ? m->o.log_global_max : 0) < 0) {
    char why[PATH_MAX + 64];
    snprintf(why, sizeof why, "opening log file %s: %s", m->o.log_path, strerror(errno));
    fail(m, why);
  }

  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGQUIT);
  sigaddset(&mask, SIGHUP);
  if (sigprocmask(SIG_BLOCK, &mask, &m->old_mask) < 0) die("sigprocmask: %s", strerror(errno));
  m->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (m->sig_fd < 0) die("signalfd: %s", strerror(errno));

  m->ctr_pid = create(m, dev_null);
  for (int i = 0; i < m->n_early; i++) {
    if (m->early[i].pid == m->ctr_pid) {
      m->ctr_status = m->early[i].status;
      m->ctr_done = true;
    }
  }
  if (m->out.fd >= 0) set_nonblocking(m->out.fd);
  if (m->err.fd >= 0) set_nonblocking(m->err.fd);
  sync_send(&m->sync_fd, m->ctr_pid, NULL);
  m->oom.event_fd = m->oom.counter_fd = -1;
  if (!m->o.exec) oom_watch_start(&m->oom, m->ctr_pid);
  if (m->o.timeout_s > 0) m->deadline = now_ms() + (uint64_t)m->o.timeout_s * 1000u;

  loop(m, false);

  int code = -1;
  const char *message = NULL;
  if (m->timed_out && !m->ctr_done) {
    kill_timed_out(m);
    message = TIMED_OUT_MESSAGE;
  } else {
    code = exit_code_of(m->ctr_status);
  }
  stream_drain(&m->out, &m->log);
  stream_drain(&m->err, &m->log);
  /* The oom marker first: whoever sees the exit file looks for it right away. */
  if (oom_watch_killed(&m->oom)) {
    if (m->o.persist_dir && touch_file(m->o.persist_dir, "oom") < 0) warn("writing the oom file: %s", strerror(errno));
    if (m->o.bundle && (!m->o.persist_dir || strcmp(m->o.bundle, m->o.persist_dir) != 0)) touch_file(m->o.bundle, "oom");
  }
  oom_watch_close(&m->oom);
  write_exit_files(m, code);
  if (m->o.exec) sync_send(&m->sync_fd, code, message);
  return code < 0 ? 255 : code;
}
