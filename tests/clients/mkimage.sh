#!/bin/bash
# Builds a busybox container image as an OCI image layout tarball (an "oci-archive"),
# locally and without any network: one uncompressed layer made from the rootfs of
# tests/rootfs/build.sh, an image config, a manifest and index.json, all addressed by
# their sha256 digests. containerd (`ctr image import`) and podman (`podman load`)
# both read the result.
#   tests/clients/mkimage.sh ROOTFS_CACHE OUT.tar [NAME]
# ROOTFS_CACHE is the OUTDIR given to tests/rootfs/build.sh (it is (re)built there
# first, with --m32 like the bats helpers, so that the cache is shared). NAME is the
# image reference recorded in the index (default docker.io/strait/busybox:test).
# The output is cached next to OUT.tar (OUT.tar.stamp): it is rebuilt only when the
# rootfs changes.
set -euo pipefail

cache=${1:?usage: mkimage.sh ROOTFS_CACHE OUT.tar [NAME]}
out=${2:?usage: mkimage.sh ROOTFS_CACHE OUT.tar [NAME]}
name=${3:-docker.io/strait/busybox:test}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

"$here/../rootfs/build.sh" --m32 "$cache" >&2

mkdir -p "$(dirname "$out")"
exec 8>"$out.lock"
flock 8

stamp=$( (cat "$cache/stamp" "${BASH_SOURCE[0]}"; echo "$name") | sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ -f "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$stamp" ]; then
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/strait-mkimage.XXXXXX")
trap 'rm -rf "$work"' EXIT
blobs=$work/layout/blobs/sha256
mkdir -p "$blobs"

# put_blob FILE: moves FILE into the blob store; prints "DIGEST SIZE".
put_blob() {
	local d s
	d=$(sha256sum "$1" | cut -d' ' -f1)
	s=$(stat -c %s "$1")
	mv "$1" "$blobs/$d"
	echo "sha256:$d $s"
}

# The layer: a reproducible tar of the rootfs (sorted, fixed owner and mtime).
tar -C "$cache/rootfs" --sort=name --owner=0 --group=0 --numeric-owner \
	--mtime=@0 --format=gnu -cf "$work/layer" .
read -r layer_digest layer_size < <(put_blob "$work/layer")

case $(uname -m) in
x86_64) arch=amd64 ;;
aarch64) arch=arm64 ;;
*) arch=$(uname -m) ;;
esac

# The image config; the layer is uncompressed, so its diff_id is its digest.
jq -n --arg arch "$arch" --arg diff "$layer_digest" '{
	created: "1970-01-01T00:00:00Z",
	architecture: $arch,
	os: "linux",
	config: {
		Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
		Cmd: ["/bin/sh"],
		WorkingDir: "/"
	},
	rootfs: {type: "layers", diff_ids: [$diff]},
	history: [{created: "1970-01-01T00:00:00Z",
		   created_by: "tests/clients/mkimage.sh: busybox rootfs from tests/rootfs/build.sh"}]
}' >"$work/config"
read -r config_digest config_size < <(put_blob "$work/config")

jq -n --arg cd "$config_digest" --argjson cs "$config_size" \
	--arg ld "$layer_digest" --argjson ls "$layer_size" '{
	schemaVersion: 2,
	mediaType: "application/vnd.oci.image.manifest.v1+json",
	config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
	layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $ld, size: $ls}]
}' >"$work/manifest"
read -r manifest_digest manifest_size < <(put_blob "$work/manifest")

# index.json: containerd takes the full name from io.containerd.image.name, podman
# (and the OCI layout spec) from org.opencontainers.image.ref.name.
jq -n --arg md "$manifest_digest" --argjson ms "$manifest_size" --arg name "$name" \
	--arg arch "$arch" '{
	schemaVersion: 2,
	mediaType: "application/vnd.oci.image.index.v1+json",
	manifests: [{
		mediaType: "application/vnd.oci.image.manifest.v1+json",
		digest: $md, size: $ms,
		platform: {architecture: $arch, os: "linux"},
		annotations: {
			"io.containerd.image.name": $name,
			"org.opencontainers.image.ref.name": $name
		}
	}]
}' >"$work/layout/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$work/layout/oci-layout"

tar -C "$work/layout" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
	-cf "$out.new" oci-layout index.json blobs
mv "$out.new" "$out"
echo "$stamp" >"$out.stamp"
