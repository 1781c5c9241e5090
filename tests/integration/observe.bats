#!/usr/bin/env bats
# Observe mode end to end (issue 4, "Proof, end to end"): record a real workload in
# log mode from an empty allow-list, generate a profile from the evidence, enforce it,
# see a path the recording never took blocked, merge labelled runs, and do the same
# through create/start with the recorder agent. Also: privileged-seccomp=audit, the
# mode annotation, unreachable recorders, and what the evidence holds (and does not:
# nothing of strait's own). The tooling's own tests are in seccomp-tools.bats.

load helpers
load seccomp-helpers
load observe-helpers

setup() {
	strait_only "observe mode is a strait feature"
	obs_setup
}
teardown() { obs_teardown; }

# record FILE [RUN-ARGS...]: runs the workload in log mode (foreground, recording in
# this process) into FILE; the workload must succeed with its usual output.
record() {
	local ev=$1
	shift
	obs_reset_rootfs
	runq rrun --seccomp-mode=log --seccomp-evidence "$ev" "$@"
	[ "$status" = 0 ] || fail "log-mode run failed ($status): $stderr; output: $output"
	[ -s "$ev" ] || fail "no evidence written to $ev"
}

# generate OUT EVIDENCE...: `seccomp generate`, report in OUT.report.
generate() {
	local out=$1
	shift
	runq "$RUNTIME" seccomp generate -o "$out" --report "$out.report" "$@"
	[ "$status" = 0 ] || fail "generate failed ($status): $stderr"
	jq -e . "$out" >/dev/null || fail "generate wrote no JSON: $(cat "$out")"
}

@test "proof 1: log mode from an empty allow-list: nothing fails, the evidence lists what it used" {
	local ev=$BATS_TEST_TMPDIR/ev.json n
	obs_profile "$OBS_EMPTY_PROFILE"
	# Control: enforced, this profile cannot even start the workload.
	runq rrun
	assert_error "execve"
	assert_clean

	record "$ev" --seccomp-label startup
	assert_eq "$output" "$OBS_OK_OUTPUT"
	assert_eq "$(jq -r .recordsDropped "$ev")" 0
	# file I/O, fork and exec, the server and the client
	assert_recorded "$ev" openat read write close mkdir execve wait4 \
		socket bind listen connect setsockopt poll
	n=$(ev_syscalls "$ev" | grep -cxE 'clone|clone3|fork|vfork') ||
		fail "no fork in the evidence: $(ev_syscalls "$ev" | xargs)"
	n=$(ev_syscalls "$ev" | grep -cxE 'accept|accept4') ||
		fail "no accept in the evidence: $(ev_syscalls "$ev" | xargs)"
	# what enforcement would have done: the default, ERRNO(EPERM), for each
	assert_eq "$(jq -c '[.records[] | [.action, .errnoRet]] | unique' "$ev")" \
		'[["SCMP_ACT_ERRNO",1]]'
	assert_eq "$(jq -r '[.records[].arch] | unique | join(" ")' "$ev")" SCMP_ARCH_X86_64
	# one record per (syscall, arch, action), counted, with the executable
	assert_eq "$(jq '[.records[] | [.syscall, .arch, .action]] | (length == (unique | length))' "$ev")" true
	assert_eq "$(jq '[.records[] | select(.count < 1)] | length' "$ev")" 0
	assert_eq "$(jq -c '[.records[] | select(.syscall == "socket" or .syscall == "bind") | .executables] | unique' "$ev")" \
		'[["/bin/busybox"]]'
	# write: at least the lines of /tmp/data, the page, and what the workload printed
	n=$(jq '.records[] | select(.syscall == "write") | .count' "$ev")
	[ "$n" -ge 4 ] || fail "write counted $n times"
}

