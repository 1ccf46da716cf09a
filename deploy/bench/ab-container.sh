#!/usr/bin/env bash
# Container lifecycle A/B of two berthd builds (each a copy of cri-server/target: berthd.jar + lib/),
# berthd restarted on the bench config before each round, rounds alternating the builds.
#   deploy/bench/ab-container.sh ROUNDS BUILD_A BUILD_B      (after deploy/bench/up.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
export BERTHD_LAUNCHER=${BERTHD_LAUNCHER:-$here/../bin/berthd}
rounds=$1; a=$2; b=$3
image=${BENCH_IMAGE:-$BENCH_REGISTRY/e2e-test-images/busybox:1.29-2}
for r in $(seq 1 "$rounds"); do
  for build in "$a" "$b"; do
    pid=$(berth_pid); [ -n "$pid" ] && kill "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    BERTH_HOME=$build berth_start
    berthctl -r "$BERTH_EP" pull "$image" >/dev/null
    echo "== round $r $build (load $(cut -d' ' -f1 /proc/loadavg))"
    berthctl -r "$BERTH_EP" bench container -n 60 -w 10 -c 1 --image "$image" \
      --pod-config "$here/pod-container-ns.json" | grep Container
  done
done
