#!/usr/bin/env bats
# The profile tools through the binary: `strait seccomp generate|merge|diff|check` on
# crafted profiles and evidence (outputs, reports, exit codes, one-line errors, atomic
# output files), and generated and merged profiles enforced in real containers.

load helpers
load seccomp-helpers

setup() {
	strait_only "strait seccomp tools"
	sc_setup
	T=$BATS_TEST_TMPDIR
	DOCKER=$DATA_DIR/profiles/docker-default-oci.json
}
teardown() { sc_teardown; }

# evidence FILE LABEL SHA RECORD...: an evidence file; each RECORD is
# "ARCH SYSCALL ACTION ERRNO COUNT" (ERRNO 0: none).
evidence() {
	local file=$1 label=$2 sha=$3 recs
	shift 3
	recs=$(for r in "$@"; do
		read -r arch sc act e n <<<"$r"
		jq -nc --arg a "$arch" --arg s "$sc" --arg act "$act" --argjson e "$e" --argjson n "$n" \
			'{syscall: $s, arch: $a, action: $act, count: $n, executables: ["/bin/sctest"]}
			 + (if $e > 0 then {errnoRet: $e} else {} end)'
	done | jq -s -c .)
	jq -n --arg l "$label" --arg sha "$sha" --argjson recs "$recs" \
		'{straitEvidence: 1, container: {id: "c-\($l)", bundle: "/b", label: $l},
		  baseProfile: {sha256: $sha, source: "config"},
		  start: "2026-11-22T18:00:00.000000000Z", end: "2026-11-22T18:05:00.000000000Z",
		  versions: {strait: "0", libseccomp: "2.5.4", kernel: "6"}, records: $recs}' >"$file"
}

# tool ARGS...: `strait seccomp ARGS` with separate stdout/stderr
tool() {
	run --separate-stderr "$RUNTIME" seccomp "$@"
}

# ---- generate ----

@test "seccomp generate: an allow-list from two runs, with the coverage report" {
	evidence "$T/a.json" startup aaaa "SCMP_ARCH_X86_64 read SCMP_ACT_ERRNO 1 10" \
		"SCMP_ARCH_X86_64 mkdir SCMP_ACT_ERRNO 1 3"
	evidence "$T/b.json" traffic aaaa "SCMP_ARCH_X86_64 read SCMP_ACT_ERRNO 1 5" \
		"SCMP_ARCH_X86_64 execve SCMP_ACT_ERRNO 1 1"
	tool generate "$T/a.json" "$T/b.json"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$(jq -c 'del(.straitProvenance)' <<<"$output")" \
		'{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["execve","mkdir","read"],"action":"SCMP_ACT_ALLOW"}]}'
	# where it came from: the report's hash, the runs, what they were recorded on
	assert_eq "$(jq -c '.straitProvenance | del(.generated, .reportSha256)' <<<"$output")" \
		'{"runs":2,"lastRun":"2026-11-22T18:05:00.000000000Z","facts":{"kernel":["6"],"libseccomp":["2.5.4"],"strait":["0"],"entrypoints":[],"executables":[],"image":[]}}'
	assert_eq "$(jq -r .straitProvenance.reportSha256 <<<"$output")" \
		"$(printf '%s\n' "$stderr" | sha256sum | cut -d' ' -f1)"
	assert_has_line "$stderr" "runs merged: 2"
	assert_has_line "$stderr" "labels: 2 (startup: 1 run, traffic: 1 run)"
	assert_has_line "$stderr" "  SCMP_ARCH_X86_64 read: 2/2 runs, 15 calls, SCMP_ACT_ERRNO(EPERM)"
	assert_has_line "$stderr" "weak evidence (seen in only one run): 2"
	assert_has_line "$stderr" "  SCMP_ARCH_X86_64 mkdir: only in run 1 (startup)"
	assert_has_line "$stderr" "  SCMP_ARCH_X86_64 execve: only in run 2 (traffic)"
	assert_contains "$stderr" "coverage is a confidence level, not a guarantee. 2 runs"
}

