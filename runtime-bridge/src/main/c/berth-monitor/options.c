/* The command line: the subset of conmon's options berth passes, same spellings. */
#include "monitor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { FLAG, VALUE };

struct spec {
  const char *long_name;
  char short_name; /* 0: none */
  enum kind kind;
  int id;
};

enum {
  O_API_VERSION, O_BUNDLE, O_CID, O_CUUID, O_NAME, O_RUNTIME, O_RUNTIME_ARG, O_PIDFILE, O_MONITOR_PIDFILE,
  O_PERSIST, O_LOG_PATH, O_EXIT_DIR, O_SOCKET_DIR, O_LOG_LEVEL, O_SYNC, O_SYSLOG, O_SYSTEMD, O_TERMINAL,
  O_STDIN, O_LEAVE_STDIN_OPEN, O_EXEC, O_EXEC_SPEC, O_TIMEOUT, O_LOG_GLOBAL_MAX, O_VERSION, O_HELP,
};

static const struct spec SPECS[] = {
    {"api-version", 0, FLAG, O_API_VERSION},
    {"bundle", 'b', VALUE, O_BUNDLE},
    {"cid", 'c', VALUE, O_CID},
    {"cuuid", 'u', VALUE, O_CUUID},                 /* accepted, unused: no attach sockets */
    {"name", 'n', VALUE, O_NAME},                   /* accepted, unused */
    {"runtime", 'r', VALUE, O_RUNTIME},
    {"runtime-arg", 0, VALUE, O_RUNTIME_ARG},
    {"container-pidfile", 'p', VALUE, O_PIDFILE},
    {"conmon-pidfile", 'P', VALUE, O_MONITOR_PIDFILE},
    {"persist-dir", '0', VALUE, O_PERSIST},
    {"log-path", 'l', VALUE, O_LOG_PATH},
    {"exit-dir", 0, VALUE, O_EXIT_DIR},
    {"socket-dir-path", 0, VALUE, O_SOCKET_DIR},    /* accepted, unused: no attach sockets */
    {"log-level", 0, VALUE, O_LOG_LEVEL},           /* accepted, unused: errors go to stderr */
    {"sync", 0, FLAG, O_SYNC},
    {"syslog", 0, FLAG, O_SYSLOG},                  /* accepted, unused */
    {"systemd-cgroup", 's', FLAG, O_SYSTEMD},
    {"terminal", 't', FLAG, O_TERMINAL},
    {"stdin", 'i', FLAG, O_STDIN},
    {"leave-stdin-open", 0, FLAG, O_LEAVE_STDIN_OPEN}, /* stdin stays open anyway: no attach */
    {"exec", 'e', FLAG, O_EXEC},
    {"exec-process-spec", 0, VALUE, O_EXEC_SPEC},
    {"timeout", 'T', VALUE, O_TIMEOUT},
    {"log-global-size-max", 0, VALUE, O_LOG_GLOBAL_MAX},
    {"version", 0, FLAG, O_VERSION},
    {"help", 'h', FLAG, O_HELP},
};

static const struct spec *find_long(const char *name, size_t len) {
  for (size_t i = 0; i < sizeof SPECS / sizeof SPECS[0]; i++) {
    if (strlen(SPECS[i].long_name) == len && strncmp(SPECS[i].long_name, name, len) == 0) {
      return &SPECS[i];
    }
  }
  return NULL;
}

static const struct spec *find_short(char c) {
  for (size_t i = 0; i < sizeof SPECS / sizeof SPECS[0]; i++) {
    if (SPECS[i].short_name == c) {
      return &SPECS[i];
    }
  }
  return NULL;
}

static int parse_number(const char *name, const char *v, long long *out) {
  char *end;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  if (errno != 0 || end == v || *end != '\0' || n < 0) {
    fprintf(stderr, "berth-monitor: --%s: not a non-negative number: %s\n", name, v);
    return -1;
  }
  *out = n;
  return 0;
}

