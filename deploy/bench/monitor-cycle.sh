#!/bin/bash
# Start-up and exit cost of a per-container monitor without crun: N times, the monitor runs a
# stand-in runtime (starts `sleep`, writes its pid file), answers on the sync pipe, its "container"
# is SIGKILLed, and it writes the exit file. Compare berth-monitor and conmon:
#   time deploy/bench/monitor-cycle.sh runtime-bridge/target/native/berth-monitor 100
#   time deploy/bench/monitor-cycle.sh /usr/bin/conmon 100
set -euo pipefail
bin=$(realpath "$1"); n=${2:-100}
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/b" "$w/exits" "$w/s"
cat > "$w/rt" <<'RT'
#!/bin/sh
while [ $# -gt 0 ]; do case "$1" in --pid-file) pf=$2; shift;; esac; shift; done
sleep 1000 & echo $! > "$pf"
RT
chmod +x "$w/rt"
for _ in $(seq 1 "$n"); do
  rm -f "$w/b/pidfile" "$w/exits/c1" "$w/b/exit"
  _OCI_SYNCPIPE=3 "$bin" --api-version -b "$w/b" -c c1 -u c1 -n n -r "$w/rt" -p "$w/b/pidfile" -0 "$w/b" \
    -l "k8s-file:$w/c1.log" --exit-dir "$w/exits" --socket-dir-path "$w/s" --log-level info --sync \
    3>&1 >/dev/null 2>>"$w/monitor.err" </dev/null | head -c 20 >/dev/null &
  mp=$!
  while [ ! -s "$w/b/pidfile" ]; do :; done
  sleep 0.01
  kill -KILL "$(cat "$w/b/pidfile")"
  wait "$mp" || true  # the monitor exits with the container's code
  while [ ! -e "$w/exits/c1" ]; do :; done
done