@test "seccomp generate: -o and --report write files atomically; the output is valid" {
	evidence "$T/a.json" one x "SCMP_ARCH_X86_64 getppid SCMP_ACT_ERRNO 1 1"
	tool generate -o "$T/p.json" --report "$T/r.txt" "$T/a.json"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" ""
	assert_eq "$stderr" ""
	jq -e '.syscalls[0].names == ["getppid"]' "$T/p.json" >/dev/null || fail "$(cat "$T/p.json")"
	grep -qx "runs merged: 1" "$T/r.txt" || fail "$(cat "$T/r.txt")"
	# no temporary files next to the outputs
	assert_eq "$(find "$T" -maxdepth 1 -name '.*' | wc -l)" 0
	# the generated profile passes its own check
	tool check "$T/p.json"
	assert_eq "$status" 0
	assert_eq "$output" "summary: 0 errors, 0 warnings, 0 notes"
}

@test "seccomp generate --base: a whole config.json as base; what changed is reported" {
	jq '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
		{names: ["getppid", "getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}' \
		"$BUNDLE/config.json" >"$T/base-config.json"
	evidence "$T/a.json" x other "SCMP_ARCH_X86_64 getppid SCMP_ACT_ERRNO 1 2"
	tool generate --base "$T/base-config.json" "$T/a.json"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$(jq -c '.syscalls' <<<"$output")" \
		'[{"names":["getpid"],"action":"SCMP_ACT_ERRNO","errnoRet":1},{"names":["getppid"],"action":"SCMP_ACT_ALLOW"}]'
	assert_contains "$stderr" $'taken out of base rules: 1\n  getppid (syscalls[0]: SCMP_ACT_ERRNO(EPERM))'
	assert_contains "$stderr" "warning: run 1 was recorded against sha256 other, not the base"
}

@test "seccomp generate: bad input is one error line naming the file" {
	echo '{"straitEvidence":1,"records":[{"syscall":"read"}]}' >"$T/bad.json"
	tool generate "$T/bad.json"
	assert_error "$T/bad.json" "records[0].arch"
	tool generate
	assert_error "missing EVIDENCE"
	tool generate --base "$T/nope.json" "$T/bad.json"
	assert_error "$T/nope.json" "No such file"
	assert_eq "$(ls "$T" | grep -c '^\.' || true)" 0
}

# ---- merge ----

@test "seccomp merge: union and intersection of crafted profiles" {
	echo '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","mkdir"],"action":"SCMP_ACT_ALLOW"},{"names":["ptrace"],"action":"SCMP_ACT_KILL_PROCESS"}]}' >"$T/a.json"
	echo '{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"},{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}' >"$T/b.json"
	tool merge --union "$T/a.json" "$T/b.json"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$(jq -c .syscalls <<<"$output")" '[{"names":["mkdir","read"],"action":"SCMP_ACT_ALLOW"}]'
	tool merge --intersect -o "$T/i.json" "$T/a.json" "$T/b.json"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$(jq -c .syscalls "$T/i.json")" \
		'[{"names":["read"],"action":"SCMP_ACT_ALLOW"},{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","errnoRet":13},{"names":["ptrace"],"action":"SCMP_ACT_KILL_PROCESS"}]'
	# merging a profile with itself changes nothing
	tool merge --intersect "$DOCKER" "$DOCKER"
	[ "$status" = 0 ] || fail "$stderr"
	echo "$output" >"$T/dd.json"
	tool diff "$DOCKER" "$T/dd.json"
	assert_eq "$status" 0
}

@test "seccomp merge: a conflict the rules cannot settle is an error naming it" {
	echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","errnoRet":13}]}' >"$T/a.json"
	echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","errnoRet":38}]}' >"$T/b.json"
	tool merge --union "$T/a.json" "$T/b.json"
	assert_error "mkdir: SCMP_ACT_ERRNO(EACCES) in $T/a.json and SCMP_ACT_ERRNO(ENOSYS) in $T/b.json"
	assert_eq "$output" ""
	tool merge "$T/a.json" "$T/b.json"
	assert_error "--union or --intersect"
	tool merge --union "$T/a.json"
	assert_error "at least two profiles"
}