@test "proof 2: a profile generated from the evidence is enforced and the same workload passes" {
	local ev=$BATS_TEST_TMPDIR/ev.json gen=$BATS_TEST_TMPDIR/gen.json
	obs_profile "$OBS_EMPTY_PROFILE"
	record "$ev"
	generate "$gen" "$ev"
	# a pure allow-list: deny by default, exactly the recorded syscalls allowed
	assert_eq "$(jq -r .defaultAction "$gen")" SCMP_ACT_ERRNO
	assert_eq "$(profile_allows "$gen" | xargs)" "$(ev_syscalls "$ev" | xargs)"
	assert_contains "$(cat "$gen.report")" "runs merged: 1"

	obs_profile_file "$gen"
	obs_reset_rootfs
	runq rrun --keep
	[ "$status" = 0 ] || fail "enforced run failed ($status): $stderr; output: $output"
	assert_eq "$output" "$OBS_OK_OUTPUT"
	# not a single call failed on the way (busybox tools report each on stderr)
	assert_eq "$stderr" ""
	assert_eq "$(sc_status | jq -r .mode)" enforce
	runtime delete "$CID"
}

@test "proof 3: a path the recording never exercised is blocked with the profile's errno" {
	local ev=$BATS_TEST_TMPDIR/ev.json gen=$BATS_TEST_TMPDIR/gen.json
	local ev2=$BATS_TEST_TMPDIR/ev-extra.json
	obs_profile "$OBS_EMPTY_PROFILE"
	record "$ev"
	assert_not_recorded "$ev" mknodat mknod
	generate "$gen" "$ev"

	obs_profile_file "$gen"
	obs_extra
	obs_reset_rootfs
	runq rrun
	[ "$status" = 0 ] || fail "enforced run failed ($status): $stderr; output: $output"
	assert_eq "$output" "mkfifo: failed
mkfifo: /tmp/fifo: Operation not permitted
$OBS_OK_OUTPUT"
	assert_eq "$stderr" ""
	[ ! -e "$BUNDLE/rootfs/tmp/fifo" ] || fail "the fifo was made"

	# The errno is the profile's: change it and the workload sees the new one.
	jq '.defaultErrnoRet = 13' "$gen" >"$gen.13"
	obs_profile_file "$gen.13"
	obs_reset_rootfs
	runq rrun
	assert_eq "$output" "mkfifo: failed
mkfifo: /tmp/fifo: Permission denied
$OBS_OK_OUTPUT"

	# Recorded against the generated profile, the branch runs (log mode blocks
	# nothing), and the evidence says what enforcement did: mknodat, ERRNO(EPERM).
	obs_profile_file "$gen"
	record "$ev2"
	assert_eq "$(head -1 <<<"$output")" "mkfifo: ok"
	[ -p "$BUNDLE/rootfs/tmp/fifo" ] || fail "no fifo made in log mode"
	assert_eq "$(jq -c '.records[] | select(.syscall == "mknodat") | [.action, .errnoRet, .count]' "$ev2")" \
		'["SCMP_ACT_ERRNO",1,1]'
	# check predicts the same from the evidence
	runq "$RUNTIME" seccomp check "$gen" "$ev2"
	[ "$status" = 1 ] || fail "check: status $status: $output $stderr"
	assert_has_line "$output" "blocked: SCMP_ARCH_X86_64 mknodat: SCMP_ACT_ERRNO(EPERM) (1 run, 1 call)"
}

