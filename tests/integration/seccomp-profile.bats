#!/usr/bin/env bats
# Profile semantics beyond single actions: compat architectures (int 0x80 bypass
# attempts), unknown syscall names, the version-skew ENOSYS rule, spec validation
# errors, syscalls strait itself needs after loading, startContainer hooks and exec.

load helpers
load seccomp-helpers

setup() { sc_setup; }
teardown() { sc_teardown; }

# ---- compat architectures ----

# getppid is 110 on x86_64 and 64 on i386; the rule names it, libseccomp maps the name
# per architecture.
getppid_profile() {
	set_profile "{defaultAction: \"SCMP_ACT_ALLOW\", architectures: $1,
		syscalls: [{names: [\"getppid\"], action: \"SCMP_ACT_ERRNO\", errnoRet: 1234}]}"
}

@test "seccomp bypass: without a profile int 0x80 reaches the i386 getppid (control)" {
	requires_m32
	sc_run /bin/sctest int80 "$(nr32 getppid)" -- sys "$(nr getppid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'ret=0\nret=0'
	sc_run /bin/sctest32 int80 "$(nr32 getppid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" "ret=0"
}

@test "seccomp bypass: x86_64-only profile: int 0x80 from an x86_64 process is blocked" {
	requires_m32
	getppid_profile '["SCMP_ARCH_X86_64"]'
	sc_run /bin/sctest sys "$(nr getppid)" -- int80 "$(nr32 getppid)" -- sys "$(nr getpid)"
	# The denied call through the i386 entry must not succeed: strait kills a
	# syscall of an architecture the filter does not cover.
	assert_sigsys
	assert_eq "$output" "errno=1234"
}

@test "seccomp bypass: x86_64-only profile: a static i386 binary cannot run" {
	requires_m32
	getppid_profile '["SCMP_ARCH_X86_64"]'
	sc_run /bin/sctest32 int80 "$(nr32 getppid)"
	assert_sigsys
	assert_eq "$output" ""
}

@test "seccomp bypass: x86_64-only profile: x32 syscall numbers are blocked" {
	getppid_profile '["SCMP_ARCH_X86_64"]'
	# x32 numbers carry bit 30; getppid through the x32 table
	sc_run /bin/sctest sys $((0x40000000 + $(nr getppid)))
	# never a success; the filter kills (this kernel may not even have x32)
	assert_not_contains "$output" "ret="
	[ "$status" != 0 ] || [ "$output" = "errno=1234" ] || [ "$output" = "errno=38" ] ||
		fail "status $status, output $output"
	is_strait && assert_sigsys
	true
}

@test "seccomp bypass: profile listing x86: the rule applies to i386 calls too" {
	requires_m32
	getppid_profile '["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"]'
	sc_run /bin/sctest32 int80 "$(nr32 getppid)" -- sys "$(nr32 getppid)" -- int80 "$(nr32 getpid)"
	[ "$status" = 0 ] || fail "status $status: $stderr"
	assert_eq "$output" $'errno=1234\nerrno=1234\nret=1'
	sc_run /bin/sctest int80 "$(nr32 getppid)" -- sys "$(nr getppid)" -- int80 "$(nr32 getpid)"
	[ "$status" = 0 ] || fail "status $status: $stderr"
	assert_eq "$output" $'errno=1234\nerrno=1234\nret=1'
}

@test "seccomp bypass: profile listing only x86: the native arch is still filtered" {
	requires_m32
	strait_only "the native arch is always included"
	getppid_profile '["SCMP_ARCH_X86"]'
	sc_run /bin/sctest sys "$(nr getppid)" -- int80 "$(nr32 getppid)"
	[ "$status" = 0 ] || fail "status $status: $stderr"
	assert_eq "$output" $'errno=1234\nerrno=1234'
}

@test "seccomp bypass: the built-in profile denies mount and unshare through int 0x80" {
	requires_m32
	strait_only "built-in profile"
	echo "seccomp-policy = runtime-default" >"$SC_CONF"
	add_caps CAP_SYS_ADMIN
	# mount(NULL, NULL, ...) and unshare(CLONE_NEWNS|1): EFAULT / EINVAL unconfined,
	# EPERM from the filter
	local args=(int80 "$(nr32 mount)" 0 0 0 0 0 -- int80 "$(nr32 unshare)" 0x20001)
	sc_run /bin/sctest "${args[@]}"
	[ "$status" = 0 ] || fail "status $status: $stderr"
	assert_eq "$output" $'errno=1\nerrno=1'
	sc_run /bin/sctest32 "${args[@]}"
	[ "$status" = 0 ] || fail "status $status: $stderr"
	assert_eq "$output" $'errno=1\nerrno=1'
	# control: the same calls without a filter
	echo "seccomp-policy = permissive" >"$SC_CONF"
	sc_run /bin/sctest32 "${args[@]}"
	[ "$status" = 0 ] || fail "status $status: $stderr"
	assert_eq "$output" $'errno=14\nerrno=22'
}

# ---- unknown syscall names ----

@test "seccomp: unknown syscall names: skipped quietly, named once in the debug log and the record" {
	strait_only "debug log and record"
	allow_profile '{"names":["sched_yield","strait_no_such_call"],"action":"SCMP_ACT_ERRNO","errnoRet":5}' \
		'{"names":["another_fake_call","strait_no_such_call"],"action":"SCMP_ACT_ERRNO","errnoRet":6}' \
		'{"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":7}'
	set_args /bin/sctest sys 24 -- sys "$(nr getppid)"
	runq runtime --debug create --bundle "$BUNDLE" "$CID"
	[ "$status" = 0 ] || fail "create --debug: $stderr"
	assert_eq "$(warning_lines)" 0 "warnings: $stderr"
	assert_contains "$stderr" "strait_no_such_call" "another_fake_call"
	assert_eq "$(grep -c 'skipped: .*strait_no_such_call' <<<"$stderr")" 1 "one debug line"
	runtime delete -f "$CID"
	create_ok
	[ -z "$stderr" ] || fail "stderr without --debug: $stderr"
	assert_eq "$(sc_status | jq -c .unknownSkipped)" '["strait_no_such_call","another_fake_call"]'
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" $'errno=5\nerrno=7'
}

@test "seccomp: run.oci.seccomp_fail_unknown_syscall=1 makes unknown names an error" {
	strait_only "crun's annotation, which $RUNTIME_NAME ignores"
	allow_profile '{"names":["sched_yield","strait_no_such_call","another_fake_call"],"action":"SCMP_ACT_ERRNO"}'
	update_config '.annotations["run.oci.seccomp_fail_unknown_syscall"] = "1"'
	set_args /bin/sctest sys 24
	runq rcreate
	assert_error "strait_no_such_call" "another_fake_call"
	assert_clean
	# the same profile compiled and cached by an earlier start: still an error
	update_config 'del(.annotations)'
	sc_run /bin/sctest sys 24
	[ "$status" = 0 ] || fail "$stderr"
	update_config '.annotations["run.oci.seccomp_fail_unknown_syscall"] = "1"'
	runq rcreate
	assert_error "strait_no_such_call" "another_fake_call"
	assert_clean
}

@test "seccomp: run.oci.seccomp_fail_unknown_syscall=0 keeps skipping, quietly" {
	strait_only "crun's annotation"
	allow_profile '{"names":["sched_yield","strait_no_such_call"],"action":"SCMP_ACT_ERRNO","errnoRet":5}'
	update_config '.annotations["run.oci.seccomp_fail_unknown_syscall"] = "0"'
	sc_run /bin/sctest sys 24
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" "errno=5"
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

# ---- version skew ----
# deny_profile allows SC_BASE_SYSCALLS; the highest of them is rseq (334). A syscall
# numbered above everything the profile names gets ENOSYS, one below gets the default
# errno. process_mrelease (448) with pidfd -1 fails with EBADF when it runs.

@test "seccomp: defaultAction ERRNO: syscalls newer than the profile get ENOSYS" {
	local mrel
	mrel=$(nr process_mrelease) || skip "libc headers lack process_mrelease"
	sc_run /bin/sctest sys "$mrel" -1 0
	assert_eq "$output" "errno=9" "control: the kernel runs process_mrelease"

	deny_profile
	sc_run /bin/sctest sys "$mrel" -1 0 -- sys 1000 -- sys 0x3fffffff -- sys "$(nr getppid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=38\nerrno=38\nerrno=38\nerrno=1'

	deny_profile 'defaultErrnoRet: 13'
	sc_run /bin/sctest sys "$mrel" -1 0 -- sys "$(nr getppid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=38\nerrno=13'
}

@test "seccomp: the ENOSYS line moves with the highest syscall the profile names" {
	local mrel
	mrel=$(nr process_mrelease) || skip "libc headers lack process_mrelease"
	deny_profile
	update_config '.linux.seccomp.syscalls += [{names: ["process_mrelease"],
		action: "SCMP_ACT_ERRNO", errnoRet: 20}]'
	# named: its rule; below it and unnamed: the default errno; above it: ENOSYS
	sc_run /bin/sctest sys "$mrel" -1 0 -- sys $((mrel - 1)) -- sys $((mrel + 1)) -- sys 1000
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=20\nerrno=1\nerrno=38\nerrno=38'
}

@test "seccomp: other default actions get no ENOSYS rule" {
	local mrel
	mrel=$(nr process_mrelease) || skip "libc headers lack process_mrelease"
	deny_profile
	update_config '.linux.seccomp.defaultAction = "SCMP_ACT_KILL_PROCESS"'
	sc_run /bin/sctest sys "$mrel" -1 0
	assert_sigsys
	deny_profile
	update_config '.linux.seccomp.defaultAction = "SCMP_ACT_TRAP"'
	sc_run /bin/sctest sys 1000
	assert_sigsys
}

# ---- spec validation: exit non-zero, one line naming the field and value, nothing
# left behind (no state dir, cgroup, process, mount) ----

# bad_profile PROFILE NEEDLE...: create fails with one line containing every needle.
bad_profile() {
	local p=$1
	shift
	set_profile "$p"
	set_args /bin/sctest sys 24
	runq rcreate
	assert_error "$@"
	assert_clean
	# run fails the same way
	runq rrun
	assert_error "$@"
	assert_clean
}

@test "seccomp spec: errnoRet on an action that takes no errno" {
	strait_only "$RUNTIME_NAME does not check this rule"
	local a
	for a in SCMP_ACT_ALLOW SCMP_ACT_KILL_PROCESS SCMP_ACT_KILL SCMP_ACT_TRAP SCMP_ACT_LOG; do
		bad_profile "{defaultAction: \"SCMP_ACT_ALLOW\",
			syscalls: [{names: [\"getppid\"], action: \"SCMP_ACT_ERRNO\"},
				   {names: [\"sched_yield\"], action: \"$a\", errnoRet: 5}]}" \
			"config.json" "linux.seccomp.syscalls[1].errnoRet" "$a"
	done
}

@test "seccomp spec: defaultErrnoRet on a default action that takes no errno" {
	strait_only "$RUNTIME_NAME does not check this rule"
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW", defaultErrnoRet: 5}' \
		"config.json" "linux.seccomp.defaultErrnoRet" "SCMP_ACT_ALLOW"
}

@test "seccomp spec: listenerMetadata without listenerPath" {
	strait_only "$RUNTIME_NAME does not check this rule"
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW", listenerMetadata: "foo"}' \
		"config.json" "linux.seccomp.listenerMetadata" "listenerPath"
}

@test "seccomp spec: SCMP_ACT_NOTIFY without listenerPath" {
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["getppid"], action: "SCMP_ACT_NOTIFY"}]}' \
		"config.json" "linux.seccomp.syscalls[0].action" "SCMP_ACT_NOTIFY" "listenerPath"
}

@test "seccomp spec: SCMP_ACT_NOTIFY as the default action" {
	bad_profile '{defaultAction: "SCMP_ACT_NOTIFY", listenerPath: "/nonexistent.sock"}' \
		"config.json" "linux.seccomp.defaultAction" "SCMP_ACT_NOTIFY cannot be used as default action"
}

@test "seccomp spec: SCMP_ACT_NOTIFY on write is refused, as runc refuses it" {
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW", listenerPath: "/nonexistent.sock",
		syscalls: [{names: ["write"], action: "SCMP_ACT_NOTIFY"}]}' \
		"config.json" "linux.seccomp.syscalls[0].names[0]" "SCMP_ACT_NOTIFY cannot be used for the write syscall"
}

@test "seccomp spec: argument index over 5" {
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["getppid"],
		action: "SCMP_ACT_ERRNO", args: [{index: 0, value: 1, op: "SCMP_CMP_EQ"},
						  {index: 6, value: 1, op: "SCMP_CMP_EQ"}]}]}' \
		"config.json" "linux.seccomp.syscalls[0].args[1].index" "6"
}

