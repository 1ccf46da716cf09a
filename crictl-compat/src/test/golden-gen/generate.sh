#!/usr/bin/env bash
# Regenerates berthctl's golden files (src/test/resources/golden) with crictl's own Go libraries.
# Needs Go (Debian's golang-go 1.19 is enough) and a cri-tools git checkout for the vendored go-units
# and go-yaml v2 (default: the mirror used while writing berthctl; pass another as $1).
# Only the *.out / *.yaml / *.out.json files are written; the inputs next to them are hand-written.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
golden=$(cd "$here/../resources/golden" && pwd)
CRI_TOOLS_GIT=${1:-/work/.mirror/kubernetes-sigs+cri-tools/repo}
REF=${CRI_TOOLS_REF:-v1.32.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/units" "$work/yaml"
for f in duration.go size.go; do
  git -C "$CRI_TOOLS_GIT" show "$REF:vendor/github.com/docker/go-units/$f" > "$work/units/$f"
done
for f in apic.go decode.go emitterc.go encode.go parserc.go readerc.go resolve.go scannerc.go sorter.go \
         writerc.go yaml.go yamlh.go yamlprivateh.go; do
  git -C "$CRI_TOOLS_GIT" show "$REF:vendor/sigs.k8s.io/yaml/goyaml.v2/$f" > "$work/yaml/$f"
done
cp "$here/main.go" "$work/main.go"
printf 'module goldengen\n\ngo 1.19\n' > "$work/go.mod"
(cd "$work" && GOFLAGS=-mod=mod GOPROXY=off go run . "$golden")
echo "golden files written under $golden"
