#!/usr/bin/env bats
# exec: a new process in a running container, through runc's options (-e/--env,
# --cwd, -u/--user, --additional-gids, --cap, --no-new-privs, --preserve-fds,
# --process, -d/--detach with --pid-file, --ignore-paused) and their --flag=value
# forms; the exit status (128+N for a signal); the process joins every namespace and
# the cgroup of the container and gets its capabilities, rlimits, no_new_privs and
# seccomp filter; exec into a created container works (as runc), into a paused or
# stopped one it is refused.

load helpers

# cap_mask NUMBER...: the /proc/PID/status hex mask of these capability numbers.
cap_mask() {
	local m=0 c
	for c in "$@"; do m=$((m | (1 << c))); done
	printf '%016x' "$m"
}
CAP_KILL=5 CAP_NET_BIND_SERVICE=10 CAP_SYS_ADMIN=21 CAP_AUDIT_WRITE=29

setup() {
	common_setup
	# A host strait.conf must not change the outcome (runc ignores this).
	: >"$BATS_TEST_TMPDIR/strait.conf"
	export STRAIT_CONFIG=$BATS_TEST_TMPDIR/strait.conf
}

teardown() {
	common_teardown
}

# start_sleeping: runs $CID detached with a sleeping init; INIT_PID is its host pid.
start_sleeping() {
	set_args /bin/probe sleep
	run_detached_ok
	wait_status "$CID" running
	INIT_PID=$(state_field "$CID" pid)
}

# rexec ARGS...: `run --separate-stderr` of `exec ARGS...`.
rexec() {
	run --separate-stderr runtime exec "$@"
}

# status_field PID KEY: the value of KEY in /proc/PID/status (host side).
status_field() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"
}

@test "exec: output, exit code 0, exit code N, and 128+N for a signal" {
	start_sleeping
	rexec "$CID" /bin/sh -c 'echo out-$((6 * 7)); echo err >&2'
	[ "$status" -eq 0 ] || fail "$status: $stderr"
	assert_eq "$output" out-42
	assert_eq "$stderr" err
	rexec "$CID" /bin/probe exit 7
	assert_eq "$status" 7
	rexec "$CID" /bin/sh -c 'exit 255'
	assert_eq "$status" 255
	# The exec'd process is not pid 1 of the namespace, so it can kill itself.
	rexec "$CID" /bin/probe kill 9
	assert_eq "$status" 137
	rexec "$CID" /bin/probe kill 15
	assert_eq "$status" 143
	# A command not found in the container fails the exec.
	rexec "$CID" /no/such/program
	[ "$status" -ne 0 ]
	# The container is unaffected by all of that.
	assert_eq "$(state_field "$CID" status)" running
}

@test "exec -e/--env adds and overrides variables; the container's env is kept" {
	start_sleeping
	rexec -e FOO=bar -e TERM=dumb -e 'SPACED=a b' "$CID" /bin/sh -c 'env | sort'
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" FOO=bar
	assert_has_line "$output" "SPACED=a b"
	assert_has_line "$output" TERM=dumb
	assert_eq "$(grep -c '^TERM=' <<<"$output")" 1 "one TERM"
	assert_has_line "$output" "STRAIT_TEST_MARK=$MARK"
	assert_has_line "$output" "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	# Without -e: exactly the container's TERM.
	rexec "$CID" /bin/sh -c 'echo "$TERM"'
	assert_eq "$output" xterm
	# The long form (runc refuses -e and --env in one command line).
	rexec --env PATH=/bin --env NEW=1 "$CID" /bin/sh -c 'echo "$PATH $NEW"'
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "/bin 1"
}

