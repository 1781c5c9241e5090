#!/usr/bin/env bats
# The runtime under containerd: a private containerd (own root, state, sockets under a
# temp dir, no CRI) runs the locally built busybox image through `ctr run --runtime
# io.containerd.runc.v2 --runc-binary WRAPPER`, so the real runc v2 shim drives the
# runtime exactly as in a Kubernetes node. Every container carries a marker in its
# environment; each test checks that delete left no state dir, cgroup, mount or
# process, and the last test checks the whole file.

load clients-helpers

# containerd 1.6's default capability set for `ctr run` (oci.populateDefaultUnixSpec):
# the numbers of CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
# NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP.
CTD_DEFAULT_CAPS=(0 1 3 4 5 6 7 8 10 13 18 27 29 31)

setup_file() {
	CLIENTS_SKIP=$(client_check containerd ctr containerd-shim-runc-v2 script)
	export CLIENTS_SKIP
	[ -z "$CLIENTS_SKIP" ] || return 0
	build_rootfs
	client_setup_dir strait-ctd
	CTD_DIR=$CLIENT_DIR/ctd
	CTD_SOCK=$CTD_DIR/containerd.sock
	CTD_NS=strait-clients
	CTD_RUNC_ROOT=$CLIENT_DIR/runc-root
	export CTD_DIR CTD_SOCK CTD_NS CTD_RUNC_ROOT
	# containerd's fixed paths under /run/containerd (shim sockets): remember what
	# existed, so that teardown_file only removes what this file created.
	ls -A /run/containerd/s 2>/dev/null >"$CLIENT_DIR/shim-sockets.before" || true
	[ -d /run/containerd ] || touch "$CLIENT_DIR/created-run-containerd"
	"$CLIENTS_DIR/containerd.sh" start "$CTD_DIR"
	tmo ctr -a "$CTD_SOCK" -n "$CTD_NS" image import "$CLIENT_IMAGE_TAR" >&2
}

teardown_file() {
	if [ -z "${CLIENT_DIR:-}" ] || [ ! -d "$CLIENT_DIR" ]; then
		return 0 # setup_file skipped or failed early
	fi
	ctd_purge >/dev/null 2>&1 || true
	"$CLIENTS_DIR/containerd.sh" stop "$CTD_DIR" || true
	# Shims of this containerd, if any survived (found by its private socket path).
	kill_pids $(pids_cmdline_has "-address $CTD_SOCK")
	mounts_under "$CLIENT_DIR" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
	# The namespace's parent cgroups (the runtime only removes the container's own).
	find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d -name "$CTD_NS" -exec rmdir {} \; 2>/dev/null
	local s
	for s in $(ls -A /run/containerd/s 2>/dev/null); do
		grep -qxF "$s" "$CLIENT_DIR/shim-sockets.before" || rm -f "/run/containerd/s/$s"
	done
	if [ -e "$CLIENT_DIR/created-run-containerd" ]; then
		rmdir /run/containerd/s /run/containerd/fifo /run/containerd 2>/dev/null || true
	fi
	rm -rf "$CLIENT_DIR"
}

