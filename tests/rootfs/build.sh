#!/bin/bash
# Builds the busybox rootfs used by the integration tests and the benchmark, locally
# from Debian's busybox-static (nothing is downloaded), plus the static test probe.
#   tests/rootfs/build.sh OUTDIR          -> OUTDIR/rootfs, OUTDIR/probe
#   tests/rootfs/build.sh --m32 OUTDIR    -> also OUTDIR/probe32 and rootfs/bin/probe32
# The result is cached: OUTDIR/stamp holds a hash of the inputs and a rebuild happens
# only when they change. Concurrent callers are serialized with flock on OUTDIR.lock.
set -euo pipefail

m32=0
if [ "${1:-}" = "--m32" ]; then
	m32=1
	shift
fi
out=${1:?usage: build.sh [--m32] OUTDIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
probe_src=$here/../probe/probe.c
busybox=${BUSYBOX:-/bin/busybox}
CC=${CC:-gcc}

if ! file_out=$(LC_ALL=C file -L "$busybox" 2>/dev/null) || [[ $file_out != *static* ]]; then
	# `file` may be missing; fall back to checking for a dynamic loader.
	if LC_ALL=C ldd "$busybox" 2>&1 | grep -q '=>'; then
		echo "build.sh: $busybox is not statically linked (apt-get install busybox-static)" >&2
		exit 1
	fi
fi

mkdir -p "$out"
exec 9>"$out.lock"
flock 9

stamp=$( (cat "${BASH_SOURCE[0]}" "$probe_src"; sha256sum "$busybox"; echo "m32=$m32") |
	sha256sum | cut -d' ' -f1)
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ]; then
	exit 0
fi

rm -rf "$out/rootfs.new" "$out/rootfs" "$out/stamp"
r=$out/rootfs.new
mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,tmp,root,home,var,run,mnt,usr/bin,usr/sbin}
chmod 1777 "$r/tmp"
cp "$busybox" "$r/bin/busybox"
# One symlink per applet; --install -s needs /proc/self/exe of the copy, so list
# the applets and link them ourselves.
for applet in $("$busybox" --list-full); do
	[ -e "$r/$applet" ] || ln -s /bin/busybox "$r/$applet"
done
cat >"$r/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$r/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
tty:x:5:
users:x:100:
nogroup:x:65534:
EOF
echo "strait-test" >"$r/etc/hostname"
: >"$r/etc/hosts"
: >"$r/etc/resolv.conf"

$CC -static -O2 -Wall -Wextra -o "$out/probe" "$probe_src"
cp "$out/probe" "$r/bin/probe"
if [ $m32 = 1 ]; then
	$CC -m32 -static -O2 -Wall -Wextra -o "$out/probe32" "$probe_src"
	cp "$out/probe32" "$r/bin/probe32"
fi

mv "$r" "$out/rootfs"
echo "$stamp" >"$out/stamp"
