#!/usr/bin/env bats
# hooks: prestart, createRuntime, createContainer, startContainer, poststart, poststop.
# Each gets the OCI state on stdin and its own args and env; timeouts are enforced; a
# failing hook fails the step the runtime-spec says it fails.

load helpers

setup() {
	common_setup
	HOOKDIR=$BATS_TEST_TMPDIR/hooks
	HOOKLOG=$HOOKDIR/log
	mkdir -p "$HOOKDIR" "$BUNDLE/rootfs$HOOKDIR"
	# One script for every kind. It records "kind|HOOK_VAR|args|state" and its whole
	# environment. startContainer runs inside the container, so the script also exists
	# at the same path in the rootfs and logs there.
	cat >"$HOOKDIR/hook.sh" <<EOF
#!/bin/sh
state=\$(cat)
printf '%s|%s|%s|%s\n' "\$1" "\$HOOK_VAR" "\$*" "\$state" >>$HOOKLOG
env >$HOOKDIR/env.\$1
case "\$1" in *-fail) exit 3 ;; *-slow) exec sleep 30 ;; esac
exit 0
EOF
	chmod +x "$HOOKDIR/hook.sh"
	cp "$HOOKDIR/hook.sh" "$BUNDLE/rootfs$HOOKDIR/"
}

