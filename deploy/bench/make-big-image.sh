#!/usr/bin/env bash
# Builds a ~200 MB, 8-layer image of random bytes (so gzip cannot shrink it) as an OCI layout with
# plain tar + gzip + sha256sum, and pushes it to the loopback registry with skopeo.
#   deploy/bench/make-big-image.sh [REF] [LAYERS] [MB_PER_LAYER]
# default REF 127.0.0.1:5000/berth-bench/big:200m, 8 layers of 25 MB.
set -euo pipefail
ref=${1:-127.0.0.1:5000/berth-bench/big:200m}; layers=${2:-8}; mb=${3:-25}
work=$(mktemp -d /var/tmp/big-image.XXXXXX); trap 'rm -rf "$work"' EXIT
oci=$work/oci; mkdir -p "$oci/blobs/sha256"
echo '{"imageLayoutVersion":"1.0.0"}' > "$oci/oci-layout"
blob() { # file -> moves it into the layout, prints its digest hex
  local h; h=$(sha256sum "$1" | cut -d' ' -f1); mv "$1" "$oci/blobs/sha256/$h"; echo "$h"
}
diffs=(); descs=()
for i in $(seq 1 "$layers"); do
  root=$work/layer$i; mkdir -p "$root/data"
  head -c $((mb * 1024 * 1024)) /dev/urandom > "$root/data/layer$i.bin"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 --sort=name -C "$root" -cf "$work/l.tar" .
  diffs+=("\"sha256:$(sha256sum "$work/l.tar" | cut -d' ' -f1)\"")
  gzip -1 -n -c "$work/l.tar" > "$work/l.tar.gz"; rm -rf "$work/l.tar" "$root"
  size=$(stat -c %s "$work/l.tar.gz"); h=$(blob "$work/l.tar.gz")
  descs+=("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$h\",\"size\":$size}")
done
join() { local IFS=,; echo "$*"; }
printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/data"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
  "$(join "${diffs[@]}")" > "$work/config.json"
csize=$(stat -c %s "$work/config.json"); ch=$(blob "$work/config.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
  "$ch" "$csize" "$(join "${descs[@]}")" > "$work/manifest.json"
msize=$(stat -c %s "$work/manifest.json"); mh=$(blob "$work/manifest.json")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"big"}}]}' \
  "$mh" "$msize" > "$oci/index.json"
skopeo copy --dest-tls-verify=false "oci:$oci:big" "docker://$ref" >&2
echo "$ref sha256:$mh $(du -sb "$oci/blobs" | cut -f1) bytes"
