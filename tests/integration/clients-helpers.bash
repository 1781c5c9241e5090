# Shared setup for the real-client suites: clients-containerd.bats and
# clients-podman.bats (load with `load clients-helpers`). It builds on helpers.bash
# (RUNTIME, the busybox rootfs cache, the assertions) and adds:
#   - a short private temp dir per test file ($CLIENT_DIR; unix socket paths are short),
#   - a wrapper for the runtime under test that records every command line a client
#     passes ($CLIENT_DIR/argv.log) and then execs the real binary, so tests can check
#     that the client really drove strait, with which flags,
#   - the busybox OCI image archive (tests/clients/mkimage.sh),
#   - leftover checks for mounts, cgroups, processes and state dirs.
# The client binaries are optional: client_requires skips with a reason.

load helpers

CLIENTS_DIR=$TESTS_DIR/clients
# Upper bound for one client command (ctr, podman, script): a hang fails the test
# instead of stalling the suite. SIGKILL, since ctr forwards SIGTERM to the task.
CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-60}
CLIENT_IMAGE=docker.io/strait/busybox:test

# client_check CMD...: prints why the client tests cannot run (not root, a client
# program missing, the runtime not built); prints nothing when they can. bats 1.8
# cannot skip from setup_file, so setup_file exports the reason as CLIENTS_SKIP and
# client_skip_if_unavailable (from setup) skips each test with it.
client_check() {
	local c
	if [ "$(id -u)" != 0 ]; then
		echo "needs root"
		return 0
	fi
	for c in "$@"; do
		if ! command -v "$c" >/dev/null; then
			echo "$c is not installed (apt-get install containerd podman conmon)"
			return 0
		fi
	done
	[ -x "$RUNTIME" ] || echo "runtime $RUNTIME is not built"
	return 0
}

client_skip_if_unavailable() {
	[ -z "${CLIENTS_SKIP:-}" ] || skip "$CLIENTS_SKIP"
}

# tmo CMD...: CMD under the client timeout.
tmo() {
	timeout -s KILL "$CLIENT_TIMEOUT" "$@"
}

# client_setup_dir PREFIX: creates $CLIENT_DIR (exported), the runtime wrapper
# $CLIENT_RUNTIME (named like the runtime, podman keys its settings by that name) and
# the image archive $CLIENT_IMAGE_TAR.
client_setup_dir() {
	CLIENT_DIR=$(mktemp -d "/tmp/$1.XXXXXX")
	mkdir -p "$CLIENT_DIR/bin"
	CLIENT_RUNTIME=$CLIENT_DIR/bin/$RUNTIME_NAME
	cat >"$CLIENT_RUNTIME" <<EOF
#!/bin/sh
# Written by clients-helpers.bash: log the command line, then run the real runtime.
printf '%s\n' "\$*" >>'$CLIENT_DIR/argv.log'
exec '$RUNTIME' "\$@"
EOF
	chmod 755 "$CLIENT_RUNTIME"
	CLIENT_IMAGE_TAR=$TEST_CACHE/clients/busybox-oci.tar
	"$CLIENTS_DIR/mkimage.sh" "$TEST_CACHE" "$CLIENT_IMAGE_TAR" "$CLIENT_IMAGE" >&2
	# A marker in every container's environment, to find stray processes.
	CLIENT_MARK=clients-$$-$RANDOM
	export CLIENT_DIR CLIENT_RUNTIME CLIENT_IMAGE_TAR CLIENT_MARK
}

# argv_since_mark: the runtime command lines logged since the last argv_mark.
argv_mark() {
	ARGV_LINE=$({ wc -l <"$CLIENT_DIR/argv.log"; } 2>/dev/null || echo 0)
}
argv_since_mark() {
	tail -n +"$((${ARGV_LINE:-0} + 1))" "$CLIENT_DIR/argv.log" 2>/dev/null || true
}

# assert_argv PATTERN...: some logged command line (since argv_mark) matches each
# extended regex.
assert_argv() {
	local log p
	log=$(argv_since_mark)
	for p in "$@"; do
		grep -qE -- "$p" <<<"$log" || fail "no runtime call matching /$p/ in:
$log"
	done
}

# mark_env ID: the marker variable for one container.
mark_env() {
	echo "STRAIT_TEST_MARK=$CLIENT_MARK.$1"
}

# pids_of_mark ID: live processes whose environment carries the marker of ID
# (or of any container of this file with ID "*").
pids_of_mark() {
	local opt=-x want
	if [ "$1" = "*" ]; then
		opt='' want="STRAIT_TEST_MARK=$CLIENT_MARK."
	else
		want=$(mark_env "$1")
	fi
	# environ is NUL-separated: -z makes each variable a line (-x: the whole one).
	grep -lsFz $opt -- "$want" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 | grep -vx "$$" || true
}

# cgroup_dirs NAME: cgroup directories called NAME on any hierarchy (v1 and v2).
cgroup_dirs() {
	find /sys/fs/cgroup -mindepth 1 -type d -name "$1" 2>/dev/null || true
}

# mounts_under DIR: mount points at or below DIR.
mounts_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo
}

# pids_cmdline_has STRING: processes whose command line (arguments joined by
# spaces) contains STRING.
pids_cmdline_has() {
	pgrep -f -- "$(sed 's/[]\/$*.^[]/\\&/g' <<<"$1")" || true
}

# wait_gone CMD...: retries CMD (which prints leftovers) for up to 5 s until its
# output is empty; prints the last output.
wait_gone() {
	local out n=100
	while out=$("$@") && [ -n "$out" ] && [ $n -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	echo "$out"
}

# kill_pids PID...: SIGKILL for processes a test left behind (only ever pids found
# through this file's marker or private paths).
kill_pids() {
	local p
	for p in "$@"; do
		kill -9 "$p" 2>/dev/null || true
	done
}

# quote_cmd ARG...: the arguments as one shell command line.
quote_cmd() {
	local a out=
	for a in "$@"; do
		out+="$(printf '%q' "$a") "
	done
	echo "${out% }"
}

# in_tty CMD: runs the shell command line CMD on a fresh pty of 30 rows and 100
# columns (script(1)); prints what the pty showed, with CRs removed. Status: CMD's.
in_tty() {
	local rc=0 out
	out=$(SHELL=/bin/bash tmo script -qefc "stty rows 30 cols 100; $1" /dev/null </dev/null) || rc=$?
	printf '%s\n' "$out" | tr -d '\r' | tr -d '\0'
	return $rc
}
