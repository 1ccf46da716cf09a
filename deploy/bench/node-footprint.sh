#!/usr/bin/env bash
# berthd's RSS through a node's life, on the bench config (images from $BENCH_REGISTRY): fresh (3 s after
# start); after 20 rounds of kubelet-like polls through crictl (pods, ps -a, images, imagefsinfo, stats);
# with one running pod and container; after that pod is removed; after a restart on the same root (images
# present). Also the wall time of the first pull and of the first pod (RunPodSandbox + CreateContainer +
# StartContainer) after the start.
#   deploy/bench/node-footprint.sh COPY        (COPY from deploy/bench/make-copy.sh; cleans up with bench_down)
# RSS is VmRSS/1024 (MiB).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
copy=$(cd "$1" && pwd)
export BERTHCTL_HOME=$copy/ctl
source "$here/env.sh"
export BERTHD_LAUNCHER=$copy/berthd BERTH_HOME=$copy
trap 'bench_down >/dev/null 2>&1 || true' EXIT
bench_down >/dev/null 2>&1 || true
rm -rf "$BENCH_DIR/berth"; bench_write_configs
# the JVM: berth_pid is the launcher's PID, which exec'd java
rss() { awk '/VmRSS/{printf "%.1f", $2/1024}' "/proc/$(berth_pid)/status"; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
berth_start; sleep 3; fresh=$(rss)
for _ in $(seq 1 20); do
  for c in pods "ps -a" images imagefsinfo stats; do
    # shellcheck disable=SC2086
    cri -r "$BERTH_EP" $c >/dev/null
  done
done
sleep 2; polled=$(rss)
image=$BENCH_REGISTRY/e2e-test-images/busybox:1.29-2
t0=$(date +%s%N); cri -r "$BERTH_EP" pull "$image" >/dev/null; t1=$(date +%s%N)
ctr_json=$(mktemp)
printf '{"metadata":{"name":"c"},"image":{"image":"%s"},"command":["sleep","3600"],"log_path":"c.log"}\n' "$image" >"$ctr_json"
t2=$(date +%s%N)
pod=$(cri -r "$BERTH_EP" runp "$here/pod-container-ns.json")
ctr=$(cri -r "$BERTH_EP" create "$pod" "$ctr_json" "$here/pod-container-ns.json")
cri -r "$BERTH_EP" start "$ctr" >/dev/null
t3=$(date +%s%N)
sleep 2; with_pod=$(rss)
cri -r "$BERTH_EP" stopp "$pod" >/dev/null; cri -r "$BERTH_EP" rmp "$pod" >/dev/null
sleep 3; after_pod=$(rss)
pid=$(berth_pid); kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
berth_start; sleep 3; restarted=$(rss)
rm -f "$ctr_json"
echo "$copy: fresh $fresh MB, after polls $polled MB, first pull $(ms "$t0" "$t1") ms, first pod $(ms "$t2" "$t3") ms," \
  "with the pod $with_pod MB, after it $after_pod MB, restarted with images $restarted MB"
