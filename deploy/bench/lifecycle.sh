#!/usr/bin/env bash
# Pod and container lifecycle latency, berth vs containerd 1.6, measured by the same client
# (berthctl bench) in the same run. Rounds alternate the endpoints so both see the same background load.
#   deploy/bench/lifecycle.sh [ROUNDS] [COUNT] [CONCURRENCY]     (defaults 3, 50, 4)
# RUNTIME_HANDLER=runc runs the pods on the runc handler of both (both configs define crun and runc);
# POD_CONFIG picks the pod template (pod-pod-ns.json: a shared pod PID namespace).
# Needs both daemons up (deploy/bench/up.sh). Writes JSON per run under $BENCH_DIR/results/lifecycle-<time>/
# and prints a markdown summary (deploy/bench/summarize.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
rounds=${1:-3}; count=${2:-50}; conc=${3:-4}
image=${BENCH_IMAGE:-$BENCH_REGISTRY/e2e-test-images/busybox:1.29-2}
podcfg=${POD_CONFIG:-$here/pod-container-ns.json}
out=$BENCH_DIR/results/lifecycle-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out" "$BENCH_DIR/logs"
bench_machine > "$out/machine.txt"
echo "handler=${RUNTIME_HANDLER:-crun (default)} pod config=$(basename "$podcfg")" >> "$out/machine.txt"
for ep in "$BERTH_EP" "$CTRD_EP"; do berthctl -r "$ep" pull "$image" >/dev/null; done
for r in $(seq 1 "$rounds"); do
  for name in berth containerd; do
    ep=$BERTH_EP; [ "$name" = containerd ] && ep=$CTRD_EP
    for sc in pod-serial pod-concurrent container; do
      case $sc in
        pod-serial)     args=(pod -n "$count" -w 3 -c 1) ;;
        pod-concurrent) args=(pod -n "$count" -w 3 -c "$conc") ;;
        container)      args=(container -n "$count" -w 3 -c 1 --image "$image") ;;
      esac
      load=$(cut -d' ' -f1 /proc/loadavg)
      bench_log "round $r $name $sc (load $load)"
      berthctl -r "$ep" bench "${args[@]}" ${RUNTIME_HANDLER:+--runtime "$RUNTIME_HANDLER"} --pod-config "$podcfg" -o json > "$out/$name-$sc-$r.json" || bench_log "failures, see $out/$name-$sc-$r.json"
      echo "$load" > "$out/$name-$sc-$r.load"
    done
  done
done
python3 "$here/summarize.py" "$out"
