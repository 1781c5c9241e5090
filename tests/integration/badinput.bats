#!/usr/bin/env bats
# Bad input: each case exits non-zero with one line "strait: ..." naming the file, the
# field and the value, and leaves no state dir, cgroup, mount or process behind.

load helpers

# create_fails NEEDLE...: create must fail with one error line holding every needle,
# and leave nothing behind.
create_fails() {
	runq rcreate
	assert_error "$@"
	assert_clean
}

@test "missing bundle directory" {
	runq runtime create --bundle "$BATS_TEST_TMPDIR/no-such-bundle" "$CID"
	assert_error no-such-bundle
	assert_clean
}

@test "missing config.json" {
	rm "$BUNDLE/config.json"
	create_fails config.json
}

@test "run with a missing config.json" {
	rm "$BUNDLE/config.json"
	runq rrun
	assert_error config.json
	assert_clean
}

@test "invalid JSON" {
	echo '{"ociVersion": "1.2.0", "process": {' >"$BUNDLE/config.json"
	create_fails config.json
}

@test "not a JSON object" {
	echo '[1, 2]' >"$BUNDLE/config.json"
	create_fails config.json
}

@test "wrong type: process.args is a string" {
	update_config '.process.args = "true"'
	create_fails config.json process.args
}

@test "wrong type: process.user.uid is a string" {
	update_config '.process.user.uid = "root"'
	create_fails config.json process.user.uid root
}

@test "wrong type: hostname is a number" {
	update_config '.hostname = 5'
	create_fails config.json hostname
}

@test "wrong type: an element of process.env is not a string" {
	update_config '.process.env += [42]'
	create_fails config.json process.env
}

@test "missing required field: ociVersion" {
	strait_only "runc does not require ociVersion"
	update_config 'del(.ociVersion)'
	create_fails config.json ociVersion
}

@test "missing required field: process.cwd" {
	update_config 'del(.process.cwd)'
	create_fails config.json process.cwd
}

@test "missing required field: process.args" {
	update_config 'del(.process.args)'
	create_fails config.json process.args
}

@test "missing required field: a mount's destination" {
	update_config '.mounts += [{type: "tmpfs", source: "tmpfs"}]'
	create_fails config.json mounts destination
}

@test "unknown namespace type" {
	update_config '.linux.namespaces += [{type: "foo"}]'
	create_fails config.json linux.namespaces foo
}

@test "duplicate namespace" {
	update_config '.linux.namespaces += [{type: "ipc"}]'
	create_fails config.json linux.namespaces ipc
}

@test "unknown capability" {
	strait_only "runc 1.1.5 only warns about unknown capabilities"
	update_config '.process.capabilities.bounding += ["CAP_FOO"]'
	create_fails config.json process.capabilities.bounding CAP_FOO
}

@test "unknown rlimit" {
	update_config '.process.rlimits += [{type: "RLIMIT_FOO", soft: 1, hard: 1}]'
	create_fails config.json process.rlimits RLIMIT_FOO
}

@test "bad signal name for kill" {
	set_args /bin/probe sleep
	run_detached_ok
	run --separate-stderr runtime kill "$CID" SIGFOO
	assert_error FOO
	run --separate-stderr runtime kill "$CID" 0x
	assert_error 0x
	run --separate-stderr runtime kill "$CID" 99999
	assert_error 99999
	# The container is untouched.
	assert_eq "$(state_field "$CID" status)" running
}

@test "relative path where an absolute one is required: process.cwd" {
	update_config '.process.cwd = "tmp"'
	create_fails config.json process.cwd tmp
}

@test "relative path where an absolute one is required: mount destination" {
	strait_only "runc 1.1.5 accepts relative mount destinations"
	add_mount relative/dest tmpfs tmpfs
	create_fails config.json mounts destination relative/dest
}

@test "relative path where an absolute one is required: namespace path" {
	update_config '.linux.namespaces = [.linux.namespaces[] |
		if .type == "network" then .path = "proc/1/ns/net" else . end]'
	create_fails config.json linux.namespaces proc/1/ns/net
}

@test "relative path where an absolute one is required: hook path" {
	update_config '.hooks.prestart = [{path: "bin/true"}]'
	create_fails config.json hooks.prestart bin/true
}

@test "an ID that is already taken" {
	set_args /bin/probe sleep
	create_ok
	local pid
	pid=$(state_field "$CID" pid)
	runq rcreate
	assert_error "$CID"
	# The existing container is intact.
	assert_eq "$(state_field "$CID" status)" created
	assert_eq "$(state_field "$CID" pid)" "$pid"
	[ -d "/proc/$pid" ]
	# run with the same ID fails the same way.
	runq rrun
	assert_error "$CID"
	assert_eq "$(state_field "$CID" status)" created
}

@test "start of a running container" {
	set_args /bin/probe sleep
	run_detached_ok
	run --separate-stderr runtime start "$CID"
	assert_error "$CID"
	assert_eq "$(state_field "$CID" status)" running
}

@test "start of a stopped container" {
	set_args /bin/true
	create_ok
	runtime start "$CID"
	wait_status "$CID" stopped
	run --separate-stderr runtime start "$CID"
	assert_error "$CID"
}

@test "delete of a running container without --force" {
	set_args /bin/probe sleep
	run_detached_ok
	run --separate-stderr runtime delete "$CID"
	assert_error "$CID"
	assert_eq "$(state_field "$CID" status)" running
	runtime delete --force "$CID"
	assert_clean
}

@test "state, start, kill and delete of an unknown container" {
	local cmd
	for cmd in state start kill delete; do
		run --separate-stderr runtime $cmd nosuchcontainer
		assert_error nosuchcontainer
	done
}

@test "failure halfway through create: a bind mount whose source is missing" {
	add_mount /mnt/data bind "$BATS_TEST_TMPDIR/no-such-source" rbind
	create_fails no-such-source
	[ ! -e "$BATS_TEST_TMPDIR/no-such-source" ]
}

@test "failure halfway through create: an unknown file system type" {
	add_mount /mnt/x nosuchfs none
	create_fails /mnt/x
}

@test "failure halfway through run: nothing is left" {
	add_mount /mnt/x nosuchfs none
	runq rrun
	assert_error /mnt/x
	assert_clean
}

@test "failure halfway through create: an executable that does not exist" {
	set_args /bin/no-such-program
	runq rcreate
	if [ "$status" -eq 0 ]; then
		# runc finds out only at start; either way nothing may remain after delete.
		run --separate-stderr runtime start "$CID"
		[ "$status" -ne 0 ]
		runtime delete --force "$CID"
	else
		assert_error no-such-program
	fi
	assert_clean
}
