#!/usr/bin/env bats
# linux.seccomp actions, conditions and flags, each checked by its effect on a real
# workload (/bin/sctest making raw syscalls). sched_yield is the guinea pig: it takes
# no arguments, so the tests pass any values to exercise argument filtering, and
# nothing else in sctest calls it.

load helpers
load seccomp-helpers

setup() { sc_setup; }
teardown() { sc_teardown; }

YIELD=24 # x86_64 sched_yield

@test "seccomp: no profile: sched_yield succeeds (control)" {
	sc_run /bin/sctest sys $YIELD
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" "ret=0"
}

@test "seccomp: SCMP_ACT_ERRNO returns exactly errnoRet" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)" "$(rule getppid SCMP_ACT_ERRNO 4094)"
	sc_run /bin/sctest sys $YIELD -- sys "$(nr getppid)" -- sys "$(nr getpid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=1234\nerrno=4094\nret=1'
}

@test "seccomp: SCMP_ACT_ERRNO without errnoRet returns EPERM; errnoRet 0 returns 0 unexecuted" {
	# With errnoRet 0 a call that would fail (kill of a pid that does not exist)
	# "succeeds" without running.
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO)" \
		'{"names":["kill"],"action":"SCMP_ACT_ERRNO","errnoRet":0}'
	sc_run /bin/sctest sys $YIELD -- sys "$(nr kill)" 99999 0
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=1\nret=0'
}

@test "seccomp: errnoRet above 4094 is refused with a clear error" {
	strait_only "error text"
	# 4095 is the kernel's largest errno, but libseccomp 2.5 refuses it: strait says so
	# instead of passing on libseccomp's "invalid argument".
	for v in 4095 4096; do
		allow_profile "$(rule sched_yield SCMP_ACT_ERRNO $v)"
		runq rcreate
		assert_error "linux.seccomp.syscalls[0].errnoRet" "$v is over 4094"
		assert_clean
	done
}

@test "seccomp: SCMP_ACT_KILL_PROCESS ends the workload with SIGSYS" {
	allow_profile "$(rule sched_yield SCMP_ACT_KILL_PROCESS)"
	sc_run /bin/sctest sys "$(nr getpid)" -- sys $YIELD -- sys "$(nr getpid)"
	assert_sigsys
	assert_eq "$output" "ret=1"
}

@test "seccomp: SCMP_ACT_KILL_PROCESS from a second thread ends the whole process" {
	allow_profile "$(rule sched_yield SCMP_ACT_KILL_PROCESS)"
	sc_run /bin/sctest thread $YIELD
	assert_sigsys
	assert_not_contains "$output" "main-alive"
}

@test "seccomp: SCMP_ACT_KILL_THREAD (and SCMP_ACT_KILL) end only the calling thread" {
	local act
	for act in SCMP_ACT_KILL_THREAD SCMP_ACT_KILL; do
		allow_profile "$(rule sched_yield $act)"
		sc_run /bin/sctest thread $YIELD
		[ "$status" = 0 ] || fail "$act: status $status: $stderr"
		# the thread died in the call: no ret= line, but main went on
		assert_eq "$output" "main-alive=1" "$act"
	done
}

@test "seccomp: SCMP_ACT_KILL / KILL_THREAD on the only thread: SIGSYS" {
	local act
	for act in SCMP_ACT_KILL SCMP_ACT_KILL_THREAD; do
		allow_profile "$(rule sched_yield $act)"
		sc_run /bin/sctest sys $YIELD
		assert_sigsys
		assert_eq "$output" ""
	done
}

@test "seccomp: SCMP_ACT_TRAP delivers SIGSYS" {
	allow_profile "$(rule sched_yield SCMP_ACT_TRAP)"
	sc_run /bin/sctest sys $YIELD -- sys "$(nr getpid)"
	assert_sigsys
	assert_eq "$output" ""
}

@test "seccomp: SCMP_ACT_LOG lets the call through" {
	allow_profile "$(rule sched_yield SCMP_ACT_LOG)" "$(rule getpid SCMP_ACT_LOG)"
	sc_run /bin/sctest sys $YIELD -- sys "$(nr getpid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'ret=0\nret=1'
}

@test "seccomp: SCMP_ACT_ALLOW lets the call through under a denying default" {
	deny_profile
	update_config '.linux.seccomp.syscalls += [{names: ["sched_yield"], action: "SCMP_ACT_ALLOW"}]'
	sc_run /bin/sctest sys $YIELD -- sys "$(nr getpid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'ret=0\nerrno=1'
}