@test "exec --cwd sets the working directory; the default is process.cwd" {
	update_config '.process.cwd = "/etc"'
	start_sleeping
	rexec "$CID" /bin/probe cwd
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" /etc
	rexec --cwd /tmp "$CID" /bin/probe cwd
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" /tmp
	# A relative cwd is refused as in config.json, even when it exists from the root.
	rexec --cwd tmp "$CID" /bin/probe cwd
	assert_error tmp
	local p=$BATS_TEST_TMPDIR/process.json
	jq -n '{args: ["/bin/probe", "cwd"], cwd: "tmp", user: {uid: 0, gid: 0}}' >"$p"
	rexec --process "$p" "$CID"
	assert_error tmp
	# A cwd that does not exist in the container fails the exec.
	rexec --cwd /no/such/dir "$CID" /bin/probe cwd
	assert_error /no/such/dir
}

@test "exec -u/--user uid:gid, uid alone, and --additional-gids" {
	update_config '.process.user = {uid: 0, gid: 0, additionalGids: [5]}'
	start_sleeping
	rexec "$CID" /bin/probe ids
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "uid=0,0,0"
	assert_has_line "$output" "groups=5"
	rexec -u 1000:1001 "$CID" /bin/probe ids
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "uid=1000,1000,1000"
	assert_has_line "$output" "gid=1001,1001,1001"
	rexec --user 1000 "$CID" /bin/probe ids
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "uid=1000,1000,1000"
	assert_has_line "$output" "gid=0,0,0"
	# The container's additionalGids are kept with -u, as runc does.
	assert_has_line "$output" "groups=5"
	# --additional-gids adds to them.
	rexec -u 1000:1000 --additional-gids 10 --additional-gids 20 "$CID" /bin/probe ids
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "uid=1000,1000,1000"
	assert_has_line "$output" "groups=5,10,20"
	# busybox's id agrees.
	rexec -u 1000:1000 "$CID" id -u
	assert_eq "$output" 1000
}

@test "exec --cap adds a capability to the effective, permitted and bounding sets" {
	start_sleeping
	local base want
	base=$(cap_mask $CAP_AUDIT_WRITE $CAP_KILL $CAP_NET_BIND_SERVICE)
	want=$(cap_mask $CAP_AUDIT_WRITE $CAP_KILL $CAP_NET_BIND_SERVICE $CAP_SYS_ADMIN)
	rexec "$CID" /bin/probe caps
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "CapEff:	$base"
	assert_has_line "$output" "CapBnd:	$base"
	rexec --cap CAP_SYS_ADMIN "$CID" /bin/probe caps
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "CapEff:	$want"
	assert_has_line "$output" "CapPrm:	$want"
	assert_has_line "$output" "CapBnd:	$want"
	# never inheritable (CVE-2022-29162), nor ambient without inheritable ones
	assert_has_line "$output" "CapInh:	0000000000000000"
	assert_has_line "$output" "CapAmb:	0000000000000000"
	# And it works: sethostname needs CAP_SYS_ADMIN.
	rexec "$CID" hostname nope
	[ "$status" -ne 0 ]
	rexec --cap CAP_SYS_ADMIN "$CID" /bin/sh -c 'hostname capped && hostname'
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" capped
	# The init's sets are untouched.
	assert_eq "$(status_field "$INIT_PID" CapBnd)" "$base"
}

@test "exec --no-new-privs sets no_new_privs when the container does not" {
	update_config '.process.noNewPrivileges = false'
	start_sleeping
	rexec "$CID" /bin/probe status NoNewPrivs
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "NoNewPrivs:	0"
	rexec --no-new-privs "$CID" /bin/probe status NoNewPrivs
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "NoNewPrivs:	1"
}

@test "exec --preserve-fds N passes fds 3..N+2 and nothing else" {
	start_sleeping
	echo three >"$BATS_TEST_TMPDIR/three"
	echo four >"$BATS_TEST_TMPDIR/four"
	run --separate-stderr runtime exec --preserve-fds 2 "$CID" /bin/sh -c \
		'read a <&3; read b <&4; echo "$a $b"; /bin/probe fds' \
		3<"$BATS_TEST_TMPDIR/three" 4<"$BATS_TEST_TMPDIR/four" 5</etc/hostname
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "three four"
	grep -q "^3 .*/three\$" <<<"$output" || fail "fd 3: $output"
	grep -q "^4 .*/four\$" <<<"$output" || fail "fd 4: $output"
	! grep -q '^[5-9] \|^[1-9][0-9]' <<<"$output" || fail "extra fds: $output"
	# Without --preserve-fds, fd 3 is not passed.
	run --separate-stderr runtime exec "$CID" /bin/probe fds 3<"$BATS_TEST_TMPDIR/three"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_not_contains "$output" three
	! grep -q '^[3-9] ' <<<"$output" || fail "extra fds: $output"
}