@test "seccomp merge: the intersection of docker's profile and an allow-list, enforced" {
	echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":7}]}' >"$T/deny.json"
	echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ERRNO","errnoRet":9}]}' >"$T/deny2.json"
	tool merge --intersect -o "$T/m.json" "$T/deny.json" "$T/deny2.json"
	[ "$status" = 0 ] || fail "$stderr"
	set_profile "$(cat "$T/m.json")"
	sc_run /bin/sctest sys "$(nr getppid)" -- sys "$(nr getpid)" -- sys "$(nr gettid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=7\nerrno=9\nret=1'
}

# ---- diff ----

@test "seccomp diff: exit 0 when equal, 1 with the differences, 2 on error" {
	echo '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"},{"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]}]}' >"$T/a.json"
	echo '{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,"syscalls":[{"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]},{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}' >"$T/a2.json"
	echo '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"},{"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":0,"op":"SCMP_CMP_EQ"}]}]}' >"$T/b.json"
	tool diff "$T/a.json" "$T/a2.json"
	assert_eq "$status" 0
	assert_eq "$output" ""
	tool diff "$T/a.json" "$T/b.json"
	assert_eq "$status" 1
	assert_eq "$output" "different: SCMP_ARCH_X86_64 personality: SCMP_ACT_ALLOW if arg0 == 8; else SCMP_ACT_ERRNO(EPERM) vs SCMP_ACT_ALLOW if arg0 == 0; else SCMP_ACT_ERRNO(EPERM)
only in B: SCMP_ARCH_X86_64 write: SCMP_ACT_ERRNO(EPERM) vs SCMP_ACT_ALLOW"
	tool diff "$T/a.json" "$T/missing.json"
	assert_eq "$status" 2
	assert_contains "$stderr" "strait: $T/missing.json"
	tool diff "$T/a.json"
	assert_eq "$status" 2
}

@test "seccomp diff: docker's profile against a generated one, per arch" {
	evidence "$T/e.json" x y "SCMP_ARCH_X86_64 read SCMP_ACT_ERRNO 1 1"
	tool generate -o "$T/g.json" "$T/e.json"
	tool diff "$T/g.json" "$DOCKER"
	assert_eq "$status" 1
	assert_has_line "$output" "only in B: architecture SCMP_ARCH_X86 (A kills the process on any syscall of it)"
	assert_has_line "$output" "only in B: SCMP_ARCH_X86_64 write: SCMP_ACT_ERRNO(EPERM) vs SCMP_ACT_ALLOW"
	# read is allowed by both: not a difference
	assert_not_contains "$output" " read: "
}

# ---- check ----

@test "seccomp check: findings, exit codes, and evidence the profile would block" {
	echo '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","execve","mount"],"action":"SCMP_ACT_ALLOW"},{"names":["getpid"],"action":"SCMP_ACT_ALLOW","errnoRet":3},{"names":["read"],"action":"SCMP_ACT_LOG"}]}' >"$T/p.json"
	tool check "$T/p.json"
	assert_eq "$status" 1
	assert_has_line "$output" "error: syscalls[1].errnoRet: SCMP_ACT_ALLOW takes no errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)"
	assert_has_line "$output" "error: syscalls[0] (SCMP_ACT_ALLOW) and syscalls[2] (SCMP_ACT_LOG) conflict on \"read\": a rule without argument conditions overrides any other for the syscall, whatever the order; strait refuses the profile"
	assert_has_line "$output" "warning: dangerous: syscalls[0] allows \"mount\" unconditionally (mounts filesystems)"
	assert_has_line "$output" "summary: 2 errors, 1 warning, 0 notes"

	echo '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","execve"],"action":"SCMP_ACT_ALLOW"}]}' >"$T/q.json"
	tool check "$T/q.json"
	assert_eq "$status" 0
	evidence "$T/e1.json" a s "SCMP_ARCH_X86_64 read SCMP_ACT_ERRNO 1 1" \
		"SCMP_ARCH_X86_64 mkdir SCMP_ACT_ERRNO 1 4"
	evidence "$T/e2.json" b s "SCMP_ARCH_X86_64 mkdir SCMP_ACT_ERRNO 1 1"
	tool check "$T/q.json" "$T/e1.json" "$T/e2.json"
	assert_eq "$status" 1
	# mkdir (83) is above every number the profile names: compile.c's version-skew
	# rule answers ENOSYS there, and check reports what the filter really does
	assert_has_line "$output" "blocked: SCMP_ARCH_X86_64 mkdir: SCMP_ACT_ERRNO(ENOSYS) (2 runs, 5 calls)"
	assert_has_line "$output" "summary: 0 errors, 0 warnings, 1 note, 1 recorded syscall blocked"
	tool check "$T/none.json"
	assert_eq "$status" 2
	assert_contains "$stderr" "strait: $T/none.json"
}

