#!/usr/bin/env bats
# The command line: help, version, global options, spec, state, list, and kill's
# signal names.

load helpers

@test "--help lists every command" {
	run --separate-stderr "$RUNTIME" --help
	[ "$status" -eq 0 ]
	local c
	for c in spec create start state kill delete list run; do
		grep -qE "^ +$c( |$)" <<<"$output" || fail "--help does not list $c: $output"
	done
}

@test "COMMAND --help describes each command's options" {
	local c
	run --separate-stderr "$RUNTIME" create --help
	[ "$status" -eq 0 ]
	assert_contains "$output" --bundle --pid-file --console-socket --no-pivot --no-new-keyring --preserve-fds
	run --separate-stderr "$RUNTIME" run --help
	[ "$status" -eq 0 ]
	assert_contains "$output" --bundle --pid-file --detach --keep --preserve-fds
	run --separate-stderr "$RUNTIME" kill --help
	[ "$status" -eq 0 ]
	assert_contains "$output" --all
	run --separate-stderr "$RUNTIME" delete --help
	[ "$status" -eq 0 ]
	assert_contains "$output" --force
	run --separate-stderr "$RUNTIME" list --help
	[ "$status" -eq 0 ]
	assert_contains "$output" --format --quiet
	run --separate-stderr "$RUNTIME" spec --help
	[ "$status" -eq 0 ]
	assert_contains "$output" --bundle --rootless
	for c in start state; do
		run --separate-stderr "$RUNTIME" $c --help
		[ "$status" -eq 0 ] || fail "$c --help: $status"
		[ -n "$output" ]
	done
}

@test "--version prints the version, commit, spec and libseccomp versions" {
	run --separate-stderr "$RUNTIME" --version
	[ "$status" -eq 0 ]
	assert_contains "$output" "commit" "spec" "libseccomp"
	if is_strait; then
		assert_contains "${output%%$'\n'*}" strait
		assert_has_line "$output" "spec: 1.3.0"
		grep -qE '^libseccomp: [0-9]+\.[0-9]+\.[0-9]+$' <<<"$output" || fail "$output"
	fi
}

@test "an unknown command or option is one clear error" {
	run --separate-stderr "$RUNTIME" frobnicate
	assert_error frobnicate
	run --separate-stderr "$RUNTIME" --root "$ROOT" create --no-such-flag -b "$BUNDLE" "$CID"
	assert_error no-such-flag
	assert_clean
}

@test "a command without its ID is an error" {
	local c
	for c in create start state kill delete run; do
		run --separate-stderr runtime $c
		assert_error
	done
}

@test "spec writes a config.json that validates against the OCI schema" {
	local d=$BATS_TEST_TMPDIR/spec
	mkdir "$d"
	run --separate-stderr "$RUNTIME" spec --bundle "$d"
	[ "$status" -eq 0 ] || fail "$stderr"
	validate_json config-schema.json "$d/config.json"
	assert_eq "$(jq -r .root.path "$d/config.json")" rootfs
	# It is runnable as is, given a rootfs and no terminal.
	cp -a "$BUNDLE/rootfs" "$d/rootfs"
	jq --arg m "STRAIT_TEST_MARK=$MARK" '.process.terminal = false |
		.process.args = ["/bin/sh", "-c", "echo pid=$$"] | .process.env += [$m]' \
		"$d/config.json" >"$d/c" && mv "$d/c" "$d/config.json"
	run --separate-stderr runtime run -b "$d" "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" pid=1
}

@test "spec in the current directory, and never over an existing config.json" {
	local d=$BATS_TEST_TMPDIR/spec
	mkdir "$d"
	cd "$d"
	run --separate-stderr "$RUNTIME" spec
	[ "$status" -eq 0 ] || fail "$stderr"
	[ -f config.json ]
	echo '{"keep": true}' >config.json
	run --separate-stderr "$RUNTIME" spec
	assert_error config.json
	assert_eq "$(cat config.json)" '{"keep": true}'
}

@test "spec --rootless validates and maps the user" {
	local d=$BATS_TEST_TMPDIR/spec
	mkdir "$d"
	run --separate-stderr "$RUNTIME" spec --rootless --bundle "$d"
	[ "$status" -eq 0 ] || fail "$stderr"
	validate_json config-schema.json "$d/config.json"
	jq -e '.linux.namespaces | map(.type) | index("user")' "$d/config.json" >/dev/null ||
		fail "no user namespace"
	jq -e '.linux.uidMappings | length > 0' "$d/config.json" >/dev/null || fail "no uidMappings"
	jq -e '.linux.gidMappings | length > 0' "$d/config.json" >/dev/null || fail "no gidMappings"
}

@test "state validates against the OCI state schema when created, running and stopped" {
	set_args /bin/probe sleep
	create_ok
	runtime state "$CID" | validate_json state-schema.json -
	assert_eq "$(state_field "$CID" status)" created
	runtime start "$CID"
	wait_status "$CID" running
	runtime state "$CID" | validate_json state-schema.json -
	runtime kill "$CID" KILL
	wait_status "$CID" stopped
	runtime state "$CID" | validate_json state-schema.json -
}

