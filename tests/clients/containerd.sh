#!/bin/bash
# Starts and stops a private containerd for the client tests: its own root, state,
# sockets and config under DIR, the CRI plugin and the other unneeded plugins
# disabled, so that it never touches the host's /var/lib/containerd or
# /run/containerd/containerd.sock.
#   tests/clients/containerd.sh start DIR   -> DIR/containerd.sock, pid in DIR/containerd.pid
#   tests/clients/containerd.sh stop DIR    -> stops that pid (and only it), waits for it
# The log goes to DIR/containerd.log. Shims started by this instance are left to the
# caller (they belong to tasks; deleting the tasks stops them).
set -euo pipefail

cmd=${1:?usage: containerd.sh start|stop DIR}
dir=${2:?usage: containerd.sh start|stop DIR}
dir=$(realpath -m "$dir")
sock=$dir/containerd.sock
pidfile=$dir/containerd.pid

start() {
	command -v containerd >/dev/null || { echo "containerd.sh: containerd is not installed" >&2; exit 1; }
	mkdir -p "$dir/root" "$dir/state"
	cat >"$dir/config.toml" <<EOF
version = 2
root = "$dir/root"
state = "$dir/state"
# No CRI (no kubelet here), no tracing, no snapshotters that need extra setup.
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]

[grpc]
  address = "$sock"

[ttrpc]
  address = "$sock.ttrpc"

[debug]
  address = ""
  level = "info"

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
EOF
	# The shims inherit TMPDIR: their console sockets and process.json files then
	# stay in DIR too.
	mkdir -p "$dir/tmp"
	TMPDIR=$dir/tmp containerd --config "$dir/config.toml" </dev/null >>"$dir/containerd.log" 2>&1 &
	echo $! >"$pidfile"
	local n=200
	while [ $n -gt 0 ]; do
		if [ -S "$sock" ] && ctr -a "$sock" version >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$(cat "$pidfile")" 2>/dev/null || break
		sleep 0.05
		n=$((n - 1))
	done
	echo "containerd.sh: containerd did not come up; log:" >&2
	tail -n 30 "$dir/containerd.log" >&2
	stop
	exit 1
}

stop() {
	local pid n=100
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	# Only signal the pid if it still is the containerd we started.
	if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(command -v containerd)" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
			sleep 0.05
			n=$((n - 1))
		done
		if kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$pidfile"
}

case $cmd in
start) start ;;
stop) stop ;;
*) echo "usage: containerd.sh start|stop DIR" >&2; exit 2 ;;
esac
