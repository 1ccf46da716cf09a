#!/usr/bin/env bash
# Memory per running single-container pod (busybox `sleep 3600`), berth vs containerd 1.6:
# growth of the daemon's RSS, plus RSS and PSS (/proc/<pid>/smaps_rollup) of every per-pod/per-container
# helper process: berth's monitor per container (berth-monitor, or conmon with monitor_path = "conmon")
# (and, for a pod sharing its PID namespace, the `unshare` process and the catatonit init it holds:
# every descendant of berthd except the workload);
# containerd's containerd-shim-runc-v2 per pod and the pause container it runs. The workload processes
# (sleep) are the same on both and not counted. Pods are made with crictl (Go), one `run` per pod.
#   deploy/bench/mem-per-pod.sh [N] [POD_CONFIG]      (defaults 20, deploy/bench/pod-container-ns.json)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
n=${1:-20}; podcfg=${2:-$here/pod-container-ns.json}
image=${BENCH_IMAGE:-$BENCH_REGISTRY/e2e-test-images/busybox:1.29-2}
work=$(mktemp -d /var/tmp/mem-per-pod.XXXXXX); trap 'rm -rf "$work"' EXIT
mkdir -p "$BENCH_DIR/logs"
cat > "$work/ctr.json" <<JSON
{"metadata": {"name": "sleeper"}, "image": {"image": "$image"}, "command": ["sleep", "3600"], "log_path": "sleeper.log"}
JSON
kb() { awk -v k="$2" '$1==k":" {print $2}' "/proc/$1/$3" 2>/dev/null || echo 0; }
descendants() { # pid: itself and all descendants
  echo "$1"; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do descendants "$c"; done
}
helpers() { # name: PIDs of per-pod helper processes (not the workload)
  local p
  if [ "$1" = berth ]; then
    # berthd is a child subreaper: the monitors and, for a pod sharing its PID namespace,
    # the `unshare` holding the pod's init (catatonit) are all its children
    roots=$(cat /proc/"$(berth_pid)"/task/*/children 2>/dev/null)
  else
    roots=$(for p in $(pgrep -f containerd-shim-runc-v2); do grep -qa -- "$CTRD_SOCK" /proc/$p/cmdline && echo "$p"; done)
  fi
  for r in $roots; do for p in $(descendants "$r"); do [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] || echo "$p"; done; done
}
sum_helpers() { # name -> "count rss_kB pss_kB"
  local c=0 rss=0 pss=0 p
  for p in $(helpers "$1"); do
    c=$((c + 1)); rss=$((rss + $(kb "$p" VmRSS status))); pss=$((pss + $(kb "$p" Pss smaps_rollup)))
  done
  echo "$c $rss $pss"
}
echo "pod config: $(basename "$podcfg"); N=$n"; bench_machine
printf '\n| runtime | load | daemon RSS idle (MB) | daemon RSS with %s pods (MB) | daemon growth / pod (MB) | helper processes | helpers RSS / pod (MB) | helpers PSS / pod (MB) | total RSS / pod (MB) | total (daemon growth + helper PSS) / pod (MB) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n' "$n"
for name in berth containerd; do
  ep=$BERTH_EP; pid=$(berth_pid); [ "$name" = containerd ] && { ep=$CTRD_EP; pid=$(containerd_pid); }
  bench_clear_pods "$ep"
  cri -r "$ep" pull "$image" >/dev/null
  # warm-up: one pod through the whole path, so the baseline includes code loaded on first use
  sed "s/\"name\": \"bench\"/\"name\": \"mem-warm\"/; s/\"uid\": \"bench-uid\"/\"uid\": \"mem-warm\"/" "$podcfg" > "$work/pod-w.json"
  cri -r "$ep" -t 30s run --no-pull "$work/ctr.json" "$work/pod-w.json" >/dev/null
  bench_clear_pods "$ep"; sleep 3
  base=$(kb "$pid" VmRSS status)
  for i in $(seq 1 "$n"); do
    sed "s/\"name\": \"bench\"/\"name\": \"mem-$i\"/; s/\"uid\": \"bench-uid\"/\"uid\": \"mem-$i\"/" "$podcfg" > "$work/pod-$i.json"
    cri -r "$ep" -t 30s run --no-pull "$work/ctr.json" "$work/pod-$i.json" >/dev/null
  done
  sleep 3
  running=$(cri -r "$ep" ps -q --state running | wc -l)
  [ "$running" -eq "$n" ] || echo "warning: $running of $n containers running on $name" >&2
  load=$(cut -d' ' -f1 /proc/loadavg)
  now=$(kb "$pid" VmRSS status)
  read -r hc hrss hpss <<<"$(sum_helpers "$name")"
  python3 - "$name" "$load" "$base" "$now" "$n" "$hc" "$hrss" "$hpss" <<'PY'
import sys
name, load, base, now, n, hc, hrss, hpss = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
mb = lambda k: k / 1024
g = (now - base) / n
print(f"| {name} | {load} | {mb(base):.1f} | {mb(now):.1f} | {mb(g):.2f} | {hc} | {mb(hrss/n):.2f} | {mb(hpss/n):.2f} | {mb(g + hrss/n):.2f} | {mb(g + hpss/n):.2f} |")
PY
  ps -o pid,rss,comm -p "$(helpers "$name" | head -3 | paste -sd, -)" >&2 || true
  bench_clear_pods "$ep"
done
