#!/usr/bin/env bats
# Deny-and-record (issue 12, part 1): --seccomp-denials=record enforces the profile
# exactly as written and records every call it answers with an errno, deduplicated,
# with the arguments its rules tested; `strait seccomp denials ID` shows them while the
# container runs; the evidence feeds generate/check unchanged; a recorder that goes
# away leaves the workload with ENOSYS, never hanging. The loop end to end: a profile
# generated from one observed run, a second run that takes a new path and is denied
# and recorded, `generate --base` from the denials, and a third run that passes.

load helpers
load seccomp-helpers
load observe-helpers

setup() {
	strait_only "recording denials is a strait feature"
	obs_setup
}
teardown() { obs_teardown; }

# A profile that allows everything but mkdir (EACCES) and personality(8) (EPERM).
DENY_PROFILE='{"defaultAction": "SCMP_ACT_ALLOW",
	"syscalls": [
		{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
		{"names": ["personality"], "action": "SCMP_ACT_ERRNO",
		 "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]}'

DENY_SCRIPT='for i in 1 2 3; do mkdir /made; done; linux32 true; echo "linux32: $?"; echo done'

# denial FILE SYSCALL: the record of SYSCALL in FILE, compact.
denial() {
	jq -c --arg s "$2" '.records[] | select(.syscall == $s)' "$1"
}

@test "record: the profile is enforced as written; each denial is one record with its count, errno, tested arguments and caller" {
	local ev=$BATS_TEST_TMPDIR/denials.json rec
	obs_profile "$DENY_PROFILE"
	set_args /bin/sh -c "$DENY_SCRIPT"
	# the reference: plain enforcement
	runq rrun
	local ref_status=$status ref_out=$output ref_err=$stderr
	assert_eq "$ref_out" "linux32: 1
done"
	assert_eq "$(grep -c "can't create directory '/made': Permission denied" <<<"$ref_err")" 3

	runq rrun --seccomp-denials=record --seccomp-evidence "$ev"
	assert_eq "$status" "$ref_status"
	assert_eq "$output" "$ref_out"
	assert_eq "$stderr" "$ref_err"
	[ ! -e "$BUNDLE/rootfs/made" ] || fail "mkdir was not denied"
	assert_eq "$(jq -r .mode "$ev")" enforce
	assert_eq "$(jq '.records | length' "$ev")" 2
	rec=$(denial "$ev" mkdir)
	assert_eq "$(jq -c '[.action, .errnoRet, .count, .executables, (.args // null)]' <<<"$rec")" \
		'["SCMP_ACT_ERRNO",13,3,["/bin/busybox"],null]'
	# three processes (one per mkdir), by their pid inside the container
	assert_eq "$(jq '.processes | length' <<<"$rec")" 3
	assert_eq "$(jq -r '[.processes[].comm] | unique | join(" ")' <<<"$rec")" mkdir
	[ "$(jq '[.processes[].pid] | max' <<<"$rec")" -lt 100 ] ||
		fail "pids are not the container's: $rec"
	rec=$(denial "$ev" personality)
	assert_eq "$(jq -c '[.action, .errnoRet, .count, .args]' <<<"$rec")" \
		'["SCMP_ACT_ERRNO",1,1,[{"index":0,"value":8}]]'
	# what the profile allows never reaches the recorder: no execve, no write, ...
	assert_not_recorded "$ev" execve write clone wait4
	assert_eq "$(jq '.runtimeRecords | length' "$ev")" 0
	# the decision record says so
	runq rrun --seccomp-denials=record --keep
	assert_eq "$(sc_status | jq -r '.mode + " " + .denials')" "enforce record"
	runtime delete "$CID"
	runq rrun --keep
	assert_eq "$(sc_status | jq -r '.mode + " " + .denials')" "enforce off"
	runtime delete "$CID"
}

@test "record: a storm of one denial is one record with its count" {
	local ev=$BATS_TEST_TMPDIR/denials.json
	obs_profile "$DENY_PROFILE"
	set_args /bin/sh -c 'i=0; while [ $i -lt 2000 ]; do mkdir /made 2>/dev/null; i=$((i+1)); done; echo done'
	runq rrun --seccomp-denials=record --seccomp-evidence "$ev"
	[ "$status" = 0 ] || fail "run failed ($status): $stderr"
	assert_eq "$(jq -c '[.records[] | [.syscall, .count]]' "$ev")" '[["mkdir",2000]]'
	# bounded lists of callers, not one entry per call
	assert_eq "$(jq '.records[0].processes | length' "$ev")" 16
}

@test "denials: strait seccomp denials ID shows a running container's denials, and its exec'd processes'" {
	local live json
	obs_profile "$DENY_PROFILE"
	set_args /bin/sh -c 'mkdir /made; linux32 true; sleep 30'
	start_recorder
	create_ok --seccomp-denials=record --seccomp-recorder "$REC_SOCK"
	runq runtime seccomp denials "$CID"
	[ "$status" = 0 ] || fail "denials failed: $stderr"
	assert_has_line "$output" "init: no denials"
	runtime start "$CID"
	wait_status "$CID" running
	live=$ROOT/$CID/seccomp-denials.json
	wait_file "$live"
	# the snapshot follows within a quarter second
	local n=40
	until [ "$(jq '.records | length' "$live")" = 2 ] || [ $n = 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	runq runtime seccomp denials "$CID"
	[ "$status" = 0 ] || fail "denials failed: $stderr"
	assert_contains "$output" "init: 2 distinct denials, 2 calls"
	assert_contains "$output" "SCMP_ARCH_X86_64 mkdir: SCMP_ACT_ERRNO(EACCES), 1 call"
	assert_contains "$output" "SCMP_ARCH_X86_64 personality arg0=0x8: SCMP_ACT_ERRNO(EPERM), 1 call"
	assert_eq "$stderr" ""
	# --json is the evidence file, which the profile tools read as it is
	runtime seccomp denials --json "$CID" >"$BATS_TEST_TMPDIR/d.json"
	assert_eq "$(jq -r '.mode + " " + .container.id' "$BATS_TEST_TMPDIR/d.json")" "enforce $CID"
	jq .linux.seccomp "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/prof.json"
	runq "$RUNTIME" seccomp check "$BATS_TEST_TMPDIR/prof.json" "$BATS_TEST_TMPDIR/d.json"
	assert_has_line "$output" "blocked: SCMP_ARCH_X86_64 mkdir: SCMP_ACT_ERRNO(EACCES) (1 run, 1 call)"

	# exec'd processes are recorded by the container's agent, in their own file
	runq runtime exec "$CID" /bin/mkdir /made2
	assert_eq "$status" 1
	assert_contains "$stderr" "Permission denied"
	n=40
	until ls "$ROOT/$CID"/seccomp-denials.exec-*.json >/dev/null 2>&1 || [ $n = 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	runq runtime seccomp denials "$CID"
	assert_contains "$output" "exec'd process "
	assert_eq "$(grep -c 'mkdir: SCMP_ACT_ERRNO(EACCES), 1 call' <<<"$output")" 2
	runtime delete --force "$CID"
	assert_clean
	# the agent kept the evidence of both
	stop_recorder
	assert_eq "$(ls "$REC_DIR" | wc -l)" 2
	json=$(cat "$REC_DIR"/*.json | jq -s '[.[].records[].syscall] | sort | join(" ")')
	assert_eq "$json" '"mkdir mkdir personality"'
}

@test "denials: a container that does not record denials says so" {
	obs_profile "$DENY_PROFILE"
	set_args /bin/sleep 30
	create_ok
	runq runtime seccomp denials "$CID"
	assert_error "does not record its seccomp denials"
	runq runtime seccomp denials nosuch
	assert_error "nosuch"
	runtime delete --force "$CID"
}

@test "record: when the recorder goes away the workload gets ENOSYS and never hangs" {
	obs_profile "$DENY_PROFILE"
	set_args /bin/sh -c 'mkdir /made; while [ ! -e /tmp/go ]; do sleep 0.05; done; mkdir /made; echo after'
	start_recorder
	create_ok --seccomp-denials=record --seccomp-recorder "$REC_SOCK"
	runtime start "$CID"
	wait_status "$CID" running
	wait_file "$ROOT/$CID/seccomp-denials.json"
	# SIGKILL: no chance to answer anything; the listener closes with the process
	kill -KILL "$RECORDER_PID"
	wait "$RECORDER_PID" || true
	RECORDER_PID=
	touch "$BUNDLE/rootfs/tmp/go"
	wait_status "$CID" stopped 10
	assert_eq "$(cat "$CTR_OUT")" after
	assert_eq "$(cat "$CTR_ERR")" "mkdir: can't create directory '/made': Permission denied
mkdir: can't create directory '/made': Function not implemented"
	runtime delete "$CID"
	assert_clean
}

@test "record: KILL and TRAP stay the kernel's: the process dies, nothing is recorded" {
	local ev=$BATS_TEST_TMPDIR/denials.json
	obs_profile '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL_PROCESS"}]}'
	set_args /bin/mkdir /made
	runq rrun --seccomp-denials=record --seccomp-evidence "$ev"
	assert_eq "$status" 159
	assert_eq "$(jq '.records | length' "$ev")" 0
}

@test "record: strait.conf turns it on for every container; the flag wins; no annotation changes it" {
	obs_profile "$DENY_PROFILE"
	set_args /bin/mkdir /made
	echo 'seccomp-denials = record' >"$OBS_CONF"
	update_config '.annotations["org.strait.seccomp.denials"] = "off"'
	runq rrun --keep
	assert_eq "$(sc_status | jq -r .denials)" record
	[ -s "$ROOT/$CID/seccomp-denials.json" ] || fail "no denials recorded"
	runtime delete "$CID"
	runq rrun --keep --seccomp-denials=off
	assert_eq "$(sc_status | jq -r .denials)" off
	runtime delete "$CID"
	# nor can an annotation turn it on
	echo 'seccomp-denials = off' >"$OBS_CONF"
	update_config '.annotations["org.strait.seccomp.denials"] = "record"'
	runq rrun --keep
	assert_eq "$(sc_status | jq -r .denials)" off
	runtime delete "$CID"
}

@test "record: bad input is one line and leaves nothing behind" {
	obs_profile "$DENY_PROFILE"
	runq rrun --seccomp-denials=bogus
	assert_error "--seccomp-denials" "bogus"
	assert_clean
	echo 'seccomp-denials = always' >"$OBS_CONF"
	runq rrun
	assert_error "$OBS_CONF" "seccomp-denials" "always"
	assert_clean
	: >"$OBS_CONF"
	# create without a recorder: nobody could hold the listener
	runq rcreate --seccomp-denials=record
	assert_error "seccomp-denials=record needs a recorder"
	assert_clean
	# a profile with its own listener: one filter has one listener
	obs_profile '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/none.sock",
		"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
	runq rrun --seccomp-denials=record
	assert_error "SCMP_ACT_NOTIFY" "/run/none.sock"
	assert_clean
}

@test "the loop: observe, generate, a new path denied and recorded in production, generate --base from the denials, and the next run passes" {
	local ev=$BATS_TEST_TMPDIR/observed.json gen=$BATS_TEST_TMPDIR/gen.json
	local den=$BATS_TEST_TMPDIR/denials.json gen2=$BATS_TEST_TMPDIR/gen2.json
	obs_profile "$OBS_EMPTY_PROFILE"
	obs_reset_rootfs
	runq rrun --seccomp-mode=log --seccomp-evidence "$ev"
	[ "$status" = 0 ] || fail "observed run failed: $stderr"
	runq "$RUNTIME" seccomp generate -o "$gen" --report "$gen.report" "$ev"
	[ "$status" = 0 ] || fail "generate failed: $stderr"

	# production: the profile enforced, a branch the observation never took
	obs_profile_file "$gen"
	obs_extra
	obs_reset_rootfs
	runq rrun --seccomp-denials=record --seccomp-evidence "$den"
	[ "$status" = 0 ] || fail "enforced run failed ($status): $stderr"
	assert_eq "$(head -2 <<<"$output")" "mkfifo: failed
mkfifo: /tmp/fifo: Operation not permitted"
	assert_eq "$(denial "$den" mknodat | jq -c '[.action, .errnoRet, .count]')" '["SCMP_ACT_ERRNO",1,1]'

	# check says the current profile blocks it, and that the widened one allows it
	runq "$RUNTIME" seccomp check "$gen" "$den"
	assert_has_line "$output" "blocked: SCMP_ARCH_X86_64 mknodat: SCMP_ACT_ERRNO(EPERM) (1 run, 1 call)"
	runq "$RUNTIME" seccomp generate --base "$gen" -o "$gen2" --report "$gen2.report" "$den"
	[ "$status" = 0 ] || fail "generate --base failed: $stderr"
	runq "$RUNTIME" seccomp check "$gen2" "$den"
	# (status 1: the generated profile allows clone, which check warns about)
	assert_not_contains "$output" "blocked:"
	assert_has_line "$output" "allows: SCMP_ARCH_X86_64 mknodat: denied (SCMP_ACT_ERRNO(EPERM)) 1 time in $den, the profile lets it through"
	assert_contains "$output" "0 recorded syscalls blocked, 1 recorded denial allowed"

	# the next run passes, with nothing denied
	obs_profile_file "$gen2"
	obs_reset_rootfs
	runq rrun --seccomp-denials=record --seccomp-evidence "$den.next"
	[ "$status" = 0 ] || fail "run with the widened profile failed ($status): $stderr"
	assert_eq "$(head -1 <<<"$output")" "mkfifo: ok"
	assert_eq "$(jq '.records | length' "$den.next")" 0
}