@test "seccomp: SCMP_ACT_TRACE without a tracer fails the call with ENOSYS" {
	allow_profile "$(rule sched_yield SCMP_ACT_TRACE)" "$(rule getppid SCMP_ACT_TRACE 1234)"
	sc_run /bin/sctest sys $YIELD -- sys "$(nr getppid)"
	[ "$status" = 0 ] || fail "$stderr"
	# the kernel: no tracer -> -ENOSYS, whatever the rule's data
	assert_eq "$output" $'errno=38\nerrno=38'
}

@test "seccomp: defaultAction SCMP_ACT_ERRNO with and without defaultErrnoRet" {
	deny_profile
	sc_run /bin/sctest sys $YIELD -- sys "$(nr getppid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=1\nerrno=1'
	deny_profile 'defaultErrnoRet: 13'
	sc_run /bin/sctest sys $YIELD -- sys "$(nr getppid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=13\nerrno=13'
}

@test "seccomp: defaultAction SCMP_ACT_KILL_PROCESS kills on the first unlisted call" {
	deny_profile
	update_config '.linux.seccomp.defaultAction = "SCMP_ACT_KILL_PROCESS"'
	sc_run /bin/sctest sys "$(nr getpid)" -- sys $YIELD
	assert_sigsys
	assert_eq "$output" ""
	# getpid is not listed either: the first call already dies
}

# ---- conditions ----

# op_case OP VALUE VALUETWO HIT MISS: a rule "sched_yield ERRNO 77 if arg0 OP VALUE";
# a call with arg0=HIT is denied and one with arg0=MISS is not.
op_case() {
	allow_profile "$(jq -n -c --arg op "$1" --argjson v "$2" --argjson v2 "$3" \
		'{names: ["sched_yield"], action: "SCMP_ACT_ERRNO", errnoRet: 77,
		  args: [{index: 0, value: $v, valueTwo: $v2, op: $op}]}')"
	sc_run /bin/sctest sys $YIELD "$4" -- sys $YIELD "$5"
	[ "$status" = 0 ] || fail "$1: status $status: $stderr"
	assert_eq "$output" $'errno=77\nret=0' "$1 $2 (hit $4, miss $5)"
}

@test "seccomp: SCMP_CMP_EQ" {
	op_case SCMP_CMP_EQ 5 0 5 6
	# all 64 bits take part
	op_case SCMP_CMP_EQ 4294967301 0 0x100000005 5
}

@test "seccomp: SCMP_CMP_NE" {
	op_case SCMP_CMP_NE 5 0 6 5
}

@test "seccomp: SCMP_CMP_LT" {
	op_case SCMP_CMP_LT 5 0 4 5
	# unsigned: -1 is the largest value, not less than 5
	op_case SCMP_CMP_LT 5 0 0 -1
}

@test "seccomp: SCMP_CMP_LE" {
	op_case SCMP_CMP_LE 5 0 5 6
}

@test "seccomp: SCMP_CMP_GT" {
	op_case SCMP_CMP_GT 5 0 6 5
	op_case SCMP_CMP_GT 4294967295 0 0x100000000 0xffffffff
}

@test "seccomp: SCMP_CMP_GE" {
	op_case SCMP_CMP_GE 5 0 5 4
}

@test "seccomp: SCMP_CMP_MASKED_EQ" {
	# (arg & 0xf0) == 0x30
	op_case SCMP_CMP_MASKED_EQ 240 48 0x35 0x45
	op_case SCMP_CMP_MASKED_EQ 240 48 0x3f 0x0f
}

@test "seccomp: conditions on other argument indexes, up to 5" {
	local i args
	for i in 1 2 3 4 5; do
		allow_profile "$(jq -n -c --argjson i $i '{names: ["sched_yield"],
			action: "SCMP_ACT_ERRNO", errnoRet: 50,
			args: [{index: $i, value: 7, op: "SCMP_CMP_EQ"}]}')"
		args=(0 0 0 0 0 0)
		args[$i]=7
		sc_run /bin/sctest sys $YIELD "${args[@]}" -- sys $YIELD 7 0 0 0 0 0
		[ "$status" = 0 ] || fail "index $i: $stderr"
		assert_eq "$output" $'errno=50\nret=0' "index $i"
	done
}

@test "seccomp: conditions on different arguments of one rule must all hold (AND)" {
	allow_profile '{"names":["sched_yield"],"action":"SCMP_ACT_ERRNO","errnoRet":60,"args":[
		{"index":0,"value":1,"op":"SCMP_CMP_EQ"},{"index":2,"value":3,"op":"SCMP_CMP_GE"}]}'
	sc_run /bin/sctest sys $YIELD 1 0 3 -- sys $YIELD 1 0 2 -- sys $YIELD 0 0 9 -- sys $YIELD 1 9 9
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=60\nret=0\nret=0\nerrno=60'
}

