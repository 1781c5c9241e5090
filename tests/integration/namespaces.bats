#!/usr/bin/env bats
# namespaces: pid, network (loopback up), mount, ipc, uts, user (with mappings),
# cgroup and time (with offsets); each either new or joined through its path.

load helpers

setup() {
	common_setup
	HELPERS=()
}

teardown() {
	local p
	for p in "${HELPERS[@]}"; do
		pkill -KILL -P "$p" 2>/dev/null || true
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	common_teardown
}

# ns_helper UNSHARE-OPTION...: starts a sleeping process in new namespaces (with
# unshare) and sets HELPER_PID to the process that holds them.
ns_helper() {
	unshare "$@" sleep 600 </dev/null >/dev/null 2>&1 3>&- &
	local upid=$! n=0
	HELPERS+=("$upid")
	HELPER_PID=$upid
	if [[ " $* " == *" --fork "* ]]; then
		while [ -z "$(pgrep -P "$upid")" ] && [ $n -lt 100 ]; do sleep 0.02; n=$((n + 1)); done
		HELPER_PID=$(pgrep -P "$upid")
	else
		# Wait until unshare has exec'd sleep in its new namespaces.
		while [ "$(readlink /proc/$upid/exe)" != "$(readlink -f "$(command -v sleep)")" ] &&
			[ $n -lt 100 ]; do sleep 0.02; n=$((n + 1)); done
	fi
	[ -n "$HELPER_PID" ] || fail "namespace helper did not start"
}

# ns_of PID TYPE: the namespace identity, e.g. "net:[4026531840]".
ns_of() {
	readlink "/proc/$1/ns/$2"
}

# set_ns_path TYPE PATH: joins TYPE through PATH instead of creating it.
set_ns_path() {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != $t)] + [{type: $t, path: $p}]' \
		--arg t "$1" --arg p "$2"
}

@test "new namespaces: pid, network, ipc, uts, mount and cgroup differ from the host's" {
	set_args /bin/sh -c 'for t in pid net ipc uts mnt cgroup; do echo "$t $(readlink /proc/self/ns/$t)"; done; echo "pid=$$"'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	local t
	for t in pid net ipc uts mnt cgroup; do
		local inside
		inside=$(awk -v t=$t '$1 == t {print $2}' <<<"$output")
		[ -n "$inside" ] || fail "no $t in: $output"
		[ "$inside" != "$(ns_of $$ $t)" ] || fail "$t namespace is the host's"
	done
	assert_has_line "$output" pid=1
}

@test "without a namespace entry the host's namespace is kept" {
	update_config '.linux.namespaces = [{type: "mount"}, {type: "pid"}]'
	update_config 'del(.hostname) | .mounts |= map(select(.destination != "/sys" and .destination != "/sys/fs/cgroup"))'
	set_args /bin/sh -c 'for t in net ipc uts cgroup; do echo "$t $(readlink /proc/self/ns/$t)"; done'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	local t
	for t in net ipc uts cgroup; do
		assert_has_line "$output" "$t $(ns_of $$ $t)"
	done
}

@test "network: a new namespace has only loopback, and it is up" {
	set_args /bin/sh -c 'ls /sys/class/net; cat /sys/class/net/lo/flags; ip -o link show lo'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(sed -n 1p <<<"$output")" lo
	# IFF_UP (0x1) | IFF_LOOPBACK (0x8)
	assert_eq "$(( $(sed -n 2p <<<"$output") & 0x9 ))" 9
	assert_contains "$(sed -n 3p <<<"$output")" "<LOOPBACK,UP"
}

@test "network: loopback answers" {
	update_config '.process.capabilities.bounding += ["CAP_NET_RAW"] |
		.process.capabilities.effective += ["CAP_NET_RAW"] |
		.process.capabilities.permitted += ["CAP_NET_RAW"]'
	set_args /bin/sh -c 'ping -c 1 -W 2 127.0.0.1 >/dev/null && echo reachable'
	run --separate-stderr rrun
	assert_eq "$output" reachable
}

# join_case TYPE UNSHARE-OPTION...: the container joins TYPE of a helper process.
join_case() {
	local oci=$1 t=$1
	shift
	[ "$t" != network ] || t=net
	ns_helper "$@"
	set_ns_path "$oci" "/proc/$HELPER_PID/ns/$t"
	set_args readlink "/proc/self/ns/$t"
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "$(ns_of "$HELPER_PID" "$t")"
	[ "$output" != "$(ns_of $$ "$t")" ]
}

@test "join: network namespace by path" {
	join_case network --net
}

@test "join: ipc namespace by path" {
	join_case ipc --ipc
}

@test "join: uts namespace by path, hostname set in it" {
	join_case uts --uts
	assert_eq "$(nsenter -t "$HELPER_PID" -u hostname)" strait-test
}

@test "join: cgroup namespace by path" {
	join_case cgroup --cgroup
}

@test "join: pid namespace by path" {
	ns_helper --pid --fork
	set_ns_path pid "/proc/$HELPER_PID/ns/pid"
	set_args /bin/sh -c 'readlink /proc/self/ns/pid; echo $$; tr "\0" " " </proc/1/cmdline'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(sed -n 1p <<<"$output")" "$(ns_of "$HELPER_PID" pid)"
	# The helper is pid 1 there; the container's process is not.
	[ "$(sed -n 2p <<<"$output")" != 1 ]
	assert_eq "$(sed -n 3p <<<"$output")" "sleep 600 "
}

