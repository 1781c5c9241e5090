#!/usr/bin/env bats
# The container lifecycle: create / start / state / kill / delete / run, exit codes,
# --detach, --keep, --pid-file, and the create race on one ID.

load helpers

@test "run: foreground exit code 0 and the container's stdout" {
	set_args /bin/sh -c 'echo hello from $(hostname)'
	run --separate-stderr rrun
	[ "$status" -eq 0 ]
	assert_eq "$output" "hello from strait-test"
	# Without --keep the container is gone afterwards.
	run runtime state "$CID"
	[ "$status" -ne 0 ]
	assert_clean
}

@test "run: returns the container's exit code" {
	set_args /bin/probe exit 7
	run rrun
	assert_eq "$status" 7
	set_args /bin/sh -c 'exit 255'
	run rrun
	assert_eq "$status" 255
	assert_clean
}

@test "run: a process killed by signal N gives 128+N" {
	# pid 1 of a pid namespace cannot kill itself, so share the host's pid namespace.
	update_config '.linux.namespaces -= [{type: "pid"}]'
	set_args /bin/probe kill 9
	run rrun
	assert_eq "$status" 137
	set_args /bin/sh -c 'kill -SEGV $$'
	run rrun
	assert_eq "$status" 139
	assert_clean
}

@test "run: kill from outside while in the foreground gives 128+N" {
	set_args /bin/probe sleep
	rrun >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local runpid=$!
	wait_status "$CID" running
	# SIGKILL: pid 1 ignores signals it has no handler for.
	runtime kill "$CID" KILL
	local rc=0
	wait "$runpid" || rc=$?
	assert_eq "$rc" 137
	assert_clean
}

@test "run: stdin is passed through" {
	set_args /bin/sh -c 'read line; echo "got $line"'
	run bash -c "echo ping | '$RUNTIME' --root '$ROOT' run --bundle '$BUNDLE' '$CID'"
	[ "$status" -eq 0 ]
	assert_eq "$output" "got ping"
}

@test "run --keep: the stopped container stays until delete" {
	set_args /bin/probe exit 3
	run --separate-stderr rrun --keep
	assert_eq "$status" 3
	run --separate-stderr runtime state "$CID"
	[ "$status" -eq 0 ]
	assert_eq "$(jq -r .status <<<"$output")" stopped
	runtime delete "$CID"
	[ ! -e "$ROOT/$CID" ]
	assert_clean
}

@test "run -d: returns at once with the container running" {
	set_args /bin/probe sleep
	run_detached_ok
	wait_status "$CID" running
	local pid
	pid=$(state_field "$CID" pid)
	[ "$pid" -gt 0 ]
	[ -d "/proc/$pid" ]
	runtime kill "$CID" KILL
	wait_status "$CID" stopped
	runtime delete "$CID"
	[ ! -d "/proc/$pid" ] || [ "$(awk '{print $3}' /proc/$pid/stat 2>/dev/null)" = Z ] ||
		fail "pid $pid still alive after delete"
	assert_clean
}

@test "create: the user's program has not started until start" {
	set_args /bin/probe write /tmp/started yes
	create_ok
	assert_eq "$(state_field "$CID" status)" created
	local pid
	pid=$(state_field "$CID" pid)
	[ "$pid" -gt 0 ]
	[ -d "/proc/$pid" ]
	sleep 0.3
	[ ! -e "$BUNDLE/rootfs/tmp/started" ] || fail "the program ran before start"
	runtime start "$CID"
	wait_file "$BUNDLE/rootfs/tmp/started"
	wait_status "$CID" stopped
	runtime delete "$CID"
	assert_clean
}

@test "create --pid-file writes the init pid" {
	set_args /bin/probe sleep
	create_ok --pid-file "$BATS_TEST_TMPDIR/pidfile"
	local pid
	pid=$(state_field "$CID" pid)
	assert_eq "$(cat "$BATS_TEST_TMPDIR/pidfile")" "$pid"
	runtime delete --force "$CID"
	assert_clean
}

@test "run -d --pid-file writes the pid of the running process" {
	set_args /bin/probe sleep
	run_detached_ok --pid-file "$BATS_TEST_TMPDIR/pidfile"
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/pidfile")
	assert_eq "$pid" "$(state_field "$CID" pid)"
	assert_eq "$(tr '\0' ' ' </proc/$pid/cmdline)" "/bin/probe sleep "
}