@test "seccomp spec: unknown action" {
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW",
		syscalls: [{names: ["getppid"], action: "SCMP_ACT_EXPLODE"}]}' \
		"config.json" "linux.seccomp.syscalls[0].action" "SCMP_ACT_EXPLODE"
	bad_profile '{defaultAction: "SCMP_ACT_NOPE"}' \
		"config.json" "linux.seccomp.defaultAction" "SCMP_ACT_NOPE"
}

@test "seccomp spec: unknown operator" {
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["getppid"],
		action: "SCMP_ACT_ERRNO", args: [{index: 0, value: 1, op: "SCMP_CMP_ALMOST"}]}]}' \
		"config.json" "linux.seccomp.syscalls[0].args[0].op" "SCMP_CMP_ALMOST"
}

@test "seccomp spec: unknown architecture" {
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"]}' \
		"config.json" "linux.seccomp.architectures[1]" "SCMP_ARCH_VAX"
}

@test "seccomp spec: unknown flag" {
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_TURBO"]}' \
		"config.json" "linux.seccomp.flags[1]" "SECCOMP_FILTER_FLAG_TURBO"
}

@test "seccomp spec: a rule with no names, or an empty name" {
	strait_only "$RUNTIME_NAME does not check this rule"
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: [], action: "SCMP_ACT_ERRNO"}]}' \
		"config.json" "linux.seccomp.syscalls[0].names"
	bad_profile '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["getppid", ""], action: "SCMP_ACT_ERRNO"}]}' \
		"config.json" "linux.seccomp.syscalls[0].names[1]"
}