# add_hook KIND [NAME] [TIMEOUT]: a hook of KIND whose first argument is NAME
# (default KIND; "...-fail" exits 3, "...-slow" sleeps 30 s).
add_hook() {
	local kind=$1 name=${2:-$1}
	update_config ".hooks.$kind += [{path: \$p, args: [\"hook.sh\", \$n, \"an arg\"],
		env: [\"HOOK_VAR=v-\" + \$n]} + (if \$t == \"\" then {} else {timeout: (\$t | tonumber)} end)]" \
		--arg p "$HOOKDIR/hook.sh" --arg n "$name" --arg t "${3:-}"
}

# hook_lines: the records of every hook, host and container side.
hook_lines() {
	cat "$HOOKLOG" "$BUNDLE/rootfs$HOOKLOG" 2>/dev/null || true
}

# hook_state NAME: the state JSON the hook NAME received.
hook_state() {
	hook_lines | awk -F'|' -v n="$1" '$1 == n { sub(/^[^|]*\|[^|]*\|[^|]*\|/, ""); print }'
}

@test "all six hook kinds run, in order, with args and env" {
	local k
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		add_hook $k
	done
	set_args /bin/true
	runq rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	# Runtime-namespace hooks, in lifecycle order.
	assert_eq "$(cut -d'|' -f1 "$HOOKLOG" | tr '\n' ' ')" \
		"prestart createRuntime createContainer poststart poststop "
	# startContainer ran in the container (its log is in the rootfs).
	assert_eq "$(cut -d'|' -f1 "$BUNDLE/rootfs$HOOKLOG")" startContainer
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		assert_has_line "$(hook_lines | cut -d'|' -f1-3)" "$k|v-$k|$k an arg"
	done
}

@test "hooks get exactly their env, not the runtime's" {
	add_hook createRuntime
	add_hook poststop
	export STRAIT_HOST_ONLY=leak
	runq rrun
	unset STRAIT_HOST_ONLY
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_has_line "$(cat "$HOOKDIR/env.createRuntime")" "HOOK_VAR=v-createRuntime"
	assert_not_contains "$(cat "$HOOKDIR/env.createRuntime" "$HOOKDIR/env.poststop")" STRAIT_HOST_ONLY STRAIT_TEST_MARK
}

@test "hooks get the OCI state on stdin" {
	local k st
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		add_hook $k
	done
	set_args /bin/probe sleep
	create_ok
	local pid
	pid=$(state_field "$CID" pid)
	runtime start "$CID"
	runtime kill "$CID" KILL
	wait_status "$CID" stopped
	runtime delete "$CID"
	for k in prestart createRuntime createContainer startContainer poststart poststop; do
		st=$(hook_state $k)
		[ -n "$st" ] || fail "no state for $k"
		validate_json state-schema.json - <<<"$st" || fail "$k: state does not validate: $st"
		assert_eq "$(jq -r .id <<<"$st")" "$CID" "$k id"
		assert_eq "$(jq -r .bundle <<<"$st")" "$BUNDLE" "$k bundle"
	done
	# The runtime-namespace hooks see the init's host pid.
	assert_eq "$(jq -r .pid <<<"$(hook_state createRuntime)")" "$pid"
	assert_eq "$(jq -r .pid <<<"$(hook_state prestart)")" "$pid"
	assert_eq "$(jq -r .status <<<"$(hook_state createRuntime)")" creating
	assert_eq "$(jq -r .status <<<"$(hook_state poststop)")" stopped
}

@test "poststart sees a running container" {
	strait_only "runc 1.1.5 passes status created to poststart"
	add_hook poststart
	set_args /bin/probe sleep
	run_detached_ok
	wait_file "$HOOKLOG"
	assert_eq "$(jq -r .status <<<"$(hook_state poststart)")" running
}

@test "a hook timeout fails the step" {
	add_hook createRuntime createRuntime-slow 1
	local t0=$SECONDS
	runq rcreate
	assert_error createRuntime
	[ $((SECONDS - t0)) -lt 15 ] || fail "the timeout was not enforced ($((SECONDS - t0)) s)"
	assert_clean
}

@test "a failing prestart hook fails create" {
	add_hook prestart prestart-fail
	set_args /bin/probe write /tmp/ran
	runq rcreate
	assert_error prestart
	assert_clean
	[ ! -e "$BUNDLE/rootfs/tmp/ran" ]
}

@test "a failing createRuntime hook fails create" {
	add_hook createRuntime createRuntime-fail
	runq rcreate
	assert_error createRuntime
	assert_clean
}

@test "a failing createContainer hook fails create" {
	add_hook createContainer createContainer-fail
	runq rcreate
	assert_error createContainer
	assert_clean
}

@test "a failing createRuntime hook fails run, and the workload never starts" {
	add_hook createRuntime createRuntime-fail
	set_args /bin/probe write /tmp/ran
	runq rrun
	assert_error createRuntime
	assert_clean
	[ ! -e "$BUNDLE/rootfs/tmp/ran" ]
}

@test "a failing startContainer hook fails start, and the workload never starts" {
	add_hook startContainer startContainer-fail
	set_args /bin/probe write /tmp/ran
	create_ok
	run --separate-stderr runtime start "$CID"
	# runc 1.1.5 returns 0 here and reports nothing; strait must fail start.
	if is_strait; then
		assert_error startContainer
	fi
	sleep 0.2
	[ ! -e "$BUNDLE/rootfs/tmp/ran" ] || fail "the workload ran"
	# The container is stopped (or already gone) and can be deleted.
	local st
	st=$(runtime state "$CID" 2>/dev/null | jq -r .status) || st=
	[ -z "$st" ] || [ "$st" = stopped ] || fail "status after failed start: $st"
	runtime delete --force "$CID" 2>/dev/null || true
	assert_clean
}

@test "a failing poststart hook is a warning; the container keeps running" {
	strait_only "runc 1.1.5 fails start and kills the container"
	add_hook poststart poststart-fail
	set_args /bin/probe sleep
	create_ok
	run --separate-stderr runtime start "$CID"
	[ "$status" -eq 0 ] || fail "start failed: $stderr"
	assert_contains "$stderr" poststart
	assert_eq "$(state_field "$CID" status)" running
}

@test "a failing poststop hook is a warning; delete still removes everything" {
	add_hook poststop poststop-fail
	add_hook poststop poststop
	set_args /bin/true
	create_ok
	runtime start "$CID"
	wait_status "$CID" stopped
	run --separate-stderr runtime delete "$CID"
	[ "$status" -eq 0 ] || fail "delete failed: $stderr"
	# The hooks after the failing one still ran.
	assert_contains "$(cut -d'|' -f1 "$HOOKLOG")" poststop-fail poststop
	assert_clean
}

@test "start and delete read the saved config for hooks, also from a state without hookKinds" {
	strait_only "hookKinds is a field of strait's own state.json"
	add_hook poststart
	add_hook poststop
	set_args /bin/true
	create_ok
	assert_eq "$(jq -r .hookKinds "$ROOT/$CID/state.json")" $(((1 << 4) | (1 << 5)))
	# as an older strait wrote it: without the field, the saved config decides
	jq 'del(.hookKinds)' "$ROOT/$CID/state.json" >"$BATS_TEST_TMPDIR/st" &&
		cat "$BATS_TEST_TMPDIR/st" >"$ROOT/$CID/state.json"
	runtime start "$CID"
	wait_status "$CID" stopped
	runtime delete "$CID"
	assert_eq "$(cut -d'|' -f1 "$HOOKLOG" | tr '\n' ' ')" "poststart poststop "
	assert_clean
}

@test "without hooks, start and delete leave the saved config unread" {
	strait_only "hookKinds is a field of strait's own state.json"
	set_args /bin/true
	create_ok
	assert_eq "$(jq -r .hookKinds "$ROOT/$CID/state.json")" 0
	# a fifo in its place: opening it would block until the timeout
	rm "$ROOT/$CID/config.json"
	mkfifo "$ROOT/$CID/config.json"
	run --separate-stderr timeout 10 "$RUNTIME" --root "$ROOT" start "$CID"
	[ "$status" -eq 0 ] || fail "start ($status): $stderr"
	assert_eq "$stderr" ""
	wait_status "$CID" stopped
	run --separate-stderr timeout 10 "$RUNTIME" --root "$ROOT" delete "$CID"
	[ "$status" -eq 0 ] || fail "delete ($status): $stderr"
	assert_eq "$stderr" ""
	assert_clean
}

@test "poststop hooks run when run deletes the container" {
	add_hook poststop
	set_args /bin/probe exit 4
	run rrun
	assert_eq "$status" 4
	assert_eq "$(cut -d'|' -f1 "$HOOKLOG")" poststop
}

# confined_hook: a startContainer hook (a script of the rootfs, as an image would ship
# it) that tries mkdir and reports its seccomp mode into the rootfs.
confined_hook() {
	cat >"$BUNDLE/rootfs$HOOKDIR/confined.sh" <<EOF2
#!/bin/sh
mkdir /tmp/hook-made 2>/dev/null && echo mkdir=allowed || echo mkdir=denied
grep '^Seccomp:' /proc/self/status
EOF2
	chmod +x "$BUNDLE/rootfs$HOOKDIR/confined.sh"
	update_config '.hooks.startContainer = [{path: $p, args: ["confined.sh"]}]' \
		--arg p "$HOOKDIR/confined.sh"
	update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}'
}