@test "list: table, -q and json" {
	set_args /bin/probe sleep
	create_ok
	local id2=$CID-b pid
	EXTRA_IDS+=("$id2")
	runq runtime run -d -b "$BUNDLE" "$id2"
	[ "$status" -eq 0 ] || fail "$stderr"
	pid=$(state_field "$CID" pid)

	run --separate-stderr runtime list
	[ "$status" -eq 0 ] || fail "$stderr"
	read -ra hdr <<<"${lines[0]}"
	assert_eq "${hdr[*]:0:4}" "ID PID STATUS BUNDLE"
	grep -qE "^$CID +$pid +created +$BUNDLE " <<<"$output" || fail "no row for $CID: $output"
	grep -qE "^$id2 +[0-9]+ +running +$BUNDLE " <<<"$output" || fail "no row for $id2: $output"

	run --separate-stderr runtime list -q
	[ "$status" -eq 0 ]
	assert_eq "$(sort <<<"$output" | tr '\n' ' ')" "$CID $id2 "

	run --separate-stderr runtime list --format json
	[ "$status" -eq 0 ]
	assert_eq "$(jq -r 'map(.id) | sort | join(" ")' <<<"$output")" "$CID $id2"
	assert_eq "$(jq -r --arg id "$CID" '.[] | select(.id == $id) | "\(.pid) \(.status) \(.bundle)"' <<<"$output")" \
		"$pid created $BUNDLE"
	jq -e '.[] | .created and .owner' <<<"$output" >/dev/null || fail "created/owner missing: $output"
}

@test "list with no containers" {
	run --separate-stderr runtime list -q
	[ "$status" -eq 0 ]
	assert_eq "$output" ""
	run --separate-stderr runtime list --format json
	[ "$status" -eq 0 ]
	jq -e 'length == 0' <<<"$output" >/dev/null || fail "$output"
}

@test "kill takes signal names with and without SIG, any case, and numbers" {
	set_args /bin/sh -c 'for s in HUP USR1 USR2 TERM INT WINCH; do trap "echo got-$s" $s; done
		echo ready; while :; do sleep 0.05; done'
	run_detached_ok
	wait_file "$CTR_OUT"
	local sig want n
	for sig in USR1:USR1 SIGUSR2:USR2 1:HUP 10:USR1 sigint:INT hup:HUP SIGWINCH:WINCH 15:TERM; do
		want=got-${sig#*:}
		n=$(grep -c "^$want\$" "$CTR_OUT" || true)
		runtime kill "$CID" "${sig%%:*}"
		local i=0
		until [ "$(grep -c "^$want\$" "$CTR_OUT" || true)" -gt "$n" ]; do
			[ $i -lt 100 ] || fail "kill ${sig%%:*}: no $want in: $(cat "$CTR_OUT")"
			sleep 0.05
			i=$((i + 1))
		done
	done
	runtime kill "$CID" SIGKILL
	wait_status "$CID" stopped
}

@test "--log with --log-format json writes one JSON object per line" {
	runq "$RUNTIME" --root "$ROOT" --log "$BATS_TEST_TMPDIR/log.json" --log-format json \
		create -b "$BATS_TEST_TMPDIR/no-such-bundle" "$CID"
	[ "$status" -ne 0 ]
	[ -s "$BATS_TEST_TMPDIR/log.json" ] || fail "nothing logged"
	local line
	while read -r line; do
		jq -e 'type == "object" and has("level") and has("msg") and has("time")' <<<"$line" \
			>/dev/null || fail "not a log object: $line"
	done <"$BATS_TEST_TMPDIR/log.json"
	grep -q '"error"' "$BATS_TEST_TMPDIR/log.json" || fail "no error entry: $(cat "$BATS_TEST_TMPDIR/log.json")"
	assert_clean
}

@test "--log with text format and --debug" {
	set_args /bin/true
	runq "$RUNTIME" --root "$ROOT" --debug --log "$BATS_TEST_TMPDIR/log.txt" run -b "$BUNDLE" "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	[ -s "$BATS_TEST_TMPDIR/log.txt" ] || fail "--debug logged nothing"
}

@test "--systemd-cgroup is accepted and refused clearly without systemd" {
	[ ! -d /run/systemd/system ] || skip "systemd is running"
	strait_only "runc's message comes from its dbus client"
	runq runtime --systemd-cgroup create -b "$BUNDLE" "$CID"
	assert_error systemd
	assert_clean
}

@test "--root is created when missing, and state lives under it" {
	ROOT=$BATS_TEST_TMPDIR/new/root
	set_args /bin/probe sleep
	create_ok
	[ -d "$ROOT/$CID" ]
	runtime delete --force "$CID"
	[ ! -e "$ROOT/$CID" ]
}
