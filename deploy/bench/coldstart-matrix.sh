#!/usr/bin/env bash
# berthd cold start under several JVM set-ups, interleaved run by run so that all see the same load:
#   plain      java -jar berthd.jar (JDK defaults: G1, C1+C2, default CDS archive of the JDK only)
#   serialgc   java -XX:+UseSerialGC -jar
#   c1         java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar
#   launcher   deploy/bin/berthd without an archive (all its flags)
#   launcher+cds  deploy/bin/berthd with berthd.jsa trained as deploy/install.sh does
#   deploy/bench/coldstart-matrix.sh [RUNS]        (default 7)
# BERTH_JARS: dir with berthd.jar + lib/ (default $BENCH_DIR/bin). Uses deploy/bench/coldstart.sh per run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
runs=${1:-7}
jars=${BERTH_JARS:-$BERTH_HOME}
launcher=$here/../bin/berthd
export CRI_CLIENT=${CRI_CLIENT:-$CRICTL}
cold=$BENCH_DIR/cold; rm -rf "$cold"; mkdir -p "$cold/nocds" "$cold/cds"
for v in nocds cds; do cp "$jars/berthd.jar" "$cold/$v/"; cp -r "$jars/lib" "$cold/$v/lib"; done

# archives trained as deploy/install.sh does (deploy/train-cds.sh: kubelet's RPCs on an idle node)
bash "$here/../train-cds.sh" "$cold/cds" "$launcher" "$CRICTL"
[ -f "$cold/cds/berthd.jsa" ] || { echo "training wrote no archive" >&2; exit 1; }
ls -l "$cold/cds/"*.jsa >&2

variants=(plain serialgc c1 launcher launcher+cds)
cmd() {
  case $1 in
    plain)        echo "java -jar $cold/nocds/berthd.jar" ;;
    serialgc)     echo "java -XX:+UseSerialGC -jar $cold/nocds/berthd.jar" ;;
    c1)           echo "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar $cold/nocds/berthd.jar" ;;
    launcher)     echo "env BERTH_HOME=$cold/nocds $launcher" ;;
    launcher+cds) echo "env BERTH_HOME=$cold/cds $launcher" ;;
  esac
}
out=$BENCH_DIR/results/coldstart-$(date +%Y%m%d-%H%M%S); mkdir -p "$out"
bench_machine > "$out/machine.txt"
for r in $(seq 1 "$runs"); do
  for v in "${variants[@]}"; do
    # shellcheck disable=SC2046
    "$here/coldstart.sh" 1 $(cmd "$v") | grep '^run:' | sed "s/^/$v /" | tee -a "$out/runs.txt" >&2
  done
done
cat "$out/machine.txt"
printf '\n| variant | median time to first Version (ms) | min–max (ms) | median CPU until then (ms) | median idle RSS (MB) | load during runs |\n|---|---:|---:|---:|---:|---|\n'
for v in "${variants[@]}"; do
  grep "^$v run:" "$out/runs.txt" | python3 -c '
import sys, re, statistics
rows = [re.search(r"run: (\d+) ms .* cpu (\d+) ms, idle RSS (\d+) kB, load ([\d.]+)", l).groups() for l in sys.stdin]
t = sorted(int(r[0]) for r in rows); c = [int(r[1]) for r in rows]; m = [int(r[2]) / 1024 for r in rows]
loads = [float(r[3]) for r in rows]
print(f"| {sys.argv[1]} | {statistics.median(t):.0f} | {t[0]}–{t[-1]} | {statistics.median(c):.0f} | {statistics.median(m):.1f} | {min(loads)}–{max(loads)} |")
' "$v"
done
echo; echo "commands:"; for v in "${variants[@]}"; do echo "  $v: $(cmd "$v")"; done