@test "exec --process FILE: args, env, cwd and user from an OCI process JSON" {
	start_sleeping
	local p=$BATS_TEST_TMPDIR/process.json
	jq -n '{terminal: false, user: {uid: 1000, gid: 1001, additionalGids: [20]},
		args: ["/bin/sh", "-c", "/bin/probe ids; /bin/probe cwd; env | sort"],
		env: ["PATH=/bin:/usr/bin", "FROM=json"], cwd: "/tmp"}' >"$p"
	rexec --process "$p" "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" "uid=1000,1000,1000"
	assert_has_line "$output" "gid=1001,1001,1001"
	assert_has_line "$output" "groups=20"
	assert_has_line "$output" /tmp
	assert_has_line "$output" FROM=json
	# The env is the file's, not merged with config.json's.
	assert_not_contains "$output" TERM= STRAIT_TEST_MARK
	# The exit status is propagated here too.
	jq -n '{args: ["/bin/probe", "exit", "9"], cwd: "/", user: {uid: 0, gid: 0}}' >"$p"
	rexec -p "$p" "$CID"
	assert_eq "$status" 9
	# A bad file is one error naming it.
	echo '{"args": ' >"$p"
	rexec --process "$p" "$CID"
	assert_error process.json
	rexec --process "$BATS_TEST_TMPDIR/missing.json" "$CID"
	assert_error missing.json
}

@test "exec -d --pid-file: a live process in the container's cgroup and pid namespace" {
	start_sleeping
	local pf=$BATS_TEST_TMPDIR/exec.pid pid
	runq runtime exec -d --pid-file "$pf" "$CID" /bin/probe sleep
	[ "$status" -eq 0 ] || fail "exec -d ($status): $stderr"
	[ -s "$pf" ] || fail "no pid file"
	pid=$(cat "$pf")
	[[ $pid =~ ^[0-9]+$ ]] || fail "pid file: '$pid'"
	[ "$pid" != "$INIT_PID" ]
	[ -d "/proc/$pid" ] || fail "pid $pid is not running"
	grep -qa 'probe.sleep' "/proc/$pid/cmdline" || fail "$(tr '\0' ' ' <"/proc/$pid/cmdline")"
	grep -q ":memory:/strait-test/$CID\$" "/proc/$pid/cgroup" || fail "$(cat "/proc/$pid/cgroup")"
	grep -qx "$pid" "/sys/fs/cgroup/pids/strait-test/$CID/cgroup.procs" ||
		fail "$pid not in the pids cgroup"
	# Two levels of pid: the host's and the container's (not 1).
	local nspid
	nspid=$(awk '$1 == "NSpid:" { print NF - 1, $3 }' "/proc/$pid/status")
	[[ $nspid == "2 "* ]] && [ "${nspid#2 }" != 1 ] || fail "NSpid: $nspid"
	# The process is still there after exec returned, and the container with it.
	sleep 0.2
	[ -d "/proc/$pid" ]
	assert_eq "$(state_field "$CID" status)" running
}

@test "exec --process --detach --pid-file, as the containerd shim calls it" {
	start_sleeping
	local p=$BATS_TEST_TMPDIR/process.json pf=$BATS_TEST_TMPDIR/p.pid
	jq -n '{terminal: false, user: {uid: 0, gid: 0}, args: ["/bin/probe", "sleep"],
		env: ["PATH=/bin"], cwd: "/"}' >"$p"
	runq runtime exec --process "$p" --detach --pid-file "$pf" "$CID"
	[ "$status" -eq 0 ] || fail "exec ($status): $stderr"
	local pid
	pid=$(cat "$pf")
	[ -d "/proc/$pid" ] || fail "pid '$pid' is not running"
	grep -qx "$pid" "/sys/fs/cgroup/memory/strait-test/$CID/cgroup.procs" ||
		fail "$pid not in the memory cgroup"
}

