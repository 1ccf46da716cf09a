/*
 * The CRI log file: "<RFC3339Nano local time> <stdout|stderr> <P|F> <text>\n" per entry, the
 * timestamp formatted as conmon does. Unlike conmon (which writes whatever one 8 KiB read returned),
 * a line is split only when it exceeds CRI_CHUNK (16 KiB, containerd's size); text without newline
 * is held back until its newline comes, the buffer is full, the stream ends, or it has waited
 * CRI_PARTIAL_FLUSH_MS (then it is written as P, so a prompt without newline still shows).
 */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_FLAGS (O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC)
#define LOG_MODE 0640
#define MAX_IOV 96 /* 3 per entry */

int crilog_open(struct crilog *log, const char *path, long long max) {
  log->path = path;
  log->written = 0;
  log->max = max;
  log->fd = open(path, LOG_FLAGS, LOG_MODE);
  return log->fd < 0 ? -1 : 0;
}

int crilog_reopen(struct crilog *log) {
  char tmp[PATH_MAX];
  int n = snprintf(tmp, sizeof tmp, "%s.tmp", log->path);
  if (n < 0 || (size_t)n >= sizeof tmp) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int fd = open(tmp, LOG_FLAGS | O_TRUNC, LOG_MODE);
  if (fd < 0) return -1;
  if (rename(tmp, log->path) < 0) {
    int saved = errno;
    close(fd);
    unlink(tmp);
    errno = saved;
    return -1;
  }
  if (log->fd >= 0) close(log->fd);
  log->fd = fd;
  return 0;
}

/* "<time> <stream> " into buf, as conmon's set_k8s_timestamp: local time with a numeric offset. */
static size_t timestamp(char *buf, size_t size, const char *stream) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (localtime_r(&ts.tv_sec, &tm) == NULL) {
    memset(&tm, 0, sizeof tm);
    tm.tm_year = 70;
    tm.tm_mday = 1;
  }
  long off = tm.tm_gmtoff;
  char sign = '+';
  if (off < 0) {
    sign = '-';
    off = -off;
  }
  int n = snprintf(buf, size, "%d-%02d-%02dT%02d:%02d:%02d.%09ld%c%02ld:%02ld %s ", tm.tm_year + 1900,
                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec, sign, off / 3600,
                   (off % 3600) / 60, stream);
  return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}

struct batch {
  struct crilog *log;
  struct iovec iov[MAX_IOV];
  int n;
  char prefix[80];
  size_t prefix_len;
};

static void batch_flush(struct batch *b) {
  if (b->n > 0 && b->log->fd >= 0 && writev_all(b->log->fd, b->iov, b->n) < 0) {
    warn("writing %s: %s", b->log->path, strerror(errno));
  }
  b->n = 0;
}

/* Queues one entry; the text must stay valid until batch_flush. */
static void batch_entry(struct batch *b, const char *text, size_t len) {
  size_t bytes = b->prefix_len + 2 + len + 1;
  if (b->log->max > 0 && b->log->written + (long long)bytes > b->log->max) {
    return; /* over the cap (exec output): dropped, as conmon does */
  }
  if (b->n + 3 > MAX_IOV) batch_flush(b);
  b->iov[b->n++] = (struct iovec){b->prefix, b->prefix_len};
  b->iov[b->n++] = (struct iovec){(void *)text, len};
  b->iov[b->n++] = (struct iovec){"\n", 1};
  b->log->written += (long long)bytes;
}

/* Writes the complete lines of s (and all of it when full or force), keeps the rest; true when
 * something was written. */
static bool stream_write(struct stream *s, struct crilog *log, bool force) {
  if (s->len == 0) return false;
  struct batch b = {.log = log, .n = 0};
  size_t ts_len = timestamp(b.prefix, sizeof b.prefix - 3, s->name);
  b.prefix[ts_len] = 'F';
  b.prefix[ts_len + 1] = ' ';
  b.prefix_len = ts_len + 2;
  /* Entries of one batch share the prefix; P entries need their own, so flush around them. */
  char *p = s->buf, *end = s->buf + s->len;
  char *nl;
  while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    batch_entry(&b, p, (size_t)(nl - p));
    p = nl + 1;
  }
  size_t rest = (size_t)(end - p);
  if (rest > 0 && (force || s->len == sizeof s->buf)) {
    batch_flush(&b);
    b.prefix[ts_len] = 'P';
    batch_entry(&b, p, rest);
    p = end;
    rest = 0;
  }
  batch_flush(&b);
  bool wrote = p != s->buf;
  if (rest > 0 && wrote) {
    memmove(s->buf, p, rest);
  }
  s->len = rest;
  return wrote;
}

ssize_t stream_read(struct stream *s, struct crilog *log) {
  if (s->fd < 0) return 0;
  size_t before = s->len;
  ssize_t n = read_retry(s->fd, s->buf + s->len, sizeof s->buf - s->len);
  if (n <= 0) {
    /* A terminal whose other side is gone says EIO: that is its end of file. */
    if (n < 0 && errno == EIO) n = 0;
    return n;
  }
  s->len += (size_t)n;
  bool wrote = stream_write(s, log, false);
  if (s->len > 0 && (before == 0 || wrote)) {
    s->partial_since = now_ms(); /* text without newline starts waiting */
  }
  return n;
}

void stream_flush(struct stream *s, struct crilog *log) {
  (void)stream_write(s, log, true);
}

void stream_drain(struct stream *s, struct crilog *log) {
  if (s->fd >= 0) {
    set_nonblocking(s->fd);
    while (stream_read(s, log) > 0) {
    }
  }
  stream_flush(s, log);
}