# ---- what strait itself calls after the load ----

@test "seccomp: noNewPrivileges=true: a profile denying execve fails create, naming it" {
	strait_only "strait checks the syscalls it makes after the load at create time"
	allow_profile "$(rule execve SCMP_ACT_ERRNO)"
	set_args /bin/sctest sys 24
	runq rcreate
	assert_error "execve"
	assert_clean
}

@test "seccomp: noNewPrivileges=false: the filter still applies to the workload" {
	update_config '.process.noNewPrivileges = false'
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 31)"
	sc_run /bin/sh -c '/bin/sctest sys 24; grep -E "^(NoNewPrivs|Seccomp):" /proc/self/status'
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=31\nNoNewPrivs:\t0\nSeccomp:\t2'
}

@test "seccomp: noNewPrivileges=false: denying what strait calls after loading names it" {
	strait_only "strait's own syscalls"
	update_config '.process.noNewPrivileges = false'
	local s
	for s in capset setresuid execve; do
		allow_profile "$(rule $s SCMP_ACT_ERRNO)"
		set_args /bin/sctest sys 24
		runq rcreate
		assert_error "$s"
		assert_clean
	done
}

@test "seccomp: a NOTIFY profile denying sendmsg fails create, naming it" {
	strait_only "strait's own syscalls"
	allow_profile "$(rule getppid SCMP_ACT_NOTIFY)" "$(rule sendmsg SCMP_ACT_ERRNO)"
	start_listener val:1
	set_args /bin/sctest sys 24
	runq rcreate
	assert_error "sendmsg"
	assert_clean
}