@test "proof 4: two runs with different labels merge; a syscall of one run is weak evidence" {
	local ev1=$BATS_TEST_TMPDIR/ev-startup.json ev2=$BATS_TEST_TMPDIR/ev-admin.json
	local gen1=$BATS_TEST_TMPDIR/gen1.json gen=$BATS_TEST_TMPDIR/gen.json report
	obs_profile "$OBS_EMPTY_PROFILE"
	record "$ev1" --seccomp-label startup
	obs_extra
	record "$ev2" --seccomp-label admin
	assert_eq "$(jq -r .container.label "$ev1") $(jq -r .container.label "$ev2")" "startup admin"
	assert_recorded "$ev2" mknodat
	assert_not_recorded "$ev1" mknodat

	generate "$gen" "$ev1" "$ev2"
	report=$(cat "$gen.report")
	assert_contains "$report" "runs merged: 2" "labels: 2 (admin: 1 run, startup: 1 run)"
	assert_has_line "$report" "  SCMP_ARCH_X86_64 mknodat: 1/2 runs, 1 call, SCMP_ACT_ERRNO(EPERM)"
	grep -qE '^  SCMP_ARCH_X86_64 execve: 2/2 runs, ' <<<"$report" ||
		fail "execve is not in both runs: $report"
	assert_contains "$report" "weak evidence (seen in only one run): "
	sed -n '/^weak evidence/,/^[^ ]/p' <<<"$report" | grep -qF "mknodat: only in run 2 (admin)" ||
		fail "mknodat is not listed as weak evidence: $report"
	# The merged profile allows the admin path; enforced, it runs.
	profile_allows "$gen" | grep -qx mknodat || fail "mknodat not allowed by $gen"
	obs_profile_file "$gen"
	obs_reset_rootfs
	runq rrun
	assert_eq "$output" "mkfifo: ok
$OBS_OK_OUTPUT"
	assert_eq "$stderr" ""
	# and diff shows what the admin run added over the startup run alone
	generate "$gen1" "$ev1"
	runq "$RUNTIME" seccomp diff "$gen1" "$gen"
	[ "$status" = 1 ] || fail "diff: status $status: $output $stderr"
	assert_has_line "$output" "only in B: SCMP_ARCH_X86_64 mknodat: SCMP_ACT_ERRNO(EPERM) vs SCMP_ACT_ALLOW"
	assert_eq "$(grep -c '^only in' <<<"$output")" 1 "diff: $output"
}

@test "proof 5: the same flow through create/start with the recorder agent" {
	local ev gen=$BATS_TEST_TMPDIR/gen.json st
	obs_profile "$OBS_EMPTY_PROFILE"
	start_recorder
	create_ok --seccomp-mode=log --seccomp-recorder "$REC_SOCK" --seccomp-label agent
	st=$(sc_status)
	assert_eq "$(jq -r '.mode + " " + .label' <<<"$st")" "log agent"
	runtime start "$CID"
	wait_status "$CID" stopped
	ev=$(wait_evidence "$CID" agent)
	assert_eq "$(cat "$CTR_OUT")" "$OBS_OK_OUTPUT"
	assert_eq "$(jq -r '.container.id + " " + .container.label' "$ev")" "$CID agent"
	assert_eq "$(jq -r .container.bundle "$ev")" "$BUNDLE"
	assert_eq "$(jq -r .baseProfile.sha256 "$ev")" "$(jq -r .sha256 <<<"$st")"
	assert_recorded "$ev" openat execve socket bind listen connect
	assert_eq "$(stat -c %a "$ev")" 600
	runtime delete "$CID"

	generate "$gen" "$ev"
	obs_profile_file "$gen"
	obs_reset_rootfs
	create_ok
	assert_eq "$(sc_status | jq -r .mode)" enforce
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" "$OBS_OK_OUTPUT"
	assert_eq "$(cat "$CTR_ERR")" ""
	runtime delete "$CID"

	obs_extra
	obs_reset_rootfs
	create_ok
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" "mkfifo: failed
mkfifo: /tmp/fifo: Operation not permitted
$OBS_OK_OUTPUT"
	runtime delete "$CID"
	# one evidence file: the enforced runs were not recorded
	assert_eq "$(ls "$REC_DIR" | wc -l)" 1
	stop_recorder
}

