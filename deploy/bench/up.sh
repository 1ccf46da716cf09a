#!/usr/bin/env bash
# Writes the configs (see env.sh) and starts berthd (launcher deploy/bin/berthd, BERTH_HOME=$BENCH_DIR/bin)
# and containerd 1.6 (CTRD_RUNTIME=crun|runc) side by side. deploy/bench/down.sh undoes everything.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
export BERTHD_LAUNCHER=${BERTHD_LAUNCHER:-$here/../bin/berthd}
mkdir -p /sys/fs/cgroup/hugetlb && { mountpoint -q /sys/fs/cgroup/hugetlb || mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb; }
bench_write_configs
[ -n "$(berth_pid)" ] && kill -0 "$(berth_pid)" 2>/dev/null || berth_start
[ -n "$(containerd_pid)" ] && kill -0 "$(containerd_pid)" 2>/dev/null || containerd_start
bench_log "berthd pid $(berth_pid) on $BERTH_EP; containerd pid $(containerd_pid) on $CTRD_EP ($CTRD_RUNTIME)"
