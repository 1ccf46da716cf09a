#!/usr/bin/env bash
# Cold pull of one image from the loopback registry: berth and containerd 1.6 through the same client
# (berthctl bench image: PullImage then RemoveImage, so every pull starts from an empty store for that
# image), and skopeo copy to a fresh directory, alternating in each round. The daemon's VmRSS is
# sampled every 100 ms during its pull, and its CPU time (utime+stime) over the pull is recorded
# (for skopeo: the process's user+sys); on a loaded 2-core machine CPU time is the steadier number.
#   deploy/bench/image-pull.sh [ROUNDS] [REF]     (defaults 5, 127.0.0.1:5000/berth-bench/big:200m)
# Needs both daemons up (deploy/bench/up.sh) and the image pushed (deploy/bench/make-big-image.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
rounds=${1:-5}; ref=${2:-$BENCH_REGISTRY/berth-bench/big:200m}
out=$BENCH_DIR/results/pull-$(date +%Y%m%d-%H%M%S); mkdir -p "$out"
bench_machine > "$out/machine.txt"

sample_rss() { # pid file: VmRSS in kB every 100 ms until killed
  while kill -0 "$1" 2>/dev/null; do awk '/VmRSS/{print $2}' "/proc/$1/status" >> "$2" 2>/dev/null || true; sleep 0.1; done
}
cpu_ms() { awk -v t="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / t)}' "/proc/$1/stat"; }
store_bytes() { du -sb "$@" 2>/dev/null | awk '{s+=$1} END{print s+0}'; }

printf '| round | load | client | pull (s) | CPU (s) | daemon RSS before (MB) | peak during pull (MB) | store bytes before -> after pull |\n|---|---|---|---:|---:|---:|---:|---|\n' > "$out/table.md"
for r in $(seq 1 "$rounds"); do
  for name in berth containerd skopeo; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    case $name in
      berth|containerd)
        if [ "$name" = berth ]; then ep=$BERTH_EP; pid=$(berth_pid); store=("$BENCH_DIR/berth/root")
        else ep=$CTRD_EP; pid=$(containerd_pid); store=("$CTRD_DIR/root/io.containerd.content.v1.content" "$CTRD_DIR/root/io.containerd.snapshotter.v1.overlayfs"); fi
        berthctl -r "$ep" rmi "$ref" >/dev/null 2>&1 || true
        before=$(store_bytes "${store[@]}")
        rss0=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
        : > "$out/$name-$r.rss"
        sample_rss "$pid" "$out/$name-$r.rss" & sp=$!
        c0=$(cpu_ms "$pid")
        berthctl -r "$ep" bench image --image "$ref" -n 1 -w 0 --keep-images -o json > "$out/$name-$r.json"
        c1=$(cpu_ms "$pid")
        kill "$sp"; wait "$sp" 2>/dev/null || true
        after=$(store_bytes "${store[@]}")
        berthctl -r "$ep" rmi "$ref" >/dev/null
        secs=$(python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print('%.2f' % (j['phases']['PullImage']['p50Ms']/1000) if j['failed']==0 else 'FAILED')" "$out/$name-$r.json")
        peak=$(sort -n "$out/$name-$r.rss" | tail -1)
        printf '| %s | %s | %s | %s | %.2f | %.1f | %.1f | %s -> %s |\n' "$r" "$load" "$name" "$secs" "$(echo "($c1-$c0)/1000" | bc -l)" "$(echo "$rss0/1024" | bc -l)" "$(echo "${peak:-0}/1024" | bc -l)" "$before" "$after" >> "$out/table.md"
        ;;
      skopeo)
        d=$(mktemp -d /var/tmp/skopeo-pull.XXXXXX)
        t0=$(date +%s%N)
        TIMEFORMAT='%U %S'
        cpu=$( { time skopeo copy --src-tls-verify=false "docker://$ref" "dir:$d/x" >/dev/null 2>&1; } 2>&1 | awk '{print $1 + $2}')
        t1=$(date +%s%N)
        bytes=$(store_bytes "$d"); rm -rf "$d"
        printf '| %s | %s | skopeo copy to dir | %.2f | %s | - | - | 0 -> %s |\n' "$r" "$load" "$(echo "($t1-$t0)/1000000000" | bc -l)" "$cpu" "$bytes" >> "$out/table.md"
        ;;
    esac
    bench_log "round $r $name done (load $load)"
  done
done
cat "$out/machine.txt"; echo; cat "$out/table.md"
