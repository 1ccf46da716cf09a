/* Runs the OCI runtime the way conmon does (runtime_args.c), with the container's stdio. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ARGV (MAX_RUNTIME_ARGS + 16)

static bool has_arg(const struct options *o, const char *arg) {
  for (int i = 0; i < o->n_runtime_args; i++) {
    if (strcmp(o->runtime_args[i], arg) == 0) return true;
  }
  return false;
}

static void build_argv(const struct options *o, const char *console_socket, const char **argv) {
  int n = 0;
  argv[n++] = o->runtime;
  /* berth may pass --systemd-cgroup as a runtime argument already; conmon would add it twice. */
  if (!o->exec && o->systemd_cgroup && !has_arg(o, "--systemd-cgroup")) argv[n++] = "--systemd-cgroup";
  for (int i = 0; i < o->n_runtime_args; i++) argv[n++] = o->runtime_args[i];
  if (o->exec) {
    argv[n++] = "exec";
    argv[n++] = "--pid-file";
    argv[n++] = o->pid_file;
    argv[n++] = "--process";
    argv[n++] = o->exec_spec;
    argv[n++] = "--detach";
  } else {
    argv[n++] = "create";
    argv[n++] = "--bundle";
    argv[n++] = o->bundle;
    argv[n++] = "--pid-file";
    argv[n++] = o->pid_file;
  }
  if (console_socket != NULL) {
    argv[n++] = "--console-socket";
    argv[n++] = console_socket;
  }
  argv[n++] = o->cid;
  argv[n] = NULL;
}

/* Only async-signal-safe calls between fork and exec. */
static void child_fail(const char *what) {
  const char *e = strerror(errno);
  (void)write_all(STDERR_FILENO, "berth-monitor: ", 15);
  (void)write_all(STDERR_FILENO, what, strlen(what));
  (void)write_all(STDERR_FILENO, ": ", 2);
  (void)write_all(STDERR_FILENO, e, strlen(e));
  (void)write_all(STDERR_FILENO, "\n", 1);
  _exit(127);
}

pid_t runtime_spawn(const struct options *o, const char *console_socket, const struct child_stdio *io,
                    const void *old_sigmask, bool own_group) {
  const char *argv[MAX_ARGV];
  build_argv(o, console_socket, argv);
  pid_t pid = fork();
  if (pid != 0) return pid;

  /* The runtime dies with us (before it has created the container, nothing else would kill it). */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (own_group) setpgid(0, 0);
  /* An ignored SIGPIPE would be inherited through exec by the runtime and the container. */
  signal(SIGPIPE, SIG_DFL);
  sigprocmask(SIG_SETMASK, (const sigset_t *)old_sigmask, NULL);
  if (dup2(io->err, STDERR_FILENO) < 0) _exit(127);
  if (dup2(io->in, STDIN_FILENO) < 0) child_fail("dup2 stdin");
  if (dup2(io->out, STDOUT_FILENO) < 0) child_fail("dup2 stdout");
  /* A container user other than root reopens /proc/self/fd/N of these pipes (/dev/stdout). */
  fchmod(STDOUT_FILENO, 0777);
  fchmod(STDERR_FILENO, 0777);
  if (o->stdin_pipe) fchmod(STDIN_FILENO, 0777);
  /* We run at -1000 so the OOM killer spares the monitor; the runtime must not inherit that. */
  int adj = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (adj >= 0) {
    (void)write_all(adj, "0", 1);
    close(adj);
  }
  unsetenv("_OCI_SYNCPIPE");
  execv(o->runtime, (char *const *)argv);
  child_fail(o->runtime);
  return -1;
}
