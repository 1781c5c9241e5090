#!/bin/bash
# Demo: builds a busybox bundle locally (no download), writes its config with
# `strait spec`, and runs one container that shows its hostname, that it is pid 1,
# and its capability sets. Needs root.
#   contrib/demo.sh [PATH-TO-STRAIT]      (default: build/strait)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
strait=${1:-$top/build/strait}
work=$(mktemp -d "${TMPDIR:-/tmp}/strait-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$top/tests/rootfs/build.sh" "$work/cache"
mkdir "$work/bundle"
cp -a "$work/cache/rootfs" "$work/bundle/rootfs"
"$strait" spec --bundle "$work/bundle"
script='echo "hostname: $(hostname)"; echo "pid: $$"; grep ^Cap /proc/self/status'
jq --arg s "$script" '.process.terminal = false | .process.args = ["/bin/sh", "-c", $s] |
	.hostname = "strait-demo"' "$work/bundle/config.json" >"$work/config.json"
mv "$work/config.json" "$work/bundle/config.json"

echo "+ strait run --bundle $work/bundle demo-$$"
"$strait" --root "$work/state" run --bundle "$work/bundle" "demo-$$"
