#!/usr/bin/env bash
# Cold start of berthd: milliseconds from exec to the first answered Version RPC, the CPU time the
# process used until then, and RSS once idle.
#   deploy/bench/coldstart.sh [RUNS] [BERTHD_COMMAND...]
# Defaults: 10 runs of the installed launcher (/usr/local/bin/berthd). Each run uses fresh temp
# socket/root/state dirs. The client polls every 5 ms; CRI_CLIENT picks it (default: crictl,
# a Go binary whose own start-up is ~15 ms; a JVM client would dominate the number).
# IDLE_SECONDS (default 2): how long after the first Version the RSS is read.
# Each run prints one line: "run: <ms> ms to first Version, cpu <ms> ms, idle RSS <kB> kB, load <1-min>".
set -euo pipefail
runs=${1:-10}; shift || true
[ $# -gt 0 ] || set -- /usr/local/bin/berthd
client=${CRI_CLIENT:-crictl}
command -v "$client" >/dev/null || { echo "coldstart: $client not found (set CRI_CLIENT)" >&2; exit 1; }
export CRI_CONFIG_FILE=/dev/null
tick=$(getconf CLK_TCK)
times=(); rsss=(); cpus=()
for _ in $(seq 1 "$runs"); do
  d=$(mktemp -d)
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s%N)
  "$@" --socket "$d/b.sock" --root "$d/root" --state-dir "$d/run" >"$d/log" 2>&1 &
  pid=$!
  until "$client" -r "unix://$d/b.sock" -t 1s version >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { cat "$d/log" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  # utime + stime of the whole process (all threads) when it first answered
  cpu=$(awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat")
  sleep "${IDLE_SECONDS:-2}"
  rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  rm -rf "$d"
  ms=$(( (t1 - t0) / 1000000 ))
  times+=("$ms"); rsss+=($((rss / 1024))); cpus+=("$cpu")
  echo "run: $ms ms to first Version, cpu $cpu ms, idle RSS ${rss} kB, load $load"
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "median: $(med "${times[@]}") ms to first Version; min $(echo "$sorted" | head -1) ms; max $(echo "$sorted" | tail -1) ms; median cpu $(med "${cpus[@]}") ms"
echo "median idle RSS: $(med "${rsss[@]}") MB"
