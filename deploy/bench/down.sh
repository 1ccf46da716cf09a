#!/usr/bin/env bash
# Removes every pod on both bench endpoints, stops berthd and containerd (by their recorded PIDs),
# deletes the bench bridges and unmounts whatever is left under $BENCH_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
bench_down
