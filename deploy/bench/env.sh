# Shared by the deploy/bench scripts: one berthd and one containerd 1.6 side by side, each with its own
# socket/root/state under $BENCH_DIR, the same CNI conflist (bridge + host-local + portmap, ipMasq false)
# except for the bridge name and subnet, and both pulling from the registry on 127.0.0.1:5000.
#   source deploy/bench/env.sh; bench_write_configs; berth_start; containerd_start; ...; bench_down
# BERTH_HOME: dir with berthd.jar + lib/ (a COPY of cri-server/target, so a rebuild cannot kill the JVM)
# BERTHCTL_HOME: dir with berthctl.jar + lib/ + the berthctl launcher.
BENCH_DIR=${BENCH_DIR:-/var/tmp/berth-bench}
BERTH_HOME=${BERTH_HOME:-$BENCH_DIR/bin}
BERTHCTL_HOME=${BERTHCTL_HOME:-$BENCH_DIR/ctl}
BENCH_REGISTRY=${BENCH_REGISTRY:-127.0.0.1:5000}
CTRD_RUNTIME=${CTRD_RUNTIME:-crun}          # default runtime of containerd's CRI plugin: crun | runc
BERTH_SOCK=$BENCH_DIR/berth/berth.sock
CTRD_DIR=$BENCH_DIR/containerd
CTRD_SOCK=$CTRD_DIR/containerd.sock
BERTH_EP=unix://$BERTH_SOCK
CTRD_EP=unix://$CTRD_SOCK
export BERTHCTL_HOME

berthctl() { "$BERTHCTL_HOME/berthctl" "$@"; }

bench_log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# machine facts for the report
bench_machine() {
  echo "nproc=$(nproc) mem=$(free -m | awk '/Mem:/{print $2}')MB kernel=$(uname -r) load=\"$(cut -d' ' -f1-3 /proc/loadavg)\""
  echo "containerd=$(containerd --version | awk '{print $3}') crun=$(crun --version | awk 'NR==1{print $3}')" \
       "runc=$(runc --version | awk 'NR==1{print $3}') conmon=$(conmon --version | awk 'NR==1{print $3}')" \
       "cni-plugins=$(dpkg-query -W -f '${Version}' containernetworking-plugins) java=$(java -version 2>&1 | awk -F'"' 'NR==1{print $2}')"
}

