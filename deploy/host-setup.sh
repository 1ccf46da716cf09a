#!/usr/bin/env bash
# Prepares a Debian 12 host for berth, idempotently. Run as root.
#   host-setup.sh runtime   what berthd needs to run pods (OCI runtimes, CNI plugins, Java)
#   host-setup.sh build     runtime + what building berth needs (JDK, Maven, gcc and libc6-dev for berth-monitor)
#   host-setup.sh test      build + what the integration tests need (registry, skopeo, openssl, ...)
set -euo pipefail
what=${1:-runtime}

log() { printf 'host-setup: %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || { log "must run as root"; exit 1; }

# The per-container monitor is berth's own berth-monitor (built from source, installed by install.sh).
runtime_pkgs=(crun runc containernetworking-plugins iptables catatonit util-linux iproute2 openjdk-17-jre-headless)
# gcc, libc6-dev: berth-monitor is C, linked statically against glibc (runtime-bridge's compile phase).
build_pkgs=(openjdk-17-jdk-headless maven gcc libc6-dev)
# docker-registry: the real OCI registry the tests push to; apache2-utils: htpasswd for its auth tests;
# busybox/libc6 are fetched as .debs by the tests (apt-get download), which needs fresh apt lists.
# conmon: the alternative monitor (monitor_path = "conmon"), which the tests keep working.
test_pkgs=(conmon docker-registry skopeo umoci openssl apache2-utils dpkg-dev ca-certificates procps psmisc kmod iputils-ping containerd)

pkgs=("${runtime_pkgs[@]}")
case "$what" in
  runtime) ;;
  build) pkgs+=("${build_pkgs[@]}") ;;
  test) pkgs+=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) log "usage: host-setup.sh runtime|build|test"; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The tests 'apt-get download' Debian's busybox and libc6: that needs package lists.
lists_empty=$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' 2>/dev/null | head -n1)
if [ ${#missing[@]} -gt 0 ] || [ -z "$lists_empty" ]; then
  log "apt-get update"
  apt-get update -q >/dev/null
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  # Debian's docker-registry package starts its own registry on :5000 from its postinst;
  # a policy-rc.d that says 101 keeps services from starting. Ours is removed afterwards.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
  fi
  rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
  if [ $own_policy = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  if [ $rc != 0 ]; then log "apt-get install failed ($rc)"; exit $rc; fi
  if [ -d /run/systemd/system ] && systemctl is-enabled docker-registry >/dev/null 2>&1; then
    systemctl disable --now docker-registry >/dev/null 2>&1 || true
  fi
fi

# crun 1.8 refuses hybrid cgroup hosts while cgroup2 still owns a controller (Debian: hugetlb).
# Mounting that controller as a v1 hierarchy takes it away from cgroup2. Not persistent across boots.
unified=/sys/fs/cgroup/unified/cgroup.controllers
if [ -f "$unified" ] && [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
  for c in $(cat "$unified"); do
    if ! mountpoint -q "/sys/fs/cgroup/$c"; then
      log "mounting cgroup v1 controller $c (crun cannot run on hybrid hosts otherwise)"
      mkdir -p "/sys/fs/cgroup/$c"
      mount -t cgroup -o "$c" cgroup "/sys/fs/cgroup/$c"
    fi
  done
fi

# CNI plugins: Debian puts them in /usr/lib/cni; berth searches /opt/cni/bin then /usr/lib/cni.
[ -x /usr/lib/cni/bridge ] || [ -x /opt/cni/bin/bridge ] || { log "CNI plugins missing"; exit 1; }
log "host ready for: $what"