@test "exec joins every namespace of the container and its cgroup" {
	requires cgroup_v1
	start_sleeping
	local ns inside host
	for ns in ipc mnt net pid uts cgroup; do
		rexec "$CID" readlink "/proc/self/ns/$ns"
		[ "$status" -eq 0 ] || fail "$ns: $stderr"
		inside=$output
		host=$(readlink "/proc/$INIT_PID/ns/$ns")
		assert_eq "$inside" "$host" "$ns namespace"
	done
	# The host's net namespace is not the container's (the comparison means something).
	[ "$(readlink /proc/self/ns/net)" != "$(readlink "/proc/$INIT_PID/ns/net")" ]
	# The init is pid 1 of the exec'd process's pid namespace, the hostname is the
	# container's, and the cgroup is the same as the init's.
	rexec "$CID" /bin/sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; hostname;
		cat /proc/self/cgroup | sort; echo ---; cat /proc/1/cgroup | sort'
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(sed -n 1p <<<"$output")" "/bin/probe sleep "
	assert_eq "$(sed -n 2p <<<"$output")" strait-test
	local self init
	self=$(sed -n '3,/^---$/p' <<<"$output" | sed '$d')
	init=$(sed -n '/^---$/,$p' <<<"$output" | sed 1d)
	[ -n "$self" ] || fail "no cgroup lines: $output"
	assert_eq "$self" "$init" "/proc/self/cgroup vs the init's"
}

@test "exec gets the container's capabilities, rlimits, no_new_privs and seccomp" {
	update_config '.process.rlimits = [{type: "RLIMIT_NOFILE", hard: 512, soft: 256}] |
		.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
			architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
			syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}'
	start_sleeping
	rexec "$CID" /bin/probe status CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp
	[ "$status" -eq 0 ] || fail "$stderr"
	local k
	for k in CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp; do
		assert_has_line "$output" "$k:	$(status_field "$INIT_PID" "$k")"
	done
	assert_has_line "$output" "Seccomp:	2"
	assert_has_line "$output" "NoNewPrivs:	1"
	assert_has_line "$output" "CapEff:	$(cap_mask $CAP_AUDIT_WRITE $CAP_KILL $CAP_NET_BIND_SERVICE)"
	rexec "$CID" /bin/probe rlimit NOFILE
	assert_eq "$output" "soft=256 hard=512"
	# The filter is really there: mkdir gets EPERM.
	rexec "$CID" mkdir /tmp/denied
	[ "$status" -ne 0 ]
	assert_contains "$stderr" "Operation not permitted"
	rexec "$CID" /bin/probe stat /tmp/denied
	assert_eq "$output" "stat=ENOENT"
}

@test "exec into a paused container is refused unless --ignore-paused" {
	requires cgroup_v1
	start_sleeping
	runtime pause "$CID"
	wait_status "$CID" paused
	rexec "$CID" /bin/true
	assert_error paused
	assert_eq "$(state_field "$CID" status)" paused
	# --ignore-paused: the process joins the frozen cgroup and runs once resumed.
	local out=$BATS_TEST_TMPDIR/ip.out rc=$BATS_TEST_TMPDIR/ip.rc
	(
		runtime exec --ignore-paused "$CID" /bin/echo after-resume >"$out" 2>&1
		echo $? >"$rc"
	) 3>&- &
	local job=$!
	sleep 0.5
	# Not refused, and held: the process is in the frozen cgroup until resume.
	[ ! -e "$rc" ] || fail "exec --ignore-paused ended ($(cat "$rc")) while paused: $(cat "$out")"
	[ ! -s "$out" ] || fail "the exec'd process ran while paused: $(cat "$out")"
	runtime resume "$CID"
	wait_file "$rc" 20
	# Only our job: with BATS_TEST_TIMEOUT, bats has a watchdog child of its own.
	wait "$job"
	assert_eq "$(cat "$rc")" 0 "$(cat "$out")"
	assert_eq "$(cat "$out")" after-resume
	assert_eq "$(state_field "$CID" status)" running
}

