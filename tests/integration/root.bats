#!/usr/bin/env bats
# root and identity: root.path (relative to the bundle, or absolute), root.readonly,
# hostname, domainname.

load helpers

@test "root.path is relative to the bundle, not to the caller's directory" {
	mv "$BUNDLE/rootfs" "$BUNDLE/myroot"
	echo in-myroot >"$BUNDLE/myroot/etc/marker"
	update_config '.root.path = "myroot"'
	set_args cat /etc/marker
	cd /
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" in-myroot
}

@test "root.path may be absolute" {
	mv "$BUNDLE/rootfs" "$BATS_TEST_TMPDIR/elsewhere"
	echo elsewhere >"$BATS_TEST_TMPDIR/elsewhere/etc/marker"
	update_config '.root.path = $p' --arg p "$BATS_TEST_TMPDIR/elsewhere"
	set_args cat /etc/marker
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" elsewhere
}

@test "root.path that does not exist is an error naming it" {
	update_config '.root.path = "no-such-root"'
	runq rcreate
	assert_error no-such-root
	assert_clean
}

@test "root.readonly: the root is read-only, mounts on it are not" {
	update_config '.root.readonly = true'
	set_args /bin/sh -c '/bin/probe write /etc/x; /bin/probe write /tmp/x; /bin/probe write /dev/shm/x; awk '"'"'$5 == "/" {print $6}'"'"' /proc/self/mountinfo'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(sed -n 1p <<<"$output")" write=EROFS
	assert_eq "$(sed -n 2p <<<"$output")" write=EROFS
	assert_eq "$(sed -n 3p <<<"$output")" write=OK
	[[ $(sed -n 4p <<<"$output") == ro* ]] || fail "/ is not mounted ro: $output"
	[ ! -e "$BUNDLE/rootfs/etc/x" ]
}

@test "root.readonly false: the root is writable" {
	update_config '.root.readonly = false'
	set_args /bin/probe write /etc/x hello
	run --separate-stderr rrun
	assert_eq "$output" write=OK
	assert_eq "$(cat "$BUNDLE/rootfs/etc/x")" hello
}

@test "hostname" {
	update_config '.hostname = "box-1"'
	set_args hostname
	local host_before
	host_before=$(hostname)
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" box-1
	assert_eq "$(hostname)" "$host_before"
}

@test "domainname" {
	strait_only "runc 1.1.5 ignores domainname"
	update_config '.domainname = "example.org"'
	set_args cat /proc/sys/kernel/domainname
	local before
	before=$(cat /proc/sys/kernel/domainname)
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" example.org
	assert_eq "$(cat /proc/sys/kernel/domainname)" "$before"
}

@test "hostname without a UTS namespace is refused" {
	update_config '.linux.namespaces -= [{type: "uts"}]'
	local host_before
	host_before=$(hostname)
	runq rcreate
	assert_error hostname
	assert_clean
	assert_eq "$(hostname)" "$host_before"
}
