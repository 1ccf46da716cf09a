/* The bundle's "ctl" fifo, as conmon serves it: lines "<type> <height> <width>". */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#define WIN_RESIZE_EVENT 1
#define REOPEN_LOGS_EVENT 2

int ctl_open(struct ctl *c, const char *bundle) {
  char path[PATH_MAX];
  c->fd = c->keep_open_fd = -1;
  c->len = 0;
  if (join_path(path, sizeof path, bundle, "ctl") < 0) return -1;
  if (mkfifo(path, 0660) < 0) {
    if (errno != EEXIST) return -1;
    unlink(path);
    if (mkfifo(path, 0660) < 0) return -1;
  }
  c->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (c->fd < 0) return -1;
  /* Our own writer keeps the fifo from reporting hang-up each time a client closes it. */
  c->keep_open_fd = open(path, O_WRONLY | O_CLOEXEC);
  return c->keep_open_fd < 0 ? -1 : 0;
}

static void handle_line(const char *line, int tty_fd, struct crilog *log) {
  int type, height, width;
  if (sscanf(line, "%d %d %d", &type, &height, &width) != 3) {
    warn("invalid control message: %s", line);
    return;
  }
  if (type == REOPEN_LOGS_EVENT) {
    if (crilog_reopen(log) < 0) warn("reopening %s: %s", log->path, strerror(errno));
  } else if (type == WIN_RESIZE_EVENT) {
    if (height < 0 || width < 0 || height > 1000 || width > 1000) {
      warn("invalid window size %dx%d", height, width);
      return;
    }
    struct winsize ws = {.ws_row = (unsigned short)height, .ws_col = (unsigned short)width};
    if (tty_fd >= 0 && ioctl(tty_fd, TIOCSWINSZ, &ws) < 0) warn("resizing the terminal: %s", strerror(errno));
  } else {
    warn("unknown control message type %d", type);
  }
}

void ctl_handle(struct ctl *c, int tty_fd, struct crilog *log) {
  for (;;) {
    if (c->len == sizeof c->buf - 1) {
      warn("control message too long, dropped");
      c->len = 0;
    }
    ssize_t n = read_retry(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
    if (n <= 0) return; /* EAGAIN: all read */
    c->len += (size_t)n;
    c->buf[c->len] = '\0';
    char *start = c->buf, *nl;
    while ((nl = strchr(start, '\n')) != NULL) {
      *nl = '\0';
      handle_line(start, tty_fd, log);
      start = nl + 1;
    }
    c->len = strlen(start);
    memmove(c->buf, start, c->len + 1);
  }
}