@test "exec into a stopped container is refused" {
	set_args /bin/true
	create_ok
	runtime start "$CID"
	wait_status "$CID" stopped
	rexec "$CID" /bin/true
	assert_error "$CID" stopped
	rexec -d "$CID" /bin/true
	assert_error "$CID" stopped
}

@test "exec into a created container runs the process in it, as runc does" {
	set_args /bin/probe sleep
	create_ok
	local init
	init=$(state_field "$CID" pid)
	rexec "$CID" /bin/sh -c 'readlink /proc/self/ns/mnt; echo ran'
	[ "$status" -eq 0 ] || fail "$status: $stderr"
	assert_has_line "$output" ran
	assert_has_line "$output" "$(readlink "/proc/$init/ns/mnt")"
	# The container is still created and starts normally.
	assert_eq "$(state_field "$CID" status)" created
	runtime start "$CID"
	wait_status "$CID" running
}

@test "exec errors: bad options, no command, unknown container are one line" {
	start_sleeping
	rexec --bogus "$CID" /bin/true
	assert_error bogus
	rexec --preserve-fds many "$CID" /bin/true
	assert_error many
	rexec -u root:x:y "$CID" /bin/true
	assert_error
	if is_strait; then
		# runc 1.1.5 ignores an unknown capability.
		rexec --cap CAP_NOT_A_CAP "$CID" /bin/true
		assert_error CAP_NOT_A_CAP
	fi
	rexec "$CID"
	assert_error
	rexec
	assert_error
	rexec "no-such-$CID" /bin/true
	assert_error "no-such-$CID"
	# An -e without "=" is not a variable.
	rexec -e NOEQUALS "$CID" /bin/true
	assert_error NOEQUALS
	# None of that disturbed the container.
	assert_eq "$(state_field "$CID" status)" running
}

@test "exec -d with an unwritable --pid-file fails at once and ends the process" {
	start_sleeping
	# A short timeout: a runtime that waits for the sleeper instead fails with 124.
	STRAIT_TEST_CMD_TIMEOUT=10 runq runtime exec -d --pid-file "$BATS_TEST_TMPDIR/no/such/p" \
		"$CID" /bin/probe sleep
	[ "$status" -ne 124 ] || fail "exec -d hung after failing to write the pid file"
	assert_error "$BATS_TEST_TMPDIR/no/such"
	# The process it started does not stay behind in the container.
	local n=0
	while [ "$(runtime ps --format json "$CID" | jq length)" != 1 ] && [ $n -lt 40 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	assert_eq "$(runtime ps --format json "$CID")" "[$INIT_PID]"
	assert_eq "$(state_field "$CID" status)" running
}

@test "exec --flag=value forms: --cwd=, --user=, --env=, --additional-gids=, --pid-file=" {
	start_sleeping
	rexec --cwd=/tmp --user=1000:1000 --env=A=B --env=C==d --additional-gids=7 "$CID" \
		/bin/sh -c '/bin/probe cwd; /bin/probe ids; echo "A=$A C=$C"'
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$output" /tmp
	assert_has_line "$output" "uid=1000,1000,1000"
	assert_has_line "$output" "gid=1000,1000,1000"
	assert_has_line "$output" "groups=7"
	assert_has_line "$output" "A=B C==d"
	local pf=$BATS_TEST_TMPDIR/eq.pid p=$BATS_TEST_TMPDIR/eq.json
	jq -n '{args: ["/bin/probe", "sleep"], cwd: "/", user: {uid: 0, gid: 0}}' >"$p"
	runq runtime exec --detach --pid-file="$pf" --process="$p" "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	[ -d "/proc/$(cat "$pf")" ] || fail "pid file: $(cat "$pf")"
}
