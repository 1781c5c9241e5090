#!/usr/bin/env bats
# exec into a container with its own user and pid namespaces (container 0-65535 mapped
# to host 100000-): the process joins the user namespace first and then the others,
# runs as the mapped user, and every pid the runtime acts on is the host pid of a
# process it made: after any exec, successful or not, every process in the
# container's cgroups is in the container's pid namespace.

load helpers

setup() {
	common_setup
	requires userns
	userns_access
	update_config '.linux.namespaces += [{type: "user"}] |
		.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}] |
		.linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}] |
		.mounts |= map(select(.destination != "/sys/fs/cgroup"))'
}

teardown() {
	common_teardown
}

# start_sleeping: runs $CID detached; INIT_PID is its host pid.
start_sleeping() {
	set_args /bin/probe sleep
	run_detached_ok
	wait_status "$CID" running
	INIT_PID=$(state_field "$CID" pid)
}

# assert_cgroups_hold_only_container_pids: every pid in every cgroup.procs of $CID is
# a process of the container's pid namespace (never a host process).
assert_cgroups_hold_only_container_pids() {
	local f p n=0 pidns
	pidns=$(readlink "/proc/$INIT_PID/ns/pid")
	while read -r f; do
		while read -r p; do
			[ -n "$p" ] || continue
			n=$((n + 1))
			[ "$(readlink "/proc/$p/ns/pid")" = "$pidns" ] ||
				fail "$f holds host pid $p ($(cat "/proc/$p/comm" 2>/dev/null))"
		done <"$f"
	done < <(find /sys/fs/cgroup -path "*/$CID/cgroup.procs" 2>/dev/null)
	[ "$n" -gt 0 ] || fail "no cgroup.procs of $CID found"
}

@test "exec into a user+pid namespaced container: joins its namespaces, as the mapped user" {
	start_sleeping
	run --separate-stderr runtime exec "$CID" /bin/sh -c 'cat /proc/self/uid_map /proc/self/gid_map | tr -s " " | sed "s/^ //"
		for t in user pid mnt net ipc uts; do echo "$t $(readlink /proc/self/ns/$t)"; done
		/bin/probe ids'
	[ "$status" -eq 0 ] || fail "$status: $stderr"
	[ -z "$stderr" ] || fail "stderr: $stderr"
	assert_eq "$(grep -c '^0 100000 65536$' <<<"$output")" 2
	local t
	for t in user pid mnt net ipc uts; do
		assert_has_line "$output" "$t $(readlink "/proc/$INIT_PID/ns/$t")"
	done
	assert_has_line "$output" "uid=0,0,0"
	assert_cgroups_hold_only_container_pids
}

@test "exec -d --pid-file: the pid file holds the host pid, which runs as host uid 100000" {
	start_sleeping
	runq runtime exec -d --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$CID" /bin/probe sleep
	[ "$status" -eq 0 ] || fail "$status: $stderr"
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	[ "$pid" -ne "$INIT_PID" ] || fail "pid file holds the init's pid"
	assert_eq "$(readlink "/proc/$pid/ns/pid")" "$(readlink "/proc/$INIT_PID/ns/pid")"
	assert_eq "$(readlink "/proc/$pid/ns/user")" "$(readlink "/proc/$INIT_PID/ns/user")"
	assert_eq "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" 100000
	assert_eq "$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")" 100000
	# NSpid: host pid first, then the pid inside, which is not the host's
	local nspid
	nspid=$(awk '/^NSpid:/ {print $2, $3}' "/proc/$pid/status")
	assert_eq "${nspid% *}" "$pid"
	[ "${nspid#* }" != "$pid" ] || fail "NSpid $nspid"
	assert_cgroups_hold_only_container_pids
}

@test "a failing exec kills only its own process: no host pid is moved or signalled" {
	start_sleeping
	# A host process with a pid that an in-container pid could be taken for.
	sleep 600 &
	local host=$!
	rexec_fail() {
		run --separate-stderr runtime exec "$CID" "$@"
		[ "$status" -ne 0 ] || fail "exec $* succeeded"
	}
	rexec_fail /no/such/binary
	rexec_fail --cwd /no/such/dir /bin/true
	rexec_fail --user 70000 /bin/true
	kill -0 "$host" || fail "host process $host was killed"
	kill "$host"
	assert_cgroups_hold_only_container_pids
	runtime exec "$CID" /bin/true || fail "exec after failures"
	assert_cgroups_hold_only_container_pids
}

@test "exec into a user-namespaced container with a read-only rootfs" {
	update_config '.root.readonly = true'
	start_sleeping
	run --separate-stderr runtime exec "$CID" /bin/sh -c 'touch /x 2>/dev/null && echo writable || echo readonly; /bin/probe ids'
	[ "$status" -eq 0 ] || fail "$status: $stderr"
	assert_eq "$(sed -n 1p <<<"$output")" readonly
	assert_has_line "$output" "uid=0,0,0"
	assert_cgroups_hold_only_container_pids
}

@test "exec -t into a user-namespaced container gets a terminal" {
	command -v script >/dev/null || skip "needs script(1)"
	start_sleeping
	local out
	out=$(STRAIT_TEST_MARK=$MARK timeout 20 script -qec \
		"$RUNTIME --root $ROOT exec -t $CID /bin/sh -c '[ -t 0 ] && [ -t 1 ] && echo tty-ok; /bin/probe ids'" \
		/dev/null </dev/null 2>&1 | tr -d '\r\0')
	assert_contains "$out" tty-ok
	assert_has_line "$out" "uid=0,0,0"
	assert_cgroups_hold_only_container_pids
}
