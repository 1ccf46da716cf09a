#!/usr/bin/env python3
"""Markdown tables from the JSON files deploy/bench/lifecycle.sh writes: for every scenario and phase,
the median over rounds of each run's p50 and p99 (nearest rank over COUNT iterations), per runtime,
and berth/containerd ratio of the p50s. Each run's load average (1 min) is listed too."""
import glob, json, os, re, statistics, sys

d = sys.argv[1]
runs = {}  # (name, scenario) -> list of (json, load)
for f in sorted(glob.glob(os.path.join(d, "*.json"))):
    m = re.match(r"(berth|containerd)-(.+)-(\d+)\.json$", os.path.basename(f))
    if not m:
        continue
    with open(f) as fh:
        j = json.load(fh)
    load = open(f[:-5] + ".load").read().strip() if os.path.exists(f[:-5] + ".load") else "?"
    runs.setdefault((m.group(1), m.group(2)), []).append((j, load))

print(open(os.path.join(d, "machine.txt")).read().strip().replace("\n", "  \n"))
for sc in sorted({s for _, s in runs}):
    b, c = runs.get(("berth", sc), []), runs.get(("containerd", sc), [])
    if not b and not c:
        continue
    ref = (b or c)[0][0]
    print(f"\n**{sc}** (count {ref['count']}, concurrency {ref['concurrency']}, rounds {max(len(b), len(c))}; "
          f"load per berth run {', '.join(l for _, l in b)}; per containerd run {', '.join(l for _, l in c)}; "
          f"failed iterations berth {sum(j['failed'] for j, _ in b)}, containerd {sum(j['failed'] for j, _ in c)})\n")
    print("| phase | berth p50 | berth p99 | containerd p50 | containerd p99 | berth/containerd p50 |")
    print("|---|---:|---:|---:|---:|---:|")
    for ph in ref["phases"]:
        def med(rs, k):
            v = [j["phases"][ph][k] for j, _ in rs if ph in j["phases"] and j["phases"][ph]["count"]]
            return statistics.median(v) if v else float("nan")
        bp50, bp99, cp50, cp99 = med(b, "p50Ms"), med(b, "p99Ms"), med(c, "p50Ms"), med(c, "p99Ms")
        ratio = bp50 / cp50 if cp50 == cp50 and cp50 else float("nan")
        print(f"| {ph} | {bp50:.1f} ms | {bp99:.1f} ms | {cp50:.1f} ms | {cp99:.1f} ms | {ratio:.2f} |")
