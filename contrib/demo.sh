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
# Inside the container: hostname, pid, and the capability sets, raw and by name.
script='echo "hostname: $(hostname)"; echo "pid: $$"; grep ^Cap /proc/self/status
names="CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE
SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME
SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG
WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE"
eff=$((0x$(sed -n "s/^CapEff:\t//p" /proc/self/status))); i=0; out=
for n in $names; do [ $(((eff >> i) & 1)) = 1 ] && out="$out CAP_$n"; i=$((i + 1)); done
echo "effective capabilities:$out"'
jq --arg s "$script" '.process.terminal = false | .process.args = ["/bin/sh", "-c", $s] |
	.hostname = "strait-demo"' "$work/bundle/config.json" >"$work/config.json"
mv "$work/config.json" "$work/bundle/config.json"

mkdir -p "$work/state"
echo "+ strait run --bundle $work/bundle demo-$$"
"$strait" --root "$work/state" run --bundle "$work/bundle" "demo-$$"
