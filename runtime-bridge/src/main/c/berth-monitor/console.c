/* -t: the runtime creates the terminal and sends its master over a unix socket (SCM_RIGHTS). */
#include "monitor.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

int console_listen(char *path, size_t size) {
  char dir[] = "/tmp/berth-monitor-XXXXXX";
  if (mkdtemp(dir) == NULL) return -1;
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (join_path(path, size, dir, "console.sock") < 0 || strlen(path) >= sizeof addr.sun_path) {
    rmdir(dir);
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 1) < 0) {
    int saved = errno;
    if (fd >= 0) close(fd);
    console_cleanup(path);
    errno = saved;
    return -1;
  }
  return fd;
}

void console_cleanup(const char *path) {
  char dir[PATH_MAX];
  if (path == NULL || path[0] == '\0') return;
  unlink(path);
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash != NULL) {
    *slash = '\0';
    rmdir(dir);
  }
}

int console_receive(int listen_fd, const char *path) {
  int conn;
  do {
    conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
  } while (conn < 0 && errno == EINTR);
  if (conn < 0) return -1;
  char name[PATH_MAX];
  struct iovec iov = {name, sizeof name};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf};
  ssize_t n;
  do {
    n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  int saved = errno;
  close(conn);
  console_cleanup(path);
  if (n < 0) {
    errno = saved;
    return -1;
  }
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) {
    errno = EBADMSG;
    return -1;
  }
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  /* As conmon: \n becomes \r\n on output, the way kubernetes expects a terminal to behave. */
  struct termios t;
  if (tcgetattr(fd, &t) == 0) {
    t.c_oflag |= ONLCR;
    tcsetattr(fd, TCSANOW, &t);
  }
  return fd;
}
