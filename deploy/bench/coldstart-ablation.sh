#!/usr/bin/env bash
# What each of deploy/bin/berthd's flags buys: the launcher's full java command (copied here; keep in
# sync with deploy/bin/berthd) with the class-data archive, and the same with one flag (group) left out.
# Interleaved, RUNS rounds; time to first Version, CPU until then, idle RSS (deploy/bench/coldstart.sh).
#   deploy/bench/coldstart-ablation.sh [RUNS]      (default 3; needs $BENCH_DIR/cold/cds from coldstart-matrix.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
runs=${1:-3}
export CRI_CLIENT=${CRI_CLIENT:-$CRICTL}
home=$BENCH_DIR/cold/cds
[ -f "$home/berthd.jsa" ] || { echo "run coldstart-matrix.sh first (it trains $home/berthd.jsa)" >&2; exit 1; }
full=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1
  -XX:Tier3InvocationThreshold=1000 -XX:Tier3MinInvocationThreshold=500 -XX:Tier3CompileThreshold=5000
  -Xms8m -XX:NewSize=2m -Xmx512m -Xss512k -XX:-UsePerfData
  -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError
  -XX:SharedArchiveFile=$home/berthd.jsa -Xshare:auto -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0)
without() { # regex of flags to drop
  local f; for f in "${full[@]}"; do [[ $f =~ $1 ]] || printf '%s\n' "$f"; done
}
variants=("full" "no -Xms8m -XX:NewSize=2m" "no -Xss512k" "no ReservedCodeCacheSize"
  "MALLOC_ARENA_MAX=16" "G1 instead of SerialGC" "C2 allowed" "two C1 threads" "default C1 thresholds" "no ArchiveRelocationMode=0")
flags() {
  case $1 in
    "full"|"MALLOC_ARENA_MAX=16") without '^$' ;;
    "no -Xms8m -XX:NewSize=2m") without '^-Xms|NewSize' ;;
    "no -Xss512k") without '^-Xss' ;;
    "no ReservedCodeCacheSize") without 'ReservedCodeCacheSize' ;;
    "G1 instead of SerialGC") without 'UseSerialGC' ;;
    "C2 allowed") without 'TieredStopAtLevel|CICompilerCount|Tier3' ;;
    "two C1 threads") without 'CICompilerCount' ;;
    "default C1 thresholds") without 'Tier3' ;;
    "no ArchiveRelocationMode=0") without 'ArchiveRelocationMode|UnlockDiagnostic' ;;
  esac
}
out=$BENCH_DIR/results/ablation-$(date +%Y%m%d-%H%M%S); mkdir -p "$out"
for r in $(seq 1 "$runs"); do
  for v in "${variants[@]}"; do
    mapfile -t fl < <(flags "$v")
    arena=2; [ "$v" = "MALLOC_ARENA_MAX=16" ] && arena=16
    MALLOC_ARENA_MAX=$arena "$here/coldstart.sh" 1 java "${fl[@]}" -jar "$home/berthd.jar" | grep '^run:' \
      | sed "s/^/$v|/" | tee -a "$out/runs.txt" >&2
  done
done
bench_machine
printf '\n| launcher + archive, … | median time to first Version (ms) | median CPU (ms) | median idle RSS (MB) | load |\n|---|---:|---:|---:|---|\n'
for v in "${variants[@]}"; do
  grep -F "$v|run:" "$out/runs.txt" | python3 -c '
import sys, re, statistics
rows = [re.search(r"run: (\d+) ms .* cpu (\d+) ms, idle RSS (\d+) kB, load ([\d.]+)", l).groups() for l in sys.stdin]
md = lambda i, d=1: statistics.median(int(r[i]) / d for r in rows)
print(f"| {sys.argv[1]} | {md(0):.0f} | {md(1):.0f} | {md(2, 1024):.1f} | {min(r[3] for r in rows)}–{max(r[3] for r in rows)} |")
' "$v"
done