@test "create, start, kill, delete: the state follows" {
	set_args /bin/probe sleep
	create_ok
	run --separate-stderr runtime state "$CID"
	[ "$status" -eq 0 ]
	assert_eq "$(jq -r .id <<<"$output")" "$CID"
	assert_eq "$(jq -r .status <<<"$output")" created
	assert_eq "$(jq -r .bundle <<<"$output")" "$BUNDLE"
	runtime start "$CID"
	wait_status "$CID" running
	runtime kill "$CID" KILL
	wait_status "$CID" stopped
	runtime delete "$CID"
	run runtime state "$CID"
	[ "$status" -ne 0 ]
	assert_clean
}

@test "kill with no signal sends SIGTERM" {
	set_args /bin/sh -c 'trap "echo got-term; exit 42" TERM; while :; do sleep 0.1; done'
	run_detached_ok
	wait_status "$CID" running
	runtime kill "$CID"
	wait_status "$CID" stopped
	wait_file "$CTR_OUT"
	assert_eq "$(cat "$CTR_OUT")" got-term
}

@test "delete of a created container needs no --force and removes everything" {
	create_ok
	runtime delete "$CID"
	[ ! -e "$ROOT/$CID" ]
	assert_clean
}

@test "delete --force of a running container kills it" {
	set_args /bin/probe sleep
	run_detached_ok
	local pid
	pid=$(state_field "$CID" pid)
	runtime delete --force "$CID"
	run runtime state "$CID"
	[ "$status" -ne 0 ]
	assert_clean
	[ ! -d "/proc/$pid" ] || [ "$(awk '{print $3}' /proc/$pid/stat 2>/dev/null)" = Z ]
}

@test "kill --all signals every process of the container" {
	set_args /bin/sh -c '/bin/probe sleep & /bin/probe sleep & wait'
	run_detached_ok
	wait_status "$CID" running
	local n=0
	# Wait for both children to exist.
	while [ "$(marked_pids | wc -l)" -lt 3 ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	[ "$(marked_pids | wc -l)" -ge 3 ]
	runtime kill --all "$CID" KILL
	wait_status "$CID" stopped
	n=0
	while [ -n "$(marked_pids)" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	assert_eq "$(marked_pids)" ""
}

@test "the bundle defaults to the current directory" {
	set_args /bin/probe exit 5
	cd "$BUNDLE"
	run "$RUNTIME" --root "$ROOT" run "$CID"
	assert_eq "$status" 5
	cd /
	run "$RUNTIME" --root "$ROOT" run -b "${BUNDLE#/}" "$CID"
	assert_eq "$status" 5
}

@test "two containers run side by side from one bundle" {
	set_args /bin/probe sleep
	run_detached_ok
	local id2=$CID-b
	EXTRA_IDS+=("$id2")
	runq runtime run -d --bundle "$BUNDLE" "$id2"
	[ "$status" -eq 0 ] || fail "$stderr"
	wait_status "$CID" running
	wait_status "$id2" running
	[ "$(state_field "$CID" pid)" != "$(state_field "$id2" pid)" ]
	runtime delete --force "$id2"
	runtime delete --force "$CID"
	assert_clean "$CID" "$id2"
}

@test "concurrent create of one ID: exactly one wins" {
	# runc 1.1.5 loses this race now and then: both creates fail, or the loser's init
	# and cgroups leak.
	strait_only "runc 1.1.5 fails this race"
	set_args /bin/probe sleep
	local i
	for i in 1 2 3 4 5; do
		runtime create --bundle "$BUNDLE" "$CID" >"$BATS_TEST_TMPDIR/a.$i" 2>&1 &
		local a=$!
		runtime create --bundle "$BUNDLE" "$CID" >"$BATS_TEST_TMPDIR/b.$i" 2>&1 &
		local b=$!
		local ra=0 rb=0
		wait $a || ra=$?
		wait $b || rb=$?
		if [ $ra -eq 0 ] && [ $rb -eq 0 ]; then
			fail "round $i: both creates succeeded"
		fi
		if [ $ra -ne 0 ] && [ $rb -ne 0 ]; then
			fail "round $i: both creates failed: $(cat "$BATS_TEST_TMPDIR/a.$i" "$BATS_TEST_TMPDIR/b.$i")"
		fi
		assert_eq "$(state_field "$CID" status)" created
		# Exactly one init process waits.
		assert_eq "$(marked_pids | wc -l)" 1
		runtime delete --force "$CID"
		assert_clean
	done
}