@test "join: mount namespace by path" {
	ns_helper --mount --propagation private
	set_ns_path mount "/proc/$HELPER_PID/ns/mnt"
	set_args readlink /proc/self/ns/mnt
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "$(ns_of "$HELPER_PID" mnt)"
}

@test "join: a path that is not a namespace of that type is refused" {
	ns_helper --ipc
	set_ns_path network "/proc/$HELPER_PID/ns/ipc"
	runq rcreate
	assert_error /proc/$HELPER_PID/ns/ipc
	assert_clean
}

@test "join: a path that does not exist is refused" {
	set_ns_path ipc /proc/999999999/ns/ipc
	runq rcreate
	assert_error /proc/999999999/ns/ipc
	assert_clean
}

# userns_config: a new user namespace mapping container 0-65535 to host 100000-.
userns_config() {
	userns_access
	update_config '.linux.namespaces += [{type: "user"}] |
		.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}] |
		.linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}] |
		.mounts |= map(select(.destination != "/sys/fs/cgroup"))'
}

@test "user namespace: uidMappings and gidMappings are honoured" {
	requires userns
	userns_config
	set_args /bin/sh -c 'cat /proc/self/uid_map /proc/self/gid_map | tr -s " " | sed "s/^ //"; /bin/probe ids'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "0 100000 65536"
	assert_eq "$(grep -c '^0 100000 65536$' <<<"$output")" 2
	assert_has_line "$output" "uid=0,0,0"
}

@test "user namespace: the process is the mapped host user" {
	requires userns
	userns_config
	set_args /bin/probe sleep
	run_detached_ok
	local pid
	pid=$(state_field "$CID" pid)
	assert_eq "$(awk '/^Uid:/ {print $2}' /proc/$pid/status)" 100000
	assert_eq "$(awk '/^Gid:/ {print $2}' /proc/$pid/status)" 100000
	[ "$(ns_of "$pid" user)" != "$(ns_of $$ user)" ]
}

@test "user namespace: a mapped non-root user" {
	requires userns
	userns_config
	update_config '.process.user = {uid: 1000, gid: 1000}'
	set_args /bin/sh -c 'cat /proc/self/uid_map | tr -s " " | sed "s/^ //"; /bin/probe ids'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "uid=1000,1000,1000"
}

@test "user namespace: joined by path" {
	requires userns
	userns_access
	ns_helper --user
	echo "0 200000 65536" >"/proc/$HELPER_PID/uid_map"
	echo "0 200000 65536" >"/proc/$HELPER_PID/gid_map"
	set_ns_path user "/proc/$HELPER_PID/ns/user"
	# The mappings are those of the namespace joined (runc 1.1.5 wants them stated).
	update_config '.linux.uidMappings = [{containerID: 0, hostID: 200000, size: 65536}] |
		.linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}] |
		.mounts |= map(select(.destination != "/sys/fs/cgroup"))'
	set_args /bin/sh -c 'readlink /proc/self/ns/user; cat /proc/self/uid_map | tr -s " " | sed "s/^ //"'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "$(ns_of "$HELPER_PID" user)"
	assert_has_line "$output" "0 200000 65536"
}

@test "user namespace: mappings without a user namespace are refused" {
	update_config '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}] |
		.linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
	strait_only "runc 1.1.5 ignores mappings without a user namespace"
	runq rcreate
	assert_error uidMappings
	assert_clean
}

@test "time namespace: timeOffsets are applied" {
	requires timens
	strait_only "runc 1.1.5 has no time namespace support"
	update_config '.linux.namespaces += [{type: "time"}] |
		.linux.timeOffsets = {monotonic: {secs: 86400, nanosecs: 0}, boottime: {secs: 172800, nanosecs: 0}}'
	set_args /bin/sh -c 'cat /proc/self/timens_offsets; cut -d. -f1 /proc/uptime'
	local host_up
	host_up=$(cut -d. -f1 /proc/uptime)
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	grep -qE '^monotonic +86400 +0$' <<<"$output" || fail "$output"
	grep -qE '^boottime +172800 +0$' <<<"$output" || fail "$output"
	local up
	up=$(tail -n 1 <<<"$output")
	[ "$up" -ge $((host_up + 172800)) ] && [ "$up" -lt $((host_up + 172800 + 60)) ] ||
		fail "uptime $up, host $host_up"
}

@test "time namespace: joined by path" {
	requires timens
	strait_only "runc 1.1.5 has no time namespace support"
	ns_helper --time --boottime 5000 --fork
	set_ns_path time "/proc/$HELPER_PID/ns/time"
	set_args /bin/sh -c 'readlink /proc/self/ns/time; cut -d. -f1 /proc/uptime'
	local host_up
	host_up=$(cut -d. -f1 /proc/uptime)
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(sed -n 1p <<<"$output")" "$(ns_of "$HELPER_PID" time)"
	[ "$(sed -n 2p <<<"$output")" -ge $((host_up + 5000)) ] || fail "$output"
}

@test "time namespace: timeOffsets without a new time namespace are refused" {
	strait_only "runc 1.1.5 has no time namespace support"
	update_config '.linux.timeOffsets = {monotonic: {secs: 10}}'
	runq rcreate
	assert_error timeOffsets
	assert_clean
}

@test "cgroup namespace: the container sees its cgroup as /" {
	set_args cat /proc/self/cgroup
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	local bad
	bad=$(grep -v ':/$' <<<"$output" || true)
	[ -z "$bad" ] || fail "cgroup paths not rooted: $output"
}
