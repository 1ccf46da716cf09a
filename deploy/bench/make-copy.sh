#!/usr/bin/env bash
# A self-contained copy of a berth build for start-up and footprint A/Bs: berthd.jar + lib/, berthctl
# (ctl/), the tree's launcher pointing at the copy, and class-data archives trained as install.sh
# does (deploy/train-cds.sh). A copy survives rebuilds of the tree it came from.
#   deploy/bench/make-copy.sh SOURCE_TREE DEST       (SOURCE_TREE built with mvn package)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
src=$(cd "$1" && pwd); dst=$2
rm -rf "$dst"; mkdir -p "$dst/ctl"
cp "$src/cri-server/target/berthd.jar" "$dst/"; cp -r "$src/cri-server/target/lib" "$dst/lib"
cp "$src/crictl-compat/target/berthctl.jar" "$dst/ctl/"; cp -r "$src/crictl-compat/target/lib" "$dst/ctl/lib"
install -m 0755 "$src/crictl-compat/src/main/scripts/berthctl" "$dst/ctl/berthctl"
install -m 0755 "$src/deploy/bin/berthd" "$dst/berthd"
sed -i "s#^BERTH_HOME=.*#BERTH_HOME=\${BERTH_HOME:-$dst}#" "$dst/berthd"
if [ -f "$src/deploy/train-cds.sh" ]; then
  bash "$src/deploy/train-cds.sh" "$dst" "$dst/berthd" "$CRICTL"
else # builds before train-cds.sh: install.sh's training of the time (berthctl's commands)
  t=$(mktemp -d)
  BERTH_JAVA_OPTS="-XX:ArchiveClassesAtExit=$dst/berthd.jsa" "$dst/berthd" \
    --socket "$t/b.sock" --root "$t/root" --state-dir "$t/run" >"$t/log" 2>&1 &
  p=$!
  bench_wait_sock "$t/b.sock" "$p" || true
  "$dst/ctl/berthctl" --train-cds "unix://$t/b.sock" >/dev/null 2>&1 || true
  kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; rm -rf "$t"
fi
ls -l "$dst"/*.jsa >&2