@test "agent: strait.conf puts every container in log mode; one agent serves two at once" {
	local b2=$BATS_TEST_TMPDIR/bundle2 c2=${CID}b ev1 ev2
	start_recorder
	printf 'seccomp-mode = log\nseccomp-recorder = %s\n' "$REC_SOCK" >"$OBS_CONF"
	obs_profile "$OBS_EMPTY_PROFILE"
	make_bundle "$b2"
	obs_install_workload "$b2"
	cp "$BUNDLE/config.json" "$b2/config.json"
	EXTRA_IDS+=("$c2")
	CONFIG=$b2/config.json update_config '.process.env += ["OBS_EXTRA=1"] |
		.linux.cgroupsPath += "b"'

	create_ok
	local out1=$CTR_OUT
	runq runtime create --bundle "$b2" "$c2"
	[ "$status" = 0 ] || fail "create $c2: $stderr"
	local out2=$RUNQ_OUT
	assert_eq "$(sc_status | jq -r .mode) $(sc_status "$c2" | jq -r .mode)" "log log"
	runtime start "$CID"
	runtime start "$c2"
	wait_status "$CID" stopped
	wait_status "$c2" stopped
	ev1=$(wait_evidence "$CID")
	ev2=$(wait_evidence "$c2")
	assert_eq "$(cat "$out1")" "$OBS_OK_OUTPUT"
	assert_eq "$(cat "$out2")" "mkfifo: ok
$OBS_OK_OUTPUT"
	assert_eq "$(jq -r .container.id "$ev1") $(jq -r .container.id "$ev2")" "$CID $c2"
	assert_not_recorded "$ev1" mknodat
	assert_recorded "$ev2" mknodat
	runtime delete "$CID"
	runtime delete "$c2"

	# The flag wins over strait.conf: enforced, the empty allow-list cannot start.
	runq rcreate --seccomp-mode=enforce
	assert_error "execve"
	assert_clean
	stop_recorder
	assert_eq "$(ls "$REC_DIR" | wc -l)" 2
}

@test "agent: exec into a log-mode container is recorded by the agent it was created with" {
	local f all=
	obs_profile "$OBS_EMPTY_PROFILE"
	set_args /bin/sleep 30
	start_recorder
	create_ok --seccomp-mode=log --seccomp-recorder "$REC_SOCK" --seccomp-label exec
	runtime start "$CID"
	wait_status "$CID" running
	# strait.conf names no recorder: exec uses the container's (--seccomp-recorder)
	runq runtime exec "$CID" /bin/sh -c 'mkfifo /tmp/xfifo && echo exec-ok'
	[ "$status" = 0 ] || fail "exec failed ($status): $stderr"
	assert_eq "$output" exec-ok
	[ -p "$BUNDLE/rootfs/tmp/xfifo" ] || fail "log mode blocked mkfifo in exec"
	runtime delete --force "$CID"
	stop_recorder
	for f in "$REC_DIR/$CID".*.json; do
		[ -s "$f" ] && all+=$(ev_syscalls "$f")$'\n'
	done
	grep -qx mknodat <<<"$all" || fail "the exec's mknodat was not recorded: $(ls "$REC_DIR")"
	grep -qx nanosleep <<<"$all" || grep -qx clock_nanosleep <<<"$all" ||
		fail "the container's sleep was not recorded: $(echo $all)"
}

@test "privileged-seccomp=audit: a privileged container records and blocks nothing" {
	local ev=$BATS_TEST_TMPDIR/ev.json ev2=$BATS_TEST_TMPDIR/ev2.json st
	echo "privileged-seccomp = audit" >"$OBS_CONF"
	obs_profile '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}'
	set_args /bin/sh -c 'mkdir /tmp/made && echo made'
	# Control: not privileged, the profile is enforced.
	runq rrun
	assert_eq "$output" ""
	assert_contains "$stderr" "Permission denied"

	make_privileged
	runq rrun --keep --seccomp-evidence "$ev"
	[ "$status" = 0 ] || fail "audit run failed ($status): $stderr"
	assert_eq "$output" made
	assert_contains "$stderr" "audit"
	st=$(sc_status)
	assert_eq "$(jq -r '[.mode, .privileged, .source] | join(" ")' <<<"$st")" "audit true config"
	assert_eq "$(jq -r .baseProfile.sha256 "$ev")" "$(jq -r .sha256 <<<"$st")"
	assert_eq "$(jq -c '[.records[] | [.syscall, .action, .errnoRet, .count]]' "$ev")" \
		'[["mkdir","SCMP_ACT_ERRNO",13,1]]'
	runtime delete "$CID"

	# No profile: the logging twin of the built-in default, which denies unshare of
	# namespaces; it runs, and only it is recorded.
	update_config 'del(.linux.seccomp)'
	set_args /bin/sh -c 'unshare -U true && echo unshared'
	runq rrun --keep --seccomp-evidence "$ev2"
	[ "$status" = 0 ] || fail "audit run failed ($status): $stderr"
	assert_eq "$output" unshared
	st=$(sc_status)
	assert_eq "$(jq -r '[.mode, .source] | join(" ")' <<<"$st")" "audit runtime-default"
	assert_eq "$(jq -r '.baseProfile.sha256 + " " + .baseProfile.source' "$ev2")" \
		"$(jq -r .sha256 <<<"$st") runtime-default"
	assert_eq "$(jq -c '[.records[] | [.syscall, .action]]' "$ev2")" '[["unshare","SCMP_ACT_ERRNO"]]'
	runtime delete "$CID"
}