# ---- hooks and exec ----

@test "seccomp: startContainer hooks run under the workload's filter, as runc and crun run them" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 44)"
	update_config '.hooks.startContainer = [{path: "/bin/sh",
		args: ["sh", "-c", "/bin/sctest sys 24 > /hook.out; grep ^Seccomp: /proc/self/status >> /hook.out"]}]'
	sc_run /bin/sctest sys 24
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" "errno=44"
	assert_eq "$(cat "$BUNDLE/rootfs/hook.out")" $'errno=44\nSeccomp:\t2'
}

@test "seccomp: observe mode: the runtime's own syscalls are not in the evidence" {
	strait_only "observe mode"
	"$RUNTIME" run --help 2>&1 | grep -q -- --seccomp-evidence ||
		skip "this strait has no observe mode (issue 4)"
	# The profile denies execve. Nothing of strait's runs under the twin but the execve
	# of the workload's entrypoint, which is recorded (no syscall is exempt, and a
	# profile generated without it could not start the workload) but not attributed to
	# strait's binary: it is not a workload executable. The shell's execve of sctest is
	# the second one. No other syscall of strait's appears.
	allow_profile "$(rule execve SCMP_ACT_ERRNO)" "$(rule sched_yield SCMP_ACT_ERRNO)"
	set_args /bin/sh -c '/bin/sctest sys 24; true'
	local ev=$BATS_TEST_TMPDIR/evidence.json
	runq rrun --seccomp-mode log --seccomp-evidence "$ev"
	[ "$status" = 0 ] || fail "status $status: $stderr"
	assert_eq "$output" "ret=0"
	jq -e . "$ev" >/dev/null || fail "no evidence"
	assert_eq "$(jq -c '[.records[] | {syscall, count, executables}] | sort_by(.syscall)' "$ev")" \
		'[{"syscall":"execve","count":2,"executables":["/bin/busybox"]},{"syscall":"sched_yield","count":1,"executables":["/bin/sctest"]}]' \
		"evidence: $(jq -c .records "$ev")"
}

