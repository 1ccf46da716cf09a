/* The sync pipe (fd named by _OCI_SYNCPIPE): one JSON object per line, as conmon --api-version 1. */
#include "monitor.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Appends s to out as the body of a JSON string; stops (truncating) when out is full. */
static size_t json_escape(char *out, size_t size, const char *s) {
  static const char HEX[] = "0123456789abcdef";
  size_t n = 0;
  for (; *s != '\0'; s++) {
    unsigned char c = (unsigned char)*s;
    char esc[7];
    size_t len;
    if (c == '"' || c == '\\') {
      esc[0] = '\\', esc[1] = (char)c, len = 2;
    } else if (c == '\n') {
      esc[0] = '\\', esc[1] = 'n', len = 2;
    } else if (c == '\t') {
      esc[0] = '\\', esc[1] = 't', len = 2;
    } else if (c == '\r') {
      esc[0] = '\\', esc[1] = 'r', len = 2;
    } else if (c < 0x20 || c == 0x7f) {
      memcpy(esc, "\\u00", 4);
      esc[4] = HEX[c >> 4], esc[5] = HEX[c & 15], len = 6;
    } else {
      esc[0] = (char)c, len = 1;
    }
    if (n + len >= size) break;
    memcpy(out + n, esc, len);
    n += len;
  }
  out[n] = '\0';
  return n;
}

void sync_send(int *fd, int data, const char *message) {
  if (*fd < 0) return;
  char msg[8192 + 64];
  char escaped[8192];
  int n;
  if (message != NULL && message[0] != '\0') {
    json_escape(escaped, sizeof escaped, message);
    n = snprintf(msg, sizeof msg, "{\"data\": %d, \"message\": \"%s\"}\n", data, escaped);
  } else {
    n = snprintf(msg, sizeof msg, "{\"data\": %d}\n", data);
  }
  if (n < 0) return;
  if (write_all(*fd, msg, strlen(msg)) < 0) {
    if (errno != EPIPE) warn("writing to the sync pipe: %s", strerror(errno));
    close(*fd);
    *fd = -1;
  }
}