@test "the mode annotation cannot switch a container to log unless strait.conf allows it" {
	local ev=$BATS_TEST_TMPDIR/ev.json
	obs_profile '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
		"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
	update_config '.annotations["org.strait.seccomp.mode"] = "log"'
	set_args /bin/sh -c 'mkdir /tmp/made && echo made'
	# not allowed (the default): ignored with a warning, enforced
	runq rrun --keep
	assert_eq "$output" ""
	assert_contains "$stderr" "org.strait.seccomp.mode" "allow-mode-annotation" "Operation not permitted"
	assert_eq "$(sc_status | jq -r .mode)" enforce
	runtime delete "$CID"
	[ ! -e "$BUNDLE/rootfs/tmp/made" ] || fail "mkdir ran"
	echo "allow-mode-annotation = false" >"$OBS_CONF"
	runq rrun
	assert_eq "$output" ""

	echo "allow-mode-annotation = true" >"$OBS_CONF"
	runq rrun --keep --seccomp-evidence "$ev"
	[ "$status" = 0 ] || fail "log run failed ($status): $stderr"
	assert_eq "$output" made
	assert_eq "$(sc_status | jq -r .mode)" log
	assert_eq "$(jq -c '[.records[].syscall]' "$ev")" '["mkdir"]'
	runtime delete "$CID"
}

@test "log mode with no reachable recorder: create fails and leaves nothing" {
	local stale=$BATS_TEST_TMPDIR/stale.sock
	obs_profile "$OBS_EMPTY_PROFILE"
	runq rcreate --seccomp-mode=log
	assert_error "recorder"
	assert_clean
	runq rcreate --seccomp-mode=log --seccomp-recorder "$BATS_TEST_TMPDIR/nosuch.sock"
	assert_error "$BATS_TEST_TMPDIR/nosuch.sock" "No such file or directory"
	assert_clean
	# a socket nobody listens on
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$stale"
	runq rcreate --seccomp-mode=log --seccomp-recorder "$stale"
	assert_error "$stale" "Connection refused"
	assert_clean
	# the same from strait.conf; run -d too
	printf 'seccomp-mode = log\nseccomp-recorder = %s\n' "$stale" >"$OBS_CONF"
	runq rcreate
	assert_error "$stale"
	assert_clean
	runq rrun -d
	assert_error "$stale"
	assert_clean
	# never silently unconfined or enforced instead
	[ ! -e "$BUNDLE/rootfs/tmp/work" ] || fail "the workload ran"
}

@test "the agent going away between create and start: start fails, the workload never runs" {
	obs_profile "$OBS_EMPTY_PROFILE"
	start_recorder
	create_ok --seccomp-mode=log --seccomp-recorder "$REC_SOCK"
	stop_recorder
	runq runtime start "$CID"
	assert_error "recorder"
	# The container must not stay "running" with its init parked in execve forever.
	wait_status "$CID" stopped 5
	assert_eq "$(cat "$CTR_OUT")" ""
	[ ! -e "$BUNDLE/rootfs/tmp/work" ] || fail "the workload ran"
	runtime delete "$CID"
	assert_clean
}