@test "seccomp check: docker's profile is read and linted" {
	tool check "$DOCKER"
	# docker's list names syscalls newer than this libseccomp: warnings, not errors
	[ "$status" = 0 ] || [ "$status" = 1 ] || fail "status $status: $stderr"
	assert_contains "$output" "allows \"clone\" under argument conditions"
	assert_not_contains "$output" "error: "
}

# ---- generated profiles, enforced ----

@test "seccomp generate: the generated profile lets the recorded syscall through and keeps the rest" {
	# the base denies getppid and getpid; the evidence shows the workload needs getppid
	echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getppid","getpid"],"action":"SCMP_ACT_ERRNO","errnoRet":33}]}' >"$T/base.json"
	evidence "$T/e.json" run1 x "SCMP_ARCH_X86_64 getppid SCMP_ACT_ERRNO 33 1"
	tool generate --base "$T/base.json" -o "$T/p.json" "$T/e.json"
	[ "$status" = 0 ] || fail "$stderr"
	set_profile "$(cat "$T/p.json")"
	sc_run /bin/sctest sys "$(nr getppid)" -- sys "$(nr getpid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'ret=0\nerrno=33'
	# check with the same evidence finds nothing blocked (the ALLOW default still
	# earns its dangerous-allowance warnings)
	tool check "$T/p.json" "$T/e.json"
	assert_eq "$status" 1
	assert_not_contains "$output" "blocked: "
	assert_has_line "$output" "warning: dangerous: defaultAction allows \"mount\" unconditionally (mounts filesystems)"
	assert_contains "$output" ", 0 recorded syscalls blocked"
}

@test "seccomp generate: real log-mode runs, merged, enforced; an unexercised path is blocked" {
	set_profile '{defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64"], syscalls: []}'
	work='rm -rf /tmp/w; mkdir /tmp/w && echo hi >/tmp/w/f && cat /tmp/w/f'
	set_args /bin/sh -c "$work"
	runq rrun --seccomp-mode=log --seccomp-label startup --seccomp-evidence "$T/e1.json"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" hi
	set_args /bin/sh -c "$work; chmod 600 /tmp/w/f"
	runq rrun --seccomp-mode=log --seccomp-label admin --seccomp-evidence "$T/e2.json"
	[ "$status" = 0 ] || fail "$stderr"

	tool generate -o "$T/p.json" "$T/e1.json" "$T/e2.json"
	[ "$status" = 0 ] || fail "$stderr"
	assert_has_line "$stderr" "labels: 2 (admin: 1 run, startup: 1 run)"
	# the profile allows exactly what the runs recorded
	assert_eq "$(jq -c '.syscalls[0].names' "$T/p.json")" \
		"$(jq -s -c '[.[].records[].syscall] | unique' "$T/e1.json" "$T/e2.json")"
	# what only the admin run did is weak evidence, with a count of 1 run
	only2=$(jq -s -r '([.[1].records[].syscall] - [.[0].records[].syscall])[]' "$T/e1.json" "$T/e2.json")
	[ -n "$only2" ] || fail "the admin run recorded nothing of its own"
	for s in $only2; do
		assert_has_line "$stderr" "  SCMP_ARCH_X86_64 $s: only in run 2 (admin)"
		assert_contains "$stderr" "  SCMP_ARCH_X86_64 $s: 1/2 runs,"
	done

	set_profile "$(cat "$T/p.json")"
	set_args /bin/sh -c "$work; chmod 600 /tmp/w/f; echo chmod=\$?"
	runq rrun
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'hi\nchmod=0'
	# a symlink was never made while recording: EPERM, the profile's errno
	set_args /bin/sh -c "$work; ln -s f /tmp/w/l; echo ln=\$?"
	runq rrun
	assert_eq "$output" $'hi\nln=1'
	assert_contains "$stderr" "Operation not permitted"
}
