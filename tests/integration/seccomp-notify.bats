#!/usr/bin/env bats
# SCMP_ACT_NOTIFY and the OCI seccomp listener protocol: the runtime connects to
# listenerPath, and the container process sends the ContainerProcessState JSON with
# the notify fd (SCM_RIGHTS). tests/seccomp/sclistener.c plays the agent: it records
# what it received and answers each notification.

load helpers
load seccomp-helpers

setup() { sc_setup; }
teardown() { sc_teardown; }

# check_state_message: the recorded ContainerProcessState is what the runtime-spec
# describes, for container $CID with metadata $1, and its pid made the calls.
check_state_message() {
	local msg=$SC_LOUT.json pid
	[ -s "$msg" ] || fail "no message received"
	jq -e . "$msg" >/dev/null || fail "not JSON: $(cat "$msg")"
	[[ $(jq -r .ociVersion "$msg") =~ ^1\.[0-9]+\.[0-9]+ ]] || fail "ociVersion: $(cat "$msg")"
	assert_eq "$(jq -c .fds "$msg")" '["seccompFd"]'
	assert_eq "$(jq -r '.metadata // ""' "$msg")" "$1" metadata
	assert_eq "$(jq -r .state.id "$msg")" "$CID"
	assert_eq "$(jq -r .state.bundle "$msg")" "$BUNDLE"
	pid=$(jq -r .pid "$msg")
	[ "$pid" -gt 1 ] || fail "pid $pid"
	assert_eq "$(jq -r .state.pid "$msg")" "$pid"
	assert_contains "$(cat "$SC_LOUT.log")" "fds=1" "pid=$pid"
	jq .state "$msg" | validate_json state-schema.json - || fail "state does not validate"
}

@test "seccomp NOTIFY: run: the listener gets the state and the fd, and answers" {
	allow_profile "$(rule getppid SCMP_ACT_NOTIFY)" "$(rule sched_yield SCMP_ACT_ERRNO 9)"
	start_listener val:4242 "meta data: 42"
	sc_run /bin/sctest sys "$(nr getppid)" 7 -- sys 24 -- sys "$(nr getppid)" 8
	[ "$status" = 0 ] || fail "status $status: $stderr"
	assert_eq "$output" $'ret=4242\nerrno=9\nret=4242'
	wait_listener
	check_state_message "meta data: 42"
	# one notification per NOTIFY call, with its arguments; then the hangup
	assert_eq "$(grep -c '^nr=' "$SC_LOUT.log")" 2
	assert_contains "$(cat "$SC_LOUT.log")" "nr=$(nr getppid) arg0=7" "nr=$(nr getppid) arg0=8" hangup
}

@test "seccomp NOTIFY: create, then start: the fd arrives although create has exited" {
	allow_profile "$(rule getppid SCMP_ACT_NOTIFY)"
	start_listener errno:13 ""
	set_args /bin/sctest sys "$(nr getppid)" -- sys "$(nr getpid)"
	create_ok
	# strait loads the filter (and sends the fd) at start, right before execve; runc
	# does it at create time
	if is_strait; then
		[ ! -s "$SC_LOUT.json" ] || fail "message sent at create time"
	fi
	runtime start "$CID" || fail "start failed"
	wait_status "$CID" stopped
	wait_listener
	assert_eq "$(cat "$CTR_OUT")" $'errno=13\nret=1'
	check_state_message ""
	is_strait && assert_eq "$(jq -r .state.status "$SC_LOUT.json")" created
	runtime delete "$CID"
}

@test "seccomp NOTIFY: SECCOMP_USER_NOTIF_FLAG_CONTINUE runs the call" {
	allow_profile "$(rule getpid SCMP_ACT_NOTIFY)"
	start_listener continue
	sc_run /bin/sctest sys "$(nr getpid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" "ret=1"
	wait_listener
}

@test "seccomp NOTIFY: with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV and TSYNC" {
	allow_profile "$(rule getppid SCMP_ACT_NOTIFY)"
	update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
		"SECCOMP_FILTER_FLAG_TSYNC"]'
	start_listener val:7
	flags_or_error SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV SECCOMP_FILTER_FLAG_TSYNC || return 0
	sc_run /bin/sctest sys "$(nr getppid)" -- thread "$(nr getppid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'ret=7\nret=7\nmain-alive=1'
	wait_listener
}

@test "seccomp NOTIFY: a listenerPath nobody listens on fails create, nothing left" {
	strait_only "error text"
	allow_profile "$(rule getppid SCMP_ACT_NOTIFY)"
	update_config '.linux.seccomp.listenerPath = $p' --arg p "$BATS_TEST_TMPDIR/nobody.sock"
	runq rcreate
	assert_error "linux.seccomp.listenerPath" "$BATS_TEST_TMPDIR/nobody.sock"
	assert_clean
}

@test "seccomp NOTIFY: listenerPath without a NOTIFY rule: nothing is sent" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 5)"
	start_listener val:1
	sc_run /bin/sctest sys 24
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" "errno=5"
	# the agent is never contacted: still waiting, nothing received
	kill -0 "$LISTENER_PID" || fail "the listener exited: $(cat "$SC_LOUT.log")"
	[ ! -s "$SC_LOUT.json" ] || fail "unexpected message: $(cat "$SC_LOUT.json")"
}