setup() {
	client_skip_if_unavailable
	CID=ctd$BATS_TEST_NUMBER-${CLIENT_MARK##*-}
	echo "$CID" >>"$CLIENT_DIR/ids"
	argv_mark
}

teardown() {
	local left
	[ -z "${CLIENTS_SKIP:-}" ] || return 0
	left=$(ctd_purge)
	[ -z "$left" ] || fail "the test left containers in containerd: $left"
}

# ---- helpers ----

# ctr_ ARGS...: ctr against the private containerd, in the test namespace.
ctr_() {
	tmo ctr -a "$CTD_SOCK" -n "$CTD_NS" "$@"
}

# ctd_run [CTR-RUN-FLAG...] -- ID CMD...: `ctr run` of the test image through the
# runc v2 shim and the runtime wrapper. stdin comes from $CTD_STDIN (default
# /dev/null).
ctd_run() {
	local opts=() id
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	id=$1
	shift
	ctr_ run "${opts[@]}" $(ctd_run_flags "$id") "$CLIENT_IMAGE" "$id" "$@" <"${CTD_STDIN:-/dev/null}"
}

# ctd_run_flags ID: the flags that select the runtime under test (word-split safe:
# the temp dir has no spaces).
ctd_run_flags() {
	echo --runtime io.containerd.runc.v2 --runc-binary "$CLIENT_RUNTIME" \
		--runc-root "$CTD_RUNC_ROOT" --fifo-dir "$CLIENT_DIR/fifo" --env "$(mark_env "$1")"
}

# ctd_exec [FLAG...] ID CMD...: `ctr task exec`, FIFOs in the private dir.
ctd_exec() {
	ctr_ task exec --fifo-dir "$CLIENT_DIR/fifo" "$@" </dev/null
}

# ctd_cmdline ARGS...: a shell command line running `ctr ARGS...` (for script(1)).
# timeout --foreground keeps ctr in the terminal's foreground process group: in a
# background group its terminal setup is held back and the task's window size is
# not set in time.
ctd_cmdline() {
	quote_cmd timeout --foreground -s KILL "$CLIENT_TIMEOUT" ctr -a "$CTD_SOCK" -n "$CTD_NS" "$@"
}

# ctd_start ID [CTR-RUN-FLAG...] -- CMD...: a detached task (`ctr run -d`, stdio
# to /dev/null); fails the test on error.
ctd_start() {
	local id=$1 opts=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	run --separate-stderr ctd_run -d --null-io "${opts[@]}" -- "$id" "$@"
	[ "$status" = 0 ] || fail "ctr run -d $id failed ($status): $output $stderr"
	wait_task "$id" RUNNING
}

# task_status ID: RUNNING, PAUSED, STOPPED... as `ctr task ls` shows it.
task_status() {
	ctr_ task ls | awk -v id="$1" '$1 == id {print $3}'
}

# task_pid ID: the host pid of the task's init.
task_pid() {
	ctr_ task ls | awk -v id="$1" '$1 == id {print $2}'
}

# wait_task ID STATUS [SECONDS]: waits (default 10 s) for the task status. A deadline,
# not a count: `ctr task ls` itself takes seconds when a shim hangs.
wait_task() {
	local end=$((SECONDS + ${3:-10})) st=
	while :; do
		st=$(task_status "$1")
		[ "$st" = "$2" ] && return 0
		[ $SECONDS -lt $end ] || break
		sleep 0.05
	done
	fail "task $1: status '$st', wanted '$2'"
}

# ctd_rm ID: stops (SIGKILL to all) and deletes the task and the container. A shim
# stuck in a runtime call is stopped by pid, with the runtime processes it started
# (both found through this containerd's private socket path), and the runtime's
# state is then removed with delete --force.
ctd_rm() {
	local id=$1 st shim
	st=$(CLIENT_TIMEOUT=10 task_status "$id")
	if [ -n "$st" ]; then
		[ "$st" = STOPPED ] ||
			CLIENT_TIMEOUT=10 ctr_ task kill --all -s KILL "$id" >/dev/null 2>&1 || true
		wait_task "$id" STOPPED 5 >/dev/null 2>&1 || true
		CLIENT_TIMEOUT=10 ctr_ task rm -f "$id" >/dev/null 2>&1 || true
	fi
	shim=$(pids_cmdline_has "-id $id -address $CTD_SOCK")
	if [ -n "$shim" ]; then
		kill_pids $(pgrep -P "$(tr '\n' , <<<"$shim" | sed 's/,$//')") $shim
		"$RUNTIME" --root "$CTD_RUNC_ROOT/$CTD_NS" delete --force "$id" >/dev/null 2>&1 || true
	fi
	CLIENT_TIMEOUT=10 ctr_ container rm "$id" >/dev/null 2>&1 || true
}

# ctd_purge: removes every container still known to the private containerd, and
# runtime state the shim could not clean; prints the IDs it had to remove.
ctd_purge() {
	local id d
	for id in $(ctr_ container ls -q 2>/dev/null); do
		ctd_rm "$id"
		echo "$id"
	done
	for d in "$CTD_RUNC_ROOT/$CTD_NS"/*/; do
		[ -d "$d" ] || continue
		id=$(basename "$d")
		[[ $id != @* ]] || continue # the runtime's caches
		"$RUNTIME" --root "$CTD_RUNC_ROOT/$CTD_NS" delete --force "$id" >/dev/null 2>&1 || true
		echo "runtime state $id"
	done
	kill_pids $(pids_of_mark "*")
}

# ctd_leftovers ID...: one line per thing left behind by these containers.
ctd_leftovers() {
	local id task=$CTD_DIR/state/io.containerd.runtime.v2.task/$CTD_NS p
	for id in "$@"; do
		[ -e "$CTD_RUNC_ROOT/$CTD_NS/$id" ] && echo "runtime state dir $CTD_RUNC_ROOT/$CTD_NS/$id"
		[ -e "$task/$id" ] && echo "shim bundle dir $task/$id"
		cgroup_dirs "$id" | sed 's/^/cgroup /'
		mounts_under "$task/$id" | sed 's/^/mount /'
		for p in $(pids_of_mark "$id"); do
			echo "process $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
		done
		for p in $(pids_cmdline_has "-id $id -address $CTD_SOCK"); do
			echo "shim process $p"
		done
	done
	return 0
}

# ctd_assert_clean ID...: nothing is left behind for these containers.
ctd_assert_clean() {
	local left
	left=$(wait_gone ctd_leftovers "$@")
	[ -z "$left" ] || fail "left behind: $left"
}

# runtime_state ID FIELD: a field of the runtime's own `state` for the container.
runtime_state() {
	"$RUNTIME" --root "$CTD_RUNC_ROOT/$CTD_NS" state "$1" | jq -r ".$2"
}

# cap_mask NUMBER...: the capability bit mask, as /proc/PID/status prints it.
cap_mask() {
	local m=0 c
	for c in "$@"; do
		m=$((m | (1 << c)))
	done
	printf '%016x\n' "$m"
}

# cap_line OUTPUT NAME: the value of one Cap* line of /proc/self/status output.
cap_line() {
	awk -v k="$2:" '$1 == k {print $2}' <<<"$1"
}

# ---- tests ----

@test "ctr run: exit code and output through the runc v2 shim" {
	run --separate-stderr ctd_run --rm -- "$CID" sh -c 'echo hello; echo oops >&2; exit 3'
	assert_eq "$status" 3 "stderr: $stderr"
	assert_eq "$output" "hello"
	assert_contains "$stderr" "oops"
	# The shim's calling convention: global --root/--log/--log-format json, then
	# create --bundle --pid-file, start, delete.
	local root="$CTD_RUNC_ROOT/$CTD_NS"
	assert_argv "^--root $root --log [^ ]+/log\.json --log-format json create --bundle [^ ]+ --pid-file [^ ]+ $CID\$" \
		"^--root $root --log [^ ]+ --log-format json start $CID\$" \
		"^--root $root --log [^ ]+ --log-format json delete( --force)? $CID\$"
	ctd_assert_clean "$CID"
}

@test "ctr run: a runtime error reaches ctr through the --log file" {
	run --separate-stderr ctd_run --rm -- "$CID" /no/such/binary
	[ "$status" -ne 0 ] || fail "expected failure, got: $output"
	# The shim reads the error from the --log file; without it the message would be
	# "unable to retrieve OCI runtime error".
	assert_contains "$stderr" "OCI runtime create failed" "/no/such/binary"
	assert_not_contains "$stderr" "unable to retrieve OCI runtime error"
	if is_strait; then
		assert_contains "$stderr" "process.args[0]"
	fi
	ctd_assert_clean "$CID"
}

@test "ctr run: stdin reaches the process" {
	printf 'line-from-stdin\n' >"$BATS_TEST_TMPDIR/in"
	CTD_STDIN=$BATS_TEST_TMPDIR/in run --separate-stderr ctd_run --rm -- "$CID" \
		sh -c 'read l; echo "got:$l"'
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$output" "got:line-from-stdin"
	ctd_assert_clean "$CID"
}

@test "ctr run: env, cwd and the image's config" {
	run --separate-stderr ctd_run --rm --env FOO=bar --cwd /tmp -- "$CID" \
		sh -c 'echo "FOO=$FOO"; pwd; echo "PATH=$PATH"; id -u'
	assert_eq "$status" 0 "stderr: $stderr"
	assert_has_line "$output" "FOO=bar"
	assert_has_line "$output" "/tmp"
	# PATH comes from the image config written by mkimage.sh.
	assert_has_line "$output" "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	assert_has_line "$output" "0"
	ctd_assert_clean "$CID"
}

@test "ctr run --read-only: the rootfs is read-only" {
	run --separate-stderr ctd_run --rm --read-only -- "$CID" \
		sh -c 'touch /newfile 2>&1; echo "touch=$?"; awk "\$2 == \"/\" {print \$4}" /proc/mounts'
	assert_eq "$status" 0 "stderr: $stderr"
	assert_contains "$output" "Read-only file system"
	assert_has_line "$output" "touch=1"
	[[ $(tail -n1 <<<"$output") == ro* ]] || fail "/ is not mounted ro: $output"
	ctd_assert_clean "$CID"
}

@test "ctr run --mount: read-write and read-only bind mounts" {
	local rw=$BATS_TEST_TMPDIR/rw ro=$BATS_TEST_TMPDIR/ro
	mkdir -p "$rw" "$ro"
	echo from-host >"$ro/file"
	run --separate-stderr ctd_run --rm \
		--mount "type=bind,src=$rw,dst=/data/rw,options=rbind:rw" \
		--mount "type=bind,src=$ro,dst=/data/ro,options=rbind:ro" -- "$CID" \
		sh -c 'echo from-container >/data/rw/out; cat /data/ro/file; touch /data/ro/x 2>&1; echo "ro=$?"'
	assert_eq "$status" 0 "stderr: $stderr"
	assert_has_line "$output" "from-host"
	assert_contains "$output" "Read-only file system"
	assert_has_line "$output" "ro=1"
	assert_eq "$(cat "$rw/out")" from-container
	[ ! -e "$ro/x" ] || fail "wrote through a read-only bind mount"
	ctd_assert_clean "$CID"
}

@test "ctr run: default capabilities, --cap-add and --cap-drop" {
	local want
	run --separate-stderr ctd_run --rm -- "$CID" sh -c 'grep ^Cap /proc/self/status; hostname h2 2>&1; true'
	assert_eq "$status" 0 "stderr: $stderr"
	want=$(cap_mask "${CTD_DEFAULT_CAPS[@]}")
	assert_eq "$(cap_line "$output" CapEff)" "$want" "CapEff"
	assert_eq "$(cap_line "$output" CapPrm)" "$want" "CapPrm"
	assert_eq "$(cap_line "$output" CapBnd)" "$want" "CapBnd"
	assert_eq "$(cap_line "$output" CapInh)" 0000000000000000 "CapInh"
	assert_eq "$(cap_line "$output" CapAmb)" 0000000000000000 "CapAmb"
	# Without CAP_SYS_ADMIN, sethostname fails.
	assert_contains "$output" "Operation not permitted"

	run --separate-stderr ctd_run --rm --cap-add CAP_SYS_ADMIN --cap-drop CAP_CHOWN -- "$CID" \
		sh -c 'grep ^CapEff /proc/self/status; hostname h2 && hostname; touch /tmp/f; chown 1 /tmp/f 2>&1; echo "chown=$?"'
	assert_eq "$status" 0 "stderr: $stderr"
	want=$(cap_mask $(printf '%s\n' "${CTD_DEFAULT_CAPS[@]}" 21 | grep -vx 0))
	assert_eq "$(cap_line "$output" CapEff)" "$want" "CapEff with SYS_ADMIN, without CHOWN"
	assert_has_line "$output" "h2"
	assert_has_line "$output" "chown=1"
	ctd_assert_clean "$CID"
}

@test "ctr run --seccomp-profile: a profile denying mkdir gives EPERM inside" {
	# ctr reads an OCI linux.seccomp object from the file.
	cat >"$BATS_TEST_TMPDIR/no-mkdir.json" <<'EOF'
{
	"defaultAction": "SCMP_ACT_ALLOW",
	"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	"syscalls": [
		{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}
	]
}
EOF
	run --separate-stderr ctd_run --rm --seccomp --seccomp-profile "$BATS_TEST_TMPDIR/no-mkdir.json" \
		-- "$CID" sh -c 'mkdir /tmp/d 2>&1; echo "mkdir=$?"; touch /tmp/f && echo touch=0; grep ^Seccomp: /proc/self/status'
	assert_eq "$status" 0 "stderr: $stderr"
	assert_contains "$output" "Operation not permitted"
	assert_has_line "$output" "mkdir=1"
	assert_has_line "$output" "touch=0"
	assert_contains "$output" "Seccomp:	2"
	ctd_assert_clean "$CID"
}

@test "ctr run --seccomp: containerd's default profile loads" {
	run --separate-stderr ctd_run --rm --seccomp -- "$CID" \
		sh -c 'grep ^Seccomp: /proc/self/status; mkdir /tmp/d && echo mkdir=0'
	assert_eq "$status" 0 "stderr: $stderr"
	assert_contains "$output" "Seccomp:	2"
	assert_has_line "$output" "mkdir=0"
	ctd_assert_clean "$CID"
}

@test "ctr run: cgroup limits (--memory-limit, --cpus) on the cgroupfs path" {
	requires cgroup_v1
	# The cgroup mount is the one CRI adds (ctr does not mount cgroupfs by default).
	ctd_start "$CID" --memory-limit 67108864 --cpus 0.5 \
		--mount type=cgroup,src=cgroup,dst=/sys/fs/cgroup,options=nosuid:noexec:nodev:relatime:ro \
		-- sleep 1000
	# ctr's default cgroupsPath is /<namespace>/<id>.
	local cg=$CTD_NS/$CID
	assert_eq "$(cat "/sys/fs/cgroup/memory/$cg/memory.limit_in_bytes")" 67108864
	assert_eq "$(cat "/sys/fs/cgroup/cpu/$cg/cpu.cfs_quota_us")" 50000
	assert_eq "$(cat "/sys/fs/cgroup/cpu/$cg/cpu.cfs_period_us")" 100000
	grep -qx "$(task_pid "$CID")" "/sys/fs/cgroup/memory/$cg/cgroup.procs" ||
		fail "init is not in /sys/fs/cgroup/memory/$cg"
	# Inside, the container's own memory cgroup is mounted at /sys/fs/cgroup/memory.
	run --separate-stderr ctd_exec --exec-id lim "$CID" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$output" 67108864
	ctd_rm "$CID"
	ctd_assert_clean "$CID"
}

@test "ctr run -d + task ps: the container's processes" {
	ctd_start "$CID" -- sh -c 'sleep 1000 & sleep 1000 & wait'
	local init pids want n=100
	init=$(task_pid "$CID")
	# Wait for the two children.
	while [ "$(wc -l <"/sys/fs/cgroup/pids/$CTD_NS/$CID/cgroup.procs" 2>/dev/null || echo 0)" -lt 3 ] &&
		[ $n -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	run --separate-stderr ctr_ task ps "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	pids=$(awk 'NR > 1 {print $1}' <<<"$output" | sort -n)
	want=$(pids_of_mark "$CID" | sort -n)
	assert_eq "$pids" "$want" "task ps vs. the marked processes"
	assert_has_line "$pids" "$init"
	assert_eq "$(wc -l <<<"$pids")" 3
	assert_argv "ps --format json $CID\$"
	ctd_rm "$CID"
	ctd_assert_clean "$CID"
}

@test "ctr task exec: output, exit code, user, cwd and env" {
	ctd_start "$CID" -- sleep 1000
	run --separate-stderr ctd_exec --exec-id e1 "$CID" sh -c 'echo in-exec; echo "$STRAIT_TEST_MARK"'
	assert_eq "$status" 0 "stderr: $stderr"
	assert_has_line "$output" "in-exec"
	assert_has_line "$output" "$CLIENT_MARK.$CID"
	run --separate-stderr ctd_exec --exec-id e2 "$CID" sh -c 'exit 5'
	assert_eq "$status" 5 "stderr: $stderr"
	run --separate-stderr ctd_exec --exec-id e3 --user 1 --cwd /tmp "$CID" sh -c 'id; pwd'
	assert_eq "$status" 0 "stderr: $stderr"
	assert_has_line "$output" "uid=1(daemon) gid=1(daemon) groups=1(daemon)"
	assert_has_line "$output" "/tmp"
	# The exec'd process joins the container's pid namespace: it sees init as pid 1.
	run --separate-stderr ctd_exec --exec-id e4 "$CID" sh -c "tr '\\0' ' ' </proc/1/cmdline"
	assert_eq "$output" "sleep 1000 "
	assert_argv "exec --process [^ ]+ --detach --pid-file [^ ]+e1\.pid $CID\$"
	ctd_rm "$CID"
	ctd_assert_clean "$CID"
}

@test "ctr task pause / resume: freezer, state and exec refused while paused" {
	ctd_start "$CID" -- sleep 1000
	run --separate-stderr ctr_ task pause "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$(task_status "$CID")" PAUSED
	assert_eq "$(runtime_state "$CID" status)" paused
	if [ -d /sys/fs/cgroup/freezer ]; then
		assert_eq "$(cat "/sys/fs/cgroup/freezer/$CTD_NS/$CID/freezer.state")" FROZEN
	fi
	run --separate-stderr ctd_exec --exec-id p1 "$CID" true
	[ "$status" -ne 0 ] || fail "exec into a paused container succeeded"
	run --separate-stderr ctr_ task resume "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$(task_status "$CID")" RUNNING
	assert_eq "$(runtime_state "$CID" status)" running
	if [ -d /sys/fs/cgroup/freezer ]; then
		assert_eq "$(cat "/sys/fs/cgroup/freezer/$CTD_NS/$CID/freezer.state")" THAWED
	fi
	run --separate-stderr ctd_exec --exec-id p2 "$CID" echo alive
	assert_eq "$output" alive
	assert_argv "pause $CID\$" "resume $CID\$"
	ctd_rm "$CID"
	ctd_assert_clean "$CID"
}

@test "ctr task rm -f of a paused task: killed, deleted, nothing left" {
	ctd_start "$CID" -- sh -c 'sleep 1000 & sleep 1000 & wait'
	run --separate-stderr ctr_ task pause "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$(task_status "$CID")" PAUSED
	run --separate-stderr ctr_ task rm -f "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$(wait_gone pids_of_mark "$CID")" "" "processes after task rm -f"
	run --separate-stderr ctr_ container rm "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	ctd_assert_clean "$CID"
}

@test "ctr task metrics: memory, cpu and pids from the container's cgroups" {
	ctd_start "$CID" --memory-limit 33554432 -- sh -c 'sleep 1000 & sleep 1000 & wait'
	local n=100
	while [ "$(pids_of_mark "$CID" | wc -l)" -lt 3 ] && [ $n -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	run --separate-stderr ctr_ task metrics --format json "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$(jq -r '.pids.current' <<<"$output")" 3 "pids.current"
	assert_eq "$(jq -r '.memory.usage.limit' <<<"$output")" 33554432 "memory.usage.limit"
	[ "$(jq -r '.memory.usage.usage' <<<"$output")" -gt 0 ] || fail "no memory usage: $output"
	[ "$(jq -r '.cpu.usage.total' <<<"$output")" -gt 0 ] || fail "no cpu usage: $output"
	ctd_rm "$CID"
	ctd_assert_clean "$CID"
}

@test "ctr task kill --all: every process dies, exec'd ones too" {
	# init ignores SIGTERM and has children; a second process comes in by exec.
	ctd_start "$CID" -- sh -c 'trap "" TERM; sleep 1000 & sleep 1000 & wait; wait'
	run --separate-stderr ctd_exec -d --exec-id extra "$CID" sleep 1001
	assert_eq "$status" 0 "stderr: $stderr"
	local n=100
	while [ "$(pids_of_mark "$CID" | wc -l)" -lt 4 ] && [ $n -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	assert_eq "$(pids_of_mark "$CID" | wc -l)" 4
	run --separate-stderr ctr_ task kill --all -s KILL "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	wait_task "$CID" STOPPED
	assert_eq "$(wait_gone pids_of_mark "$CID")" "" "processes after kill --all"
	assert_argv "kill --all $CID 9\$"
	run --separate-stderr ctr_ task rm "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	ctr_ container rm "$CID"
	ctd_assert_clean "$CID"
}

@test "ctr task kill: SIGTERM to init; the runtime then reports stopped; delete cleans up" {
	# pid 1 of a pid namespace only gets signals it has a handler for.
	ctd_start "$CID" -- sh -c 'trap "exit 0" TERM; sleep 1000 & wait'
	run --separate-stderr ctr_ task kill "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	wait_task "$CID" STOPPED
	assert_argv "kill $CID 15\$"
	# The shim has not deleted it yet: the runtime's own state says stopped.
	assert_eq "$(runtime_state "$CID" status)" stopped
	run --separate-stderr ctr_ task rm "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	run --separate-stderr ctr_ container rm "$CID"
	assert_eq "$status" 0 "stderr: $stderr"
	ctd_assert_clean "$CID"
}

@test "ctr run -t: a terminal of the client's size, through --console-socket" {
	local cmd CLIENT_TIMEOUT=20
	cmd=$(ctd_cmdline run --rm -t $(ctd_run_flags "$CID") "$CLIENT_IMAGE" "$CID" sh -c '
		tty; [ -t 0 ] && [ -t 1 ] && echo stdio-is-tty
		[ -c /dev/console ] && echo console-is-chardev
		# ctr sends the window size right after start. (busybox stty size
		# prints nothing, with status 0, when its stderr is /dev/null.)
		i=0; while [ $i -lt 100 ]; do
			s=$(stty size) && case $s in [1-9]*) break ;; esac
			sleep 0.05; i=$((i + 1)); done
		echo "size=$s"; exit 4')
	run in_tty "$cmd"
	assert_eq "$status" 4 "output: $output"
	assert_contains "$output" "/dev/pts/0" "stdio-is-tty" "console-is-chardev" "size=30 100"
	assert_argv "create --bundle [^ ]+ --pid-file [^ ]+ --console-socket [^ ]+ $CID\$"
	ctd_assert_clean "$CID"
}

@test "ctr task exec -t: a terminal for an exec'd process" {
	local CLIENT_TIMEOUT=20
	ctd_start "$CID" -- sleep 1000
	run in_tty "$(ctd_cmdline task exec -t --exec-id tty1 --fifo-dir "$CLIENT_DIR/fifo" "$CID" \
		sh -c 'tty; [ -t 0 ] && echo stdin-is-tty; exit 3')"
	assert_eq "$status" 3 "output: $output"
	assert_contains "$output" "/dev/pts/" "stdin-is-tty"
	assert_argv "exec .*--console-socket [^ ]+.* $CID\$" "exec .*--detach.* $CID\$"
	ctd_rm "$CID"
	ctd_assert_clean "$CID"
}

@test "contrib: the containerd snippet defines both CRI handlers on the runc v2 shim" {
	cat >"$BATS_TEST_TMPDIR/main.toml" <<EOF
version = 2
root = "$BATS_TEST_TMPDIR/root"
state = "$BATS_TEST_TMPDIR/state"
imports = ["$TOP/contrib/kubernetes/containerd-strait.toml"]
EOF
	run --separate-stderr containerd --config "$BATS_TEST_TMPDIR/main.toml" config dump
	assert_eq "$status" 0 "stderr: $stderr"
	local h t cri='plugins."io.containerd.grpc.v1.cri".containerd.runtimes'
	for h in strait strait-observe; do
		# The handler's table and its options table, up to the next header.
		t=$(awk -v hdr="[$cri.$h]" -v opt="[$cri.$h.options]" '
			{ line = $0; sub(/^[ \t]+/, "", line) }
			line == hdr || line == opt { on = 1; next }
			substr(line, 1, 1) == "[" { on = 0 }
			on' <<<"$output")
		assert_contains "$t" 'runtime_type = "io.containerd.runc.v2"' \
			'pod_annotations = ["org.strait.*", "run.oci.seccomp_fail_unknown_syscall"]' \
			"BinaryName = \"/usr/local/bin/$h\"" "SystemdCgroup = false"
	done
}

@test "contrib: a second handler (strait-observe wrapper, own strait.conf) observes" {
	strait_only "observe mode and STRAIT_CONFIG are strait's"
	local d=$BATS_TEST_TMPDIR sock rec ev
	sock=$CLIENT_DIR/rec$BATS_TEST_NUMBER.sock # sun_path is 108 bytes
	mkdir -p "$d/evidence"
	# The contrib files, with their install paths pointed at this build and dir.
	sed "s|^seccomp-recorder = .*|seccomp-recorder = $sock|" \
		"$TOP/contrib/kubernetes/strait-observe.conf" >"$d/strait-observe.conf"
	sed -e "s|/etc/strait/strait-observe.conf|$d/strait-observe.conf|" \
		-e "s|/usr/local/bin/strait|$CLIENT_RUNTIME|" \
		"$TOP/contrib/kubernetes/strait-observe" >"$d/strait-observe"
	chmod 755 "$d/strait-observe"
	"$RUNTIME" seccomp recorder --socket "$sock" --dir "$d/evidence" >"$d/recorder.log" 2>&1 &
	rec=$!
	local n=100
	while [ ! -S "$sock" ] && [ $n -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	[ -S "$sock" ] || { kill $rec; fail "recorder did not start: $(cat "$d/recorder.log")"; }
	printf '%s\n' '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],' \
		'"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}' \
		>"$d/no-mkdir.json"
	# The profile denies mkdir, but this handler observes: mkdir succeeds, and the
	# evidence says that enforcement would have returned errno 1.
	run --separate-stderr ctr_ run --rm --runtime io.containerd.runc.v2 \
		--runc-binary "$d/strait-observe" --runc-root "$CTD_RUNC_ROOT" \
		--fifo-dir "$CLIENT_DIR/fifo" --env "$(mark_env "$CID")" \
		--seccomp --seccomp-profile "$d/no-mkdir.json" "$CLIENT_IMAGE" "$CID" \
		sh -c 'mkdir /tmp/d && echo mkdir=0'
	kill -TERM $rec
	wait $rec || true
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$output" "mkdir=0"
	ev=$(ls "$d/evidence/$CID".*.json 2>/dev/null | head -n1)
	[ -n "$ev" ] || fail "no evidence file; recorder log: $(cat "$d/recorder.log")"
	assert_eq "$(jq -r '[.records[] | select(.syscall | test("^mkdir"))][0].errnoRet' "$ev")" 1
	# The same container under the production handler is enforced.
	run --separate-stderr ctd_run --rm --seccomp --seccomp-profile "$d/no-mkdir.json" -- "$CID" \
		sh -c 'mkdir /tmp/d 2>&1; echo "mkdir=$?"'
	assert_contains "$output" "Operation not permitted" "mkdir=1"
	ctd_assert_clean "$CID"
}

@test "containerd: seccomp-denials = record enforces the profile and records the denial" {
	strait_only "recording denials and STRAIT_CONFIG are strait's"
	local d=$BATS_TEST_TMPDIR sock rec ev
	sock=$CLIENT_DIR/rec$BATS_TEST_NUMBER.sock # sun_path is 108 bytes
	mkdir -p "$d/evidence"
	printf 'seccomp-denials = record\nseccomp-recorder = %s\n' "$sock" >"$d/record.conf"
	printf '#!/bin/sh\nSTRAIT_CONFIG=%s\nexport STRAIT_CONFIG\nexec %s "$@"\n' \
		"$d/record.conf" "$CLIENT_RUNTIME" >"$d/strait-record"
	chmod 755 "$d/strait-record"
	"$RUNTIME" seccomp recorder --socket "$sock" --dir "$d/evidence" >"$d/recorder.log" 2>&1 &
	rec=$!
	local n=100
	while [ ! -S "$sock" ] && [ $n -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	[ -S "$sock" ] || { kill $rec; fail "recorder did not start: $(cat "$d/recorder.log")"; }
	printf '%s\n' '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],' \
		'"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}' \
		>"$d/no-mkdir.json"
	# containerd's config, its shim's create/start: mkdir is denied as the profile says
	run --separate-stderr ctr_ run --rm --runtime io.containerd.runc.v2 \
		--runc-binary "$d/strait-record" --runc-root "$CTD_RUNC_ROOT" \
		--fifo-dir "$CLIENT_DIR/fifo" --env "$(mark_env "$CID")" \
		--seccomp --seccomp-profile "$d/no-mkdir.json" "$CLIENT_IMAGE" "$CID" \
		sh -c 'mkdir /tmp/d 2>&1; echo "mkdir=$?"; mkdir /tmp/d 2>/dev/null; echo done'
	kill -TERM $rec
	wait $rec || true
	assert_eq "$status" 0 "stderr: $stderr"
	assert_contains "$output" "Operation not permitted"
	assert_has_line "$output" "mkdir=1"
	assert_has_line "$output" "done"
	ev=$(ls "$d/evidence/$CID".*.json 2>/dev/null | head -n1)
	[ -n "$ev" ] || fail "no evidence file; recorder log: $(cat "$d/recorder.log")"
	assert_eq "$(jq -r .mode "$ev")" enforce
	assert_eq "$(jq -c '[.records[] | select(.syscall | test("^mkdir")) | [.errnoRet, .count]]' "$ev")" \
		'[[1,2]]'
	ctd_assert_clean "$CID"
}

@test "containerd: nothing left behind by this file (mounts, cgroups, processes, state)" {
	local left ids
	ids=$(sort -u "$CLIENT_DIR/ids")
	left=$(wait_gone ctd_leftovers $ids)
	[ -z "$left" ] || fail "left behind: $left"
	# No runtime state at all under the shim's root (entries starting with @ are
	# the runtime's own caches, not containers).
	left=$(ls -A "$CTD_RUNC_ROOT/$CTD_NS" 2>/dev/null | grep -v '^@' || true)
	[ -z "$left" ] || fail "runtime state dirs left: $left"
	left=$(pids_of_mark "*")
	[ -z "$left" ] || fail "marked processes left: $left"
	left=$(pids_cmdline_has "-address $CTD_SOCK")
	[ -z "$left" ] || fail "shims left: $left"
	left=$(mounts_under "$CLIENT_DIR")
	[ -z "$left" ] || fail "mounts left: $left"
	# Only the namespace's parent cgroup may remain, and it must be empty.
	left=$(find /sys/fs/cgroup -mindepth 3 -maxdepth 3 -type d -path "*/$CTD_NS/*" 2>/dev/null || true)
	[ -z "$left" ] || fail "cgroups left: $left"
}
