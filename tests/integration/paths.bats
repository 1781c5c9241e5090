#!/usr/bin/env bats
# Paths and kernel settings: maskedPaths, readonlyPaths, rootfsPropagation,
# personality. (sysctl has its own file.)

load helpers

@test "maskedPaths: files read as /dev/null, directories as an empty read-only dir" {
	echo secret >"$BUNDLE/rootfs/etc/secret"
	mkdir -p "$BUNDLE/rootfs/srv/private"
	echo hidden >"$BUNDLE/rootfs/srv/private/file"
	update_config '.linux.maskedPaths = ["/proc/keys", "/etc/secret", "/srv/private", "/proc/acpi", "/no/such/path"]'
	set_args /bin/sh -c '/bin/probe stat /proc/keys; /bin/probe stat /etc/secret
		echo "[$(cat /etc/secret)]"; echo "[$(ls -A /srv/private)]"; /bin/probe write /srv/private/x; exit 0'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "type=c mode=0666 uid=0 gid=0 rdev=1:3
type=c mode=0666 uid=0 gid=0 rdev=1:3
[]
[]
write=EROFS"
	# The rootfs itself is untouched.
	assert_eq "$(cat "$BUNDLE/rootfs/etc/secret")" secret
}

@test "readonlyPaths: read-only inside, the rest stays writable" {
	mkdir -p "$BUNDLE/rootfs/srv/ro" "$BUNDLE/rootfs/srv/rw"
	update_config '.linux.readonlyPaths = ["/srv/ro", "/proc/sys", "/no/such/path"]'
	set_args /bin/sh -c '/bin/probe write /srv/ro/x; /bin/probe write /srv/rw/x
		/bin/probe write /proc/sys/kernel/hostname x; ls /srv/ro >/dev/null && echo readable'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "write=EROFS
write=OK
write=EROFS
readable"
}

@test "the default masked and read-only paths of the base config are applied" {
	set_args /bin/sh -c '/bin/probe stat /proc/timer_list; /bin/probe write /proc/sys/kernel/hostname x
		ls -A /proc/acpi | wc -l; exit 0'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "type=c mode=0666 uid=0 gid=0 rdev=1:3
write=EROFS
0"
}

# root_propagation: the optional fields of the container's / in its mountinfo.
root_propagation() {
	set_args /bin/sh -c 'awk '"'"'$5 == "/" { o = ""; for (i = 7; $i != "-"; i++) o = o " " $i; print o }'"'"' /proc/self/mountinfo'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
}

@test "rootfsPropagation: private, slave, shared" {
	update_config '.linux.rootfsPropagation = "private"'
	root_propagation
	assert_not_contains "$output" shared: master:
	if is_strait; then
		# runc 1.1.5 leaves / unshared when the host's / is private.
		update_config '.linux.rootfsPropagation = "shared"'
		root_propagation
		assert_contains "$output" shared:
	fi
	update_config '.linux.rootfsPropagation = "slave"'
	root_propagation
	assert_not_contains "$output" shared:
}

@test "rootfsPropagation: an unknown value is refused" {
	update_config '.linux.rootfsPropagation = "sideways"'
	runq rcreate
	assert_error config.json rootfsPropagation sideways
	assert_clean
}

@test "personality LINUX32" {
	strait_only "runc 1.1.5 ignores linux.personality"
	update_config '.linux.personality = {domain: "LINUX32"}'
	set_args /bin/sh -c 'uname -m; /bin/probe personality'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "i686
personality=0x8"
}

@test "personality LINUX is the default domain" {
	update_config '.linux.personality = {domain: "LINUX"}'
	set_args /bin/sh -c 'uname -m; /bin/probe personality'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "x86_64
personality=0x0"
}

@test "personality: an unknown domain is refused" {
	strait_only "runc 1.1.5 ignores linux.personality"
	update_config '.linux.personality = {domain: "SOLARIS"}'
	runq rcreate
	assert_error config.json personality SOLARIS
	assert_clean
}