static int apply(struct options *o, const struct spec *s, const char *v) {
  long long n;
  switch (s->id) {
  case O_BUNDLE: o->bundle = v; break;
  case O_CID: o->cid = v; break;
  case O_RUNTIME: o->runtime = v; break;
  case O_RUNTIME_ARG:
    if (o->n_runtime_args == MAX_RUNTIME_ARGS) {
      fprintf(stderr, "berth-monitor: more than %d --runtime-arg\n", MAX_RUNTIME_ARGS);
      return -1;
    }
    o->runtime_args[o->n_runtime_args++] = v;
    break;
  case O_PIDFILE: o->pid_file = v; break;
  case O_MONITOR_PIDFILE: o->monitor_pid_file = v; break;
  case O_PERSIST: o->persist_dir = v; break;
  case O_LOG_PATH:
    if (strncmp(v, "k8s-file:", 9) == 0) {
      o->log_path = v + 9;
    } else if (strchr(v, ':') == NULL) {
      o->log_path = v; /* conmon takes a bare path as k8s-file too */
    } else {
      fprintf(stderr, "berth-monitor: unsupported log driver in -l %s (only k8s-file)\n", v);
      return -1;
    }
    break;
  case O_EXIT_DIR: o->exit_dir = v; break;
  case O_SYNC: o->sync = true; break;
  case O_SYSTEMD: o->systemd_cgroup = true; break;
  case O_TERMINAL: o->terminal = true; break;
  case O_STDIN: o->stdin_pipe = true; break;
  case O_EXEC: o->exec = true; break;
  case O_EXEC_SPEC: o->exec_spec = v; break;
  case O_TIMEOUT:
    if (parse_number(s->long_name, v, &n) < 0) return -1;
    o->timeout_s = (long)n;
    break;
  case O_LOG_GLOBAL_MAX:
    if (parse_number(s->long_name, v, &n) < 0) return -1;
    o->log_global_max = n;
    break;
  default: break; /* accepted and ignored */
  }
  return 0;
}

static const char USAGE[] =
    "usage: berth-monitor -c ID -r RUNTIME -p PIDFILE -l k8s-file:PATH [-b BUNDLE] [-0 DIR] [--exit-dir DIR]\n"
    "         [--runtime-arg ARG]... [-t | -i [--leave-stdin-open]] [--sync] [-s]\n"
    "         [-e --exec-process-spec FILE [-T SECONDS] [--log-global-size-max BYTES]]\n"
    "  accepted and ignored, for conmon compatibility: --api-version -u -n --socket-dir-path --log-level --syslog\n";

int options_parse(int argc, char **argv, struct options *o) {
  memset(o, 0, sizeof *o);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const struct spec *s = NULL;
    const char *value = NULL;
    if (strncmp(a, "--", 2) == 0 && a[2] != '\0') {
      const char *eq = strchr(a + 2, '=');
      size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
      s = find_long(a + 2, len);
      if (eq) value = eq + 1;
    } else if (a[0] == '-' && a[1] != '\0' && a[2] == '\0') {
      s = find_short(a[1]);
    }
    if (s == NULL) {
      fprintf(stderr, "berth-monitor: unknown option %s\n%s", a, USAGE);
      return -1;
    }
    if (s->kind == FLAG && value != NULL) {
      fprintf(stderr, "berth-monitor: --%s takes no value\n", s->long_name);
      return -1;
    }
    if (s->kind == VALUE && value == NULL) {
      if (i + 1 >= argc) {
        fprintf(stderr, "berth-monitor: %s needs a value\n", a);
        return -1;
      }
      value = argv[++i];
    }
    if (s->id == O_VERSION) {
      printf("berth-monitor version %s\n", BERTH_MONITOR_VERSION);
      return 1;
    }
    if (s->id == O_HELP) {
      fputs(USAGE, stdout);
      return 1;
    }
    if (apply(o, s, value) < 0) {
      return -1;
    }
  }
  const char *missing = o->cid == NULL ? "-c" : o->runtime == NULL ? "-r" : o->pid_file == NULL ? "-p"
      : o->log_path == NULL ? "-l" : o->exec && o->exec_spec == NULL ? "--exec-process-spec"
      : !o->exec && o->bundle == NULL ? "-b" : NULL;
  if (missing != NULL) {
    fprintf(stderr, "berth-monitor: %s is required\n%s", missing, USAGE);
    return -1;
  }
  return 0;
}
