#!/usr/bin/env bash
# Trains berthd's class-data-sharing archives in BERTH_HOME:
#   deploy/train-cds.sh BERTH_HOME LAUNCHER CLIENT
# LAUNCHER is the berthd launcher (deploy/bin/berthd as installed); CLIENT a crictl-compatible command
# (berthctl or crictl) that makes kubelet's periodic RPCs against the training berthd.
#
# Two archives, both holding only what berthd loads to start and to answer kubelet on an idle node
# (Version, the List RPCs, ImageFsInfo, stats). The archive's pages are almost all resident for
# the daemon's life, so a class archived but not used at idle is memory for nothing; the classes of
# operators' verbose commands and of the first pod's set-up load from the jars when first used.
# - jdk.jsa: a static archive of the JDK classes berthd uses, instead of the JDK's default archive
#   (which holds ~200 classes berthd never loads and misses ~500 it does);
# - berthd.jsa: a dynamic archive of berthd's own classes on top of it (its header names jdk.jsa, so
#   the launcher passes berthd.jsa only). A dynamic archive works under `java -jar`, where a static
#   one would not map the application classes.
# If the JDK changes, the launcher leaves both archives out and says so (slower start, more memory,
# same behaviour): train again.
set -euo pipefail
home=$1 launcher=$2 client=$3
JAVA=${JAVA:-java}
[ -n "${JAVA_HOME:-}" ] && JAVA="$JAVA_HOME/bin/java"
run() { # BERTH_JAVA_OPTS of a training berthd that serves kubelet's periodic RPCs, then stops
  local dir pid
  dir=$(mktemp -d)
  BERTH_HOME=$home BERTH_JAVA_OPTS="$1" "$launcher" \
    --socket "$dir/berth.sock" --root "$dir/root" --state-dir "$dir/run" >"$dir/log" 2>&1 &
  pid=$!
  # Until berthd has restored its (empty) state: before that, RPCs other than Version and Status
  # answer UNAVAILABLE and would train nothing. The first run has no archive: a slow VM needs time.
  for _ in $(seq 1 300); do
    CRI_CONFIG_FILE=/dev/null "$client" -r "unix://$dir/berth.sock" pods >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! CRI_CONFIG_FILE=/dev/null "$client" -r "unix://$dir/berth.sock" pods >/dev/null 2>&1; then
    cat "$dir/log" >&2; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"; return 1
  fi
  for c in version pods "ps -a" images imagefsinfo stats; do
    # shellcheck disable=SC2086
    CRI_CONFIG_FILE=/dev/null "$client" -r "unix://$dir/berth.sock" $c >/dev/null 2>&1 || true
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
rm -f "$home/berthd.jsa" "$home/jdk.jsa" "$home/berthd.jsa.jdk"
run "-XX:DumpLoadedClassList=$home/berthd.classlist"
# The JDK's part of the list: its classes, the lambdas JDK code creates, the method-handle forms.
awk '/^#/ {next}
     /^@lambda-form-invoker/ {print; next}
     /^@lambda-proxy/ {if ($2 ~ /^(java|javax|jdk|sun|com\/sun)\//) print; next}
     $1 ~ /^jdk\/proxy/ {next}
     $1 ~ /^(java|javax|jdk|sun|com\/sun)\// {print}' "$home/berthd.classlist" >"$home/jdk.classlist"
"$JAVA" -Xshare:dump -XX:+UseSerialGC -XX:SharedClassListFile="$home/jdk.classlist" \
  -XX:SharedArchiveFile="$home/jdk.jsa" >"$home/jdk.jsa.log" 2>&1 \
  || { cat "$home/jdk.jsa.log" >&2; exit 1; }
run "-XX:SharedArchiveFile=$home/jdk.jsa -XX:ArchiveClassesAtExit=$home/berthd.jsa"
rm -f "$home/berthd.classlist" "$home/jdk.classlist" "$home/jdk.jsa.log"
[ -f "$home/berthd.jsa" ] || { echo "train-cds: no archive written" >&2; exit 1; }
# The launcher maps the archives only with the JDK they were trained with.
BERTH_HOME=$home BERTHD_CDS_STAMP=print "$launcher" >"$home/berthd.jsa.jdk"
