#!/usr/bin/env python3
"""The CNI floor of a pod: what RunPodSandbox/StopPodSandbox cannot go below with the bench conflist.
Times, per pod, `ip netns add` + CNI ADD of loopback, bridge (+host-local) and portmap (chained with
prevResult, as libcni does), and CNI DEL in reverse order + `ip netns del`, executing Debian's plugins
directly. Both berth and containerd run these same plugin executions per pod.
  deploy/bench/cni-floor.py [COUNT]     (default 50; bridge fbench0, 10.233.0.0/16, under $BENCH_DIR/cni-floor)
"""
import json, os, statistics, subprocess, sys, time

count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
base = os.path.join(os.environ.get("BENCH_DIR", "/var/tmp/berth-bench"), "cni-floor")
os.makedirs(base, exist_ok=True)
cni_path = "/usr/lib/cni"
net = {"cniVersion": "1.0.0", "name": "floor-bench", "plugins": [
    {"type": "bridge", "bridge": "fbench0", "isGateway": True, "ipMasq": False, "hairpinMode": True,
     "ipam": {"type": "host-local", "dataDir": os.path.join(base, "ipam"),
              "ranges": [[{"subnet": "10.233.0.0/16"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": True}}]}
lo = {"cniVersion": "1.0.0", "name": "cni-loopback", "type": "loopback"}


def run(plugin, cmd, cid, netns, ifname, prev=None, name=None):
    conf = dict(plugin)
    conf.setdefault("cniVersion", "1.0.0")
    conf["name"] = name or plugin.get("name")
    conf.pop("capabilities", None)
    if prev is not None:
        conf["prevResult"] = prev
    env = {"CNI_COMMAND": cmd, "CNI_CONTAINERID": cid, "CNI_NETNS": netns, "CNI_IFNAME": ifname,
           "CNI_PATH": cni_path, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    p = subprocess.run([os.path.join(cni_path, plugin["type"])], input=json.dumps(conf).encode(), env=env,
                       capture_output=True)
    if p.returncode != 0:
        raise SystemExit(f"{plugin['type']} {cmd}: {p.stdout.decode()} {p.stderr.decode()}")
    return json.loads(p.stdout) if p.stdout.strip() else None


adds, dels = [], []
try:
    for i in range(count + 3):
        cid = f"cnifloor{i:04d}"; ns = f"cnifloor-{os.getpid()}-{i}"; path = f"/var/run/netns/{ns}"
        t0 = time.perf_counter()
        subprocess.run(["ip", "netns", "add", ns], check=True)
        run(lo, "ADD", cid, path, "lo")
        prev = None
        for pl in net["plugins"]:
            prev = run(pl, "ADD", cid, path, "eth0", prev, net["name"])
        t1 = time.perf_counter()
        for pl in reversed(net["plugins"]):
            run(pl, "DEL", cid, path, "eth0", prev, net["name"])
        run(lo, "DEL", cid, path, "lo")
        subprocess.run(["ip", "netns", "del", ns], check=True)
        t2 = time.perf_counter()
        if i >= 3:
            adds.append((t1 - t0) * 1000); dels.append((t2 - t1) * 1000)
finally:
    subprocess.run(["ip", "link", "del", "fbench0"], capture_output=True)


def pct(v, q):
    s = sorted(v); return s[max(0, int(-(-q * len(s) // 100)) - 1)]


load = open("/proc/loadavg").read().split()[0]
print(f"| CNI floor (netns + loopback/bridge/portmap) | count {count} | load {load} |")
print(f"| ADD (≈ RunPodSandbox floor) | p50 {statistics.median(adds):.1f} ms | p99 {pct(adds, 99):.1f} ms |")
print(f"| DEL (≈ StopPodSandbox floor) | p50 {statistics.median(dels):.1f} ms | p99 {pct(dels, 99):.1f} ms |")
