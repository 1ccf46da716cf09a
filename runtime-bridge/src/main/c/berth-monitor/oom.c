/*
 * OOM kills in the container's cgroup, on cgroup v1 and v2. The kernel counts them (v1:
 * memory.oom_control "oom_kill", since 4.13; v2: memory.events "oom_kill"); the counter when the
 * container was created is the base, and more at any event or at exit means an OOM kill. Events
 * come from an eventfd registered in cgroup.event_control (v1, as conmon) or an inotify watch on
 * memory.events (v2, as conmon); they matter when the cgroup is gone by the time the container
 * exited (the systemd driver removes an empty scope), and on v1 kernels without the counter.
 */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* The container's cgroup directory, from /proc/PID/cgroup: the unified one (v2) or memory's (v1). */
static int cgroup_dir(pid_t pid, bool v2, char *out, size_t size) {
  char path[64], buf[8192];
  snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
  if (read_small_file(path, buf, sizeof buf) < 0) return -1;
  for (char *line = strtok(buf, "\n"); line != NULL; line = strtok(NULL, "\n")) {
    char *c1 = strchr(line, ':');
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (c2 == NULL) continue;
    *c2 = '\0';
    const char *controllers = c1 + 1, *dir = c2 + 1;
    if (v2) {
      if (strncmp(line, "0:", 2) == 0 && controllers[0] == '\0') {
        return snprintf(out, size, "/sys/fs/cgroup%s", dir) < (int)size ? 0 : -1;
      }
      continue;
    }
    char list[256];
    snprintf(list, sizeof list, ",%s,", controllers);
    if (strstr(list, ",memory,") != NULL) {
      return snprintf(out, size, "/sys/fs/cgroup/memory%s", dir) < (int)size ? 0 : -1;
    }
  }
  errno = ENOENT;
  return -1;
}

/* The oom_kill counter from an open memory.oom_control or memory.events; -1 when absent. */
static long long read_counter(int fd) {
  char buf[1024];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return -1;
  buf[n] = '\0';
  for (char *line = strtok(buf, "\n"); line != NULL; line = strtok(NULL, "\n")) {
    if (strncmp(line, "oom_kill ", 9) == 0) return atoll(line + 9);
  }
  return -1;
}

static void check(struct oom_watch *w) {
  if (w->counter_fd < 0 || !w->has_counter) return;
  long long now = read_counter(w->counter_fd);
  if (now > w->base) w->seen = true;
}

void oom_watch_start(struct oom_watch *w, pid_t pid) {
  struct statfs sfs;
  char dir[PATH_MAX], file[PATH_MAX];
  w->event_fd = w->counter_fd = -1;
  w->seen = w->has_counter = false;
  w->base = 0;
  w->v2 = statfs("/sys/fs/cgroup", &sfs) == 0 && (unsigned long)sfs.f_type == CGROUP2_SUPER_MAGIC;
  if (cgroup_dir(pid, w->v2, dir, sizeof dir) < 0) {
    warn("no memory cgroup for pid %d: OOM kills will not be seen", (int)pid);
    return;
  }
  if (join_path(file, sizeof file, dir, w->v2 ? "memory.events" : "memory.oom_control") < 0) return;
  w->counter_fd = open(file, O_RDONLY | O_CLOEXEC);
  if (w->counter_fd < 0) {
    warn("opening %s: %s", file, strerror(errno));
    return;
  }
  w->base = read_counter(w->counter_fd);
  w->has_counter = w->base >= 0;
  if (w->v2) {
    w->event_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->event_fd >= 0 && inotify_add_watch(w->event_fd, file, IN_MODIFY) < 0) {
      close(w->event_fd);
      w->event_fd = -1;
    }
    return;
  }
  char line[32];
  if (join_path(w->control_path, sizeof w->control_path, dir, "cgroup.event_control") < 0) return;
  int cfd = open(w->control_path, O_WRONLY | O_CLOEXEC);
  w->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  snprintf(line, sizeof line, "%d %d", w->event_fd, w->counter_fd);
  if (cfd < 0 || w->event_fd < 0 || write_all(cfd, line, strlen(line)) < 0) {
    /* Advisory, as in conmon: PREEMPT_RT kernels disable this interface. The counter remains. */
    if (w->event_fd >= 0) close(w->event_fd);
    w->event_fd = -1;
  }
  if (cfd >= 0) close(cfd);
}

void oom_watch_event(struct oom_watch *w) {
  if (w->v2) {
    char buf[sizeof(struct inotify_event) + NAME_MAX + 1];
    while (read_retry(w->event_fd, buf, sizeof buf) > 0) {
    }
    check(w);
    return;
  }
  uint64_t count = 0;
  if (read_retry(w->event_fd, &count, sizeof count) != (ssize_t)sizeof count) return;
  if (w->has_counter) {
    check(w);
    return;
  }
  /* No counter: an event is an OOM unless it is the one that says the cgroup was removed. */
  bool removed = access(w->control_path, F_OK) < 0;
  if (count > 1 || !removed) w->seen = true;
  if (removed) {
    close(w->event_fd);
    w->event_fd = -1;
  }
}

bool oom_watch_killed(struct oom_watch *w) {
  check(w);
  return w->seen;
}

void oom_watch_close(struct oom_watch *w) {
  if (w->event_fd >= 0) close(w->event_fd);
  if (w->counter_fd >= 0) close(w->counter_fd);
  w->event_fd = w->counter_fd = -1;
}