@test "seccomp: rules for one syscall with different conditions and actions" {
	allow_profile \
		'{"names":["sched_yield"],"action":"SCMP_ACT_ERRNO","errnoRet":61,"args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}' \
		'{"names":["sched_yield"],"action":"SCMP_ACT_ERRNO","errnoRet":62,"args":[{"index":0,"value":2,"op":"SCMP_CMP_EQ"}]}' \
		'{"names":["sched_yield"],"action":"SCMP_ACT_KILL_PROCESS","args":[{"index":0,"value":3,"op":"SCMP_CMP_EQ"}]}'
	sc_run /bin/sctest sys $YIELD 1 -- sys $YIELD 2 -- sys $YIELD 4 -- sys $YIELD 3 -- sys $YIELD 1
	assert_sigsys
	assert_eq "$output" $'errno=61\nerrno=62\nret=0'
}

@test "seccomp: one rule naming several syscalls applies to each" {
	allow_profile '{"names":["sched_yield","getppid","getpid"],"action":"SCMP_ACT_ERRNO","errnoRet":63}'
	sc_run /bin/sctest sys $YIELD -- sys "$(nr getppid)" -- sys "$(nr getpid)" -- sys "$(nr getuid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=63\nerrno=63\nerrno=63\nret=0'
}

# ---- flags ----

@test "seccomp: flag SECCOMP_FILTER_FLAG_TSYNC" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 71)"
	update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_TSYNC"]'
	flags_or_error SECCOMP_FILTER_FLAG_TSYNC || return 0
	sc_run /bin/sctest sys $YIELD -- thread $YIELD
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=71\nerrno=71\nmain-alive=1'
}

@test "seccomp: flag SECCOMP_FILTER_FLAG_SPEC_ALLOW" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 72)"
	update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"]'
	flags_or_error SECCOMP_FILTER_FLAG_SPEC_ALLOW || return 0
	sc_run /bin/sh -c '/bin/sctest sys 24; grep -E "^Seccomp:" /proc/self/status'
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=72\nSeccomp:\t2'
}

# The audit records of seccomp (type=1326) for processes named $1 and syscall $2.
audit_records() {
	dmesg 2>/dev/null | grep 'type=1326' | grep -F "comm=\"$1\"" | grep -F " syscall=$2 " || true
}

@test "seccomp: flag SECCOMP_FILTER_FLAG_LOG logs ERRNO actions (kernel audit records)" {
	requires root
	dmesg >/dev/null 2>&1 || skip "dmesg is not readable"
	! pgrep -x auditd >/dev/null || skip "auditd takes the records away from the kernel log"
	grep -qw errno /proc/sys/kernel/seccomp/actions_logged ||
		skip "errno is not in kernel.seccomp.actions_logged"
	# A workload name of its own, to find its records among everyone else's.
	local comm=scl$$$RANDOM tries
	comm=${comm:0:15}
	cp "$SC_BIN/sctest" "$BUNDLE/rootfs/bin/$comm"
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 73)"
	sc_run "/bin/$comm" sys $YIELD
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" "errno=73"
	# without the flag the ERRNO action is not logged
	[ -z "$(audit_records "$comm" $YIELD)" ] || fail "logged without the flag"

	update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_LOG"]'
	flags_or_error SECCOMP_FILTER_FLAG_LOG || return 0
	# printk is rate limited (10 records per 5 s): retry once a burst has passed.
	for tries in 1 2 3; do
		sc_run "/bin/$comm" sys $YIELD
		[ "$status" = 0 ] || fail "$stderr"
		assert_eq "$output" "errno=73"
		[ -n "$(audit_records "$comm" $YIELD)" ] && break
		sleep 5.5
	done
	[ -n "$(audit_records "$comm" $YIELD)" ] || fail "no audit record for $comm"
	assert_contains "$(audit_records "$comm" $YIELD)" "code=0x5"
}

@test "seccomp: flag SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs a NOTIFY action" {
	strait_only "error text"
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 74)"
	update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]'
	runq rcreate
	assert_error "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" "SCMP_ACT_NOTIFY"
	assert_clean
}

@test "seccomp: all four flags together" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 75)" "$(rule getppid SCMP_ACT_NOTIFY)"
	update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]'
	start_listener val:555
	flags_or_error SECCOMP_FILTER_FLAG_TSYNC SECCOMP_FILTER_FLAG_LOG \
		SECCOMP_FILTER_FLAG_SPEC_ALLOW SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV || return 0
	sc_run /bin/sctest sys $YIELD -- sys "$(nr getppid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=75\nret=555'
	wait_listener
}

@test "seccomp: an unknown flag is refused" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1)"
	update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_BOGUS"]'
	runq rcreate
	assert_error "linux.seccomp.flags[0]" "SECCOMP_FILTER_FLAG_BOGUS"
	assert_clean
}