@test "startContainer hooks run under the container's seccomp filter" {
	confined_hook
	set_args /bin/sh -c 'mkdir /tmp/workload-made 2>/dev/null && echo w=allowed || echo w=denied'
	# the hook's stdout is the container's
	runq rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "mkdir=denied
Seccomp:	2
w=denied"
	[ ! -e "$BUNDLE/rootfs/tmp/hook-made" ] || fail "the hook's mkdir went through"
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "startContainer hooks of a privileged container run unconfined, like it" {
	strait_only "runc applies the profile to privileged containers"
	confined_hook
	update_config '.process.capabilities.bounding = $c' --argjson c "$(own_caps_json)"
	set_args /bin/true
	runq rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "mkdir=allowed
Seccomp:	0"
}

@test "startContainer hooks in observe mode: the twin blocks nothing in the hook either" {
	strait_only "observe mode is strait's"
	confined_hook
	set_args /bin/true
	runq rrun --seccomp-mode=log --seccomp-evidence "$BATS_TEST_TMPDIR/ev.json"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "mkdir=allowed
Seccomp:	2"
	[ -e "$BUNDLE/rootfs/tmp/hook-made" ] || fail "the hook's mkdir was blocked"
	# hook evidence is not workload evidence
	if jq -e '.. | strings | select(test("mkdir"))' "$BATS_TEST_TMPDIR/ev.json" >/dev/null; then
		fail "the hook's mkdir is in the workload's evidence"
	fi
}