# exec_supported: skips unless the runtime has an exec command.
exec_supported() {
	"$RUNTIME" exec --help >/dev/null 2>&1 ||
		skip "$RUNTIME_NAME has no exec command yet (strait exec is a later issue)"
}

@test "seccomp: exec gets the container's filter" {
	exec_supported
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 45)"
	set_args /bin/sctest sleep
	run_detached_ok
	wait_status "$CID" running
	# (no "--" in the command: getopt-style parsers of the runtime would eat it)
	runq runtime exec "$CID" /bin/sctest sys 24
	[ "$status" = 0 ] || fail "exec: $stderr"
	assert_eq "$output" "errno=45"
	runq runtime exec "$CID" /bin/sctest sys "$(nr getppid)"
	[ "$status" = 0 ] || fail "exec: $stderr"
	assert_eq "$output" "ret=0"
	runtime kill "$CID" KILL
	wait_status "$CID" stopped
}

@test "seccomp: exec into a privileged container runs unconfined" {
	exec_supported
	strait_only "privileged semantics"
	make_privileged
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 46)"
	set_args /bin/sctest sleep
	run_detached_ok
	wait_status "$CID" running
	runq runtime exec "$CID" /bin/sctest sys 24
	[ "$status" = 0 ] || fail "exec: $stderr"
	assert_eq "$output" "ret=0"
	assert_eq "$(warning_lines)" 1 "$stderr"
	runtime kill "$CID" KILL
	wait_status "$CID" stopped
}