@test "evidence: container id, bundle, label, base sha256, times and versions" {
	local d=$BATS_TEST_TMPDIR/out ev before after st re
	re='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z$'
	mkdir -p "$d"
	ev=$d/ev.json
	obs_profile "$OBS_EMPTY_PROFILE"
	update_config '.annotations["org.strait.seccomp.label"] = "from-annotation"'
	before=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
	record "$ev" --keep
	after=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
	st=$(sc_status)
	assert_eq "$(jq -r .straitEvidence "$ev")" 1
	assert_eq "$(jq -r .container.id "$ev")" "$CID"
	assert_eq "$(jq -r .container.bundle "$ev")" "$BUNDLE"
	assert_eq "$(jq -r .container.label "$ev")" from-annotation
	assert_eq "$(jq -r .label <<<"$st")" from-annotation
	assert_eq "$(jq -r .baseProfile.sha256 "$ev")" "$(jq -r .sha256 <<<"$st")"
	[[ $(jq -r .baseProfile.sha256 "$ev") =~ ^[0-9a-f]{64}$ ]] || fail "sha256: $(cat "$ev")"
	assert_eq "$(jq -r .baseProfile.source "$ev")" config
	assert_eq "$(jq -r .versions.strait "$ev")" "$("$RUNTIME" --version | awk 'NR == 1 { print $3 }')"
	assert_eq "$(jq -r .versions.libseccomp "$ev")" "$(jq -r .libseccomp <<<"$st")"
	assert_eq "$(jq -r .versions.kernel "$ev")" "$(uname -r)"
	local start end
	start=$(jq -r .start "$ev")
	end=$(jq -r .end "$ev")
	[[ $start =~ $re && $end =~ $re ]] || fail "times: $start $end"
	[[ ! $start < $before && ! $after < $end && ! $end < $start ]] ||
		fail "times out of order: before $before start $start end $end after $after"
	# every record's first/last seen fall within the run
	assert_eq "$(jq --arg s "$start" --arg e "$end" '[.records[] |
		select(.first < $s or .last > $e or .last < .first)] | length' "$ev")" 0
	# written atomically, 0600, nothing else left in the directory
	assert_eq "$(stat -c %a "$ev")" 600
	assert_eq "$(ls -A "$d")" ev.json
	runtime delete "$CID"
	# The flag wins over the annotation.
	record "$ev" --seccomp-label from-flag
	assert_eq "$(jq -r .container.label "$ev")" from-flag
}

@test "evidence holds the workload's syscalls and nothing of strait's" {
	requires_strace
	local ev=$BATS_TEST_TMPDIR/ev.json ev2=$BATS_TEST_TMPDIR/ev2.json
	local gen=$BATS_TEST_TMPDIR/gen.json host
	obs_profile "$OBS_EMPTY_PROFILE"
	set_args /bin/true
	record "$ev"
	# exactly what strace sees of the same binary on the host
	host=$(strace -f -qq -o "$BATS_TEST_TMPDIR/strace" "$BUNDLE/rootfs/bin/busybox" true &&
		sed -E 's/^[0-9]+ +//; s/\(.*//' "$BATS_TEST_TMPDIR/strace" | sort -u | xargs)
	assert_eq "$(ev_syscalls "$ev" | xargs)" "$host"
	# nothing of the handover or of strait's last steps
	assert_not_recorded "$ev" sendmsg pidfd_getfd pidfd_open close_range seccomp \
		capset capget setresuid setresgid setgroups
	# and strait's binary is never named as a caller (its execve into the workload
	# is made from outside the container's root)
	assert_eq "$(jq -c '[.records[].executables[]] | unique' "$ev")" '["/bin/busybox"]'
	# A base allowing exactly that: the evidence is empty (strait's own execve is
	# allowed by it like the workload's, and nothing else of strait's is left).
	generate "$gen" "$ev"
	obs_profile_file "$gen"
	record "$ev2"
	assert_eq "$(jq -c .records "$ev2")" '[]'
}

# requires_strace: skips without strace.
requires_strace() {
	command -v strace >/dev/null || skip "needs strace"
}
