#!/bin/sh
# Builds berth-monitor into $1 (Maven runs this in runtime-bridge's compile phase). A static
# binary: the monitor maps no shared libraries, which keeps its resident memory small.
set -eu
out=$1
src=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-cc}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "berth-monitor: no C compiler ($CC) on PATH; install it: apt-get install gcc libc6-dev (or deploy/host-setup.sh build)" >&2
  exit 1
fi
newer=$(find "$src" -name '*.[ch]' -newer "$out" 2>/dev/null | head -n 1) || true
if [ -x "$out" ] && [ -z "$newer" ]; then
  exit 0
fi
mkdir -p "$(dirname "$out")"
if ! "$CC" -std=c11 -static -O2 -Wall -Wextra -Werror -o "$out.tmp" "$src"/*.c; then
  echo "berth-monitor: compiling failed; 'cannot find -lc' means the static C library is missing: apt-get install libc6-dev" >&2
  rm -f "$out.tmp"
  exit 1
fi
mv "$out.tmp" "$out"
