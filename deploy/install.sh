#!/usr/bin/env bash
# Builds berth from this checkout, installs it under $PREFIX (default /usr/local) and starts berthd
# with its embedded defaults (socket /run/berth/berth.sock). Safe to run again: it replaces the
# installed build and restarts berthd; running containers keep running (their monitors hold them).
# Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
LIB=$PREFIX/lib/berth
LIBEXEC=$PREFIX/libexec/berth
LOG_DIR=/var/log/berth
PID_FILE=/run/berth/berthd.pid
SOCKET=/run/berth/berth.sock

log() { printf 'install: %s\n' "$*" >&2; }

bash deploy/host-setup.sh build

log "building (mvn package)"
mvn -B -ntp -q package -DskipTests

log "installing into $LIB"
rm -rf "$LIB.new" && mkdir -p "$LIB.new/berthctl"
cp cri-server/target/berthd.jar "$LIB.new/"
cp -r cri-server/target/lib "$LIB.new/lib"
cp crictl-compat/target/berthctl.jar "$LIB.new/berthctl/"
cp -r crictl-compat/target/lib "$LIB.new/berthctl/lib"
rm -rf "$LIB.old"; [ -d "$LIB" ] && mv "$LIB" "$LIB.old"
mv "$LIB.new" "$LIB" && rm -rf "$LIB.old"
# The per-container monitor (built by runtime-bridge's compile phase). Replaced through a rename:
# running monitors keep the old binary, new containers get the new one.
install -D -m 0755 runtime-bridge/target/native/berth-monitor "$LIBEXEC/berth-monitor.new"
mv -f "$LIBEXEC/berth-monitor.new" "$LIBEXEC/berth-monitor"
install -D -m 0755 deploy/bin/berthd "$PREFIX/bin/berthd"
sed -i "s#^BERTH_HOME=.*#BERTH_HOME=\${BERTH_HOME:-$LIB}#" "$PREFIX/bin/berthd"
sed -i "s#^BERTH_LIBEXEC=.*#BERTH_LIBEXEC=\${BERTH_LIBEXEC:-$LIBEXEC}#" "$PREFIX/bin/berthd"
# berthctl's launcher finds its jar (and archive) next to itself, through the symlink.
install -m 0755 crictl-compat/src/main/scripts/berthctl "$LIB/berthctl/berthctl"
ln -sfn "$LIB/berthctl/berthctl" "$PREFIX/bin/berthctl"

# Class-data sharing: training runs record the classes berthd and berthctl load; later starts map
# them instead of parsing and verifying jars (see docs/benchmarks.md). berthctl's archive holds its
# everyday commands, trained against a berthd that is not recording; berthd's archives hold only
# what it needs on an idle node (deploy/train-cds.sh says why).
# A failed training leaves berth working without an archive (slower start, more memory), so it
# does not stop the install half-way.
log "training class-data-sharing archives"
train=$(mktemp -d)
"$PREFIX/bin/berthd" --socket "$train/berth.sock" --root "$train/root" --state-dir "$train/run" >"$train/log" 2>&1 &
tpid=$!
trap 'kill -TERM "$tpid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -S "$train/berth.sock" ] && break; sleep 0.1; done
"$PREFIX/bin/berthctl" --train-cds "unix://$train/berth.sock" >/dev/null \
  || log "berthctl's archive training failed; berthctl runs without it"
kill -TERM "$tpid" 2>/dev/null || true
wait "$tpid" 2>/dev/null || true
trap - EXIT
rm -rf "$train"
bash deploy/train-cds.sh "$LIB" "$PREFIX/bin/berthd" "$PREFIX/bin/berthctl" \
  || log "berthd's archive training failed; berthd runs without its archives"

# Stop the berthd we started before (never anything else), then start the new one.
if [ -f "$PID_FILE" ]; then
  old=$(cat "$PID_FILE")
  if [ -n "$old" ] && grep -q berthd "/proc/$old/cmdline" 2>/dev/null; then
    log "stopping berthd (pid $old)"
    kill -TERM "$old" || true
    for _ in $(seq 1 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
  fi
fi

if [ -d /run/systemd/system ]; then
  install -m 0644 deploy/berthd.service /etc/systemd/system/berthd.service
  sed -i "s#/usr/local/bin/berthd#$PREFIX/bin/berthd#" /etc/systemd/system/berthd.service
  systemctl daemon-reload
  systemctl enable --now berthd.service
  systemctl restart berthd.service
else
  # No systemd (containers, minimal VMs): run detached, log to a file, remember the PID.
  mkdir -p "$LOG_DIR" /run/berth
  setsid nohup "$PREFIX/bin/berthd" >>"$LOG_DIR/berthd.log" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
fi

for _ in $(seq 1 100); do [ -S "$SOCKET" ] && break; sleep 0.1; done
if ! "$PREFIX/bin/berthctl" -r "unix://$SOCKET" version; then
  log "berthd did not answer; see $LOG_DIR/berthd.log or journalctl -u berthd"
  exit 1
fi
log "berthd is serving unix://$SOCKET (kubelet: --container-runtime-endpoint unix://$SOCKET)"
