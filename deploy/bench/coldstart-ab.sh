#!/usr/bin/env bash
# Cold start of several berthd copies (deploy/bench/make-copy.sh), interleaved start by start so that all
# see the same load: median time to first Version, CPU until then, idle RSS (deploy/bench/coldstart.sh).
#   deploy/bench/coldstart-ab.sh ROUNDS COPY...
# RSS is VmRSS/1024 ("MB" here and in docs/benchmarks.md is MiB).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
export CRI_CLIENT=${CRI_CLIENT:-$CRICTL}
rounds=$1; shift
out=$(mktemp)
for _ in $(seq 1 "$rounds"); do
  for c in "$@"; do
    BERTH_HOME=$c "$here/coldstart.sh" 1 "$c/berthd" | grep '^run:' | sed "s#^#$c #" | tee -a "$out" >&2
  done
done
python3 - "$out" "$@" <<'PY'
import re, statistics, sys
rows = open(sys.argv[1]).read().splitlines()
print("| copy | median time to first Version (ms) | min (ms) | median CPU (ms) | median idle RSS (MB) | min–max RSS | load |")
print("|---|---:|---:|---:|---:|---|---|")
for c in sys.argv[2:]:
    rs = [re.search(r"run: (\d+) ms .* cpu (\d+) ms, idle RSS (\d+) kB, load ([\d.]+)", l).groups()
          for l in rows if l.split(" ", 1)[0] == c]
    t = [int(r[0]) for r in rs]; cpu = [int(r[1]) for r in rs]; m = [int(r[2]) / 1024 for r in rs]
    loads = [float(r[3]) for r in rs]
    print(f"| {c} | {statistics.median(t):.0f} | {min(t)} | {statistics.median(cpu):.0f} | "
          f"{statistics.median(m):.1f} | {min(m):.1f}–{max(m):.1f} | {min(loads)}–{max(loads)} |")
PY
rm -f "$out"