bench_conflist() { # name bridge subnet dataDir
  cat <<JSON
{
  "cniVersion": "1.0.0",
  "name": "$1",
  "plugins": [
    {"type": "bridge", "bridge": "$2", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$4", "ranges": [[{"subnet": "$3"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
}

bench_write_configs() {
  mkdir -p "$BENCH_DIR/berth/cni" "$CTRD_DIR/cni" "$CTRD_DIR/certs.d/$BENCH_REGISTRY"
  bench_conflist berth-bench bbench0 10.231.0.0/16 "$BENCH_DIR/berth/ipam" > "$BENCH_DIR/berth/cni/10-bench.conflist"
  bench_conflist ctrd-bench cbench0 10.232.0.0/16 "$CTRD_DIR/ipam" > "$CTRD_DIR/cni/10-bench.conflist"
  cat > "$BENCH_DIR/berth/berth.toml" <<TOML
socket = "$BERTH_SOCK"
root_dir = "$BENCH_DIR/berth/root"
state_dir = "$BENCH_DIR/berth/run"
sandbox_image = "$BENCH_REGISTRY/pause:3.10"
[runtime]
default_handler = "crun"
[cni]
conf_dir = "$BENCH_DIR/berth/cni"
bin_dirs = ["/usr/lib/cni"]
[registry.hosts."registry.k8s.io"]
mirrors = ["http://$BENCH_REGISTRY"]
TOML
  cat > "$CTRD_DIR/certs.d/$BENCH_REGISTRY/hosts.toml" <<TOML
server = "http://$BENCH_REGISTRY"
[host."http://$BENCH_REGISTRY"]
  capabilities = ["pull", "resolve"]
TOML
  cat > "$CTRD_DIR/config.toml" <<TOML
version = 2
root = "$CTRD_DIR/root"
state = "$CTRD_DIR/state"
[grpc]
  address = "$CTRD_SOCK"
[ttrpc]
  address = "$CTRD_SOCK.ttrpc"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$BENCH_REGISTRY/pause:3.10"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "$CTRD_RUNTIME"
    snapshotter = "overlayfs"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.crun]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.crun.options]
        BinaryName = "/usr/bin/crun"
        SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CTRD_DIR/cni"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$CTRD_DIR/certs.d"
TOML
}

bench_wait_sock() { # sock pid
  for _ in $(seq 1 300); do
    [ -S "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# berthd through the launcher (deploy/bin/berthd), logs to $BENCH_DIR/berth/berthd.log, PID in berth/pid
berth_start() {
  mountpoint -q /sys/fs/cgroup/hugetlb || { echo "mount hugetlb v1 first (HOST-NOTES)" >&2; return 1; }
  BERTH_HOME=$BERTH_HOME setsid "${BERTHD_LAUNCHER:-$BENCH_DIR/src/deploy/bin/berthd}" \
    --config "$BENCH_DIR/berth/berth.toml" >>"$BENCH_DIR/berth/berthd.log" 2>&1 </dev/null &
  echo $! > "$BENCH_DIR/berth/pid"
  bench_wait_sock "$BERTH_SOCK" "$!" || { tail -20 "$BENCH_DIR/berth/berthd.log" >&2; return 1; }
  berthctl -r "$BERTH_EP" version >/dev/null
}

containerd_start() {
  [ ! -S /run/containerd/containerd.sock ] || { echo "a containerd serves the default socket; not ours" >&2; return 1; }
  setsid containerd --config "$CTRD_DIR/config.toml" >>"$CTRD_DIR/containerd.log" 2>&1 </dev/null &
  echo $! > "$CTRD_DIR/pid"
  bench_wait_sock "$CTRD_SOCK" "$!" || { tail -20 "$CTRD_DIR/containerd.log" >&2; return 1; }
  for _ in $(seq 1 50); do berthctl -r "$CTRD_EP" version >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

bench_pid() { cat "$1/pid" 2>/dev/null; }
berth_pid() { bench_pid "$BENCH_DIR/berth"; }
containerd_pid() { bench_pid "$CTRD_DIR"; }

# remove every pod on an endpoint (containers go with their pods)
# crictl (a Go binary, /opt/cri-tools/crictl here) when there is one: a JVM per call is slow for bulk work
CRICTL=${CRICTL:-$(command -v crictl || echo /opt/cri-tools/crictl)}
cri() { CRI_CONFIG_FILE=/dev/null "$CRICTL" "$@"; }
bench_clear_pods() { # endpoint
  local ids
  ids=$(cri -r "$1" pods -q 2>/dev/null || true)
  [ -n "$ids" ] || return 0
  cri -r "$1" -t 30s stopp $ids >/dev/null 2>&1 || true
  cri -r "$1" -t 30s rmp -f $ids >/dev/null 2>&1 || true
}

bench_stop_pid() { # pid
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1"
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

# Stop both daemons (pods first), delete our bridges and whatever is mounted under $BENCH_DIR.
bench_down() {
  [ -S "$BERTH_SOCK" ] && bench_clear_pods "$BERTH_EP"
  [ -S "$CTRD_SOCK" ] && bench_clear_pods "$CTRD_EP"
  bench_stop_pid "$(berth_pid)"; rm -f "$BENCH_DIR/berth/pid"
  bench_stop_pid "$(containerd_pid)"; rm -f "$CTRD_DIR/pid"
  # shims of pods we could not remove
  for p in $(pgrep -f "containerd-shim-runc-v2 -namespace k8s.io -address $CTRD_SOCK" || true); do kill -KILL "$p" 2>/dev/null || true; done
  for br in bbench0 cbench0; do ip link show "$br" >/dev/null 2>&1 && ip link del "$br"; done
  awk -v d="$BENCH_DIR" '$5 ~ "^"d {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  # containerd 1.6 puts shim sockets under /run/containerd/s and runc's state under /run/containerd/runc
  # whatever its config says, and its CRI pods in the k8s.io cgroup: remove them if empty (never if in use)
  rmdir /run/containerd/runc/k8s.io /run/containerd/runc /run/containerd/s /run/containerd 2>/dev/null || true
  for c in /sys/fs/cgroup/*/k8s.io; do [ -d "$c" ] && [ ! -s "$c/cgroup.procs" ] && rmdir "$c" 2>/dev/null; done
  true
}
