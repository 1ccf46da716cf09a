#!/usr/bin/env bash
# Runs berth's whole test suite (unit + integration) on this host. Run as root: the integration
# tests create namespaces, mounts, veths and cgroups and run crun/runc, berth-monitor and conmon, CNI plugins and a
# docker-registry on 127.0.0.1 (all cleaned up afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/host-setup.sh test
exec mvn -B -ntp verify "$@"
