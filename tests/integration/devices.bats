#!/usr/bin/env bats
# devices: the default set (null, zero, full, random, urandom, tty, ptmx; /dev/pts,
# /dev/shm, /dev/fd and the stdio links) and linux.devices, with the device cgroup.

load helpers

@test "default devices exist with the right numbers and modes" {
	set_args /bin/sh -c 'for d in null zero full random urandom tty; do echo "$d $(/bin/probe stat /dev/$d)"; done'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "null type=c mode=0666 uid=0 gid=0 rdev=1:3
zero type=c mode=0666 uid=0 gid=0 rdev=1:5
full type=c mode=0666 uid=0 gid=0 rdev=1:7
random type=c mode=0666 uid=0 gid=0 rdev=1:8
urandom type=c mode=0666 uid=0 gid=0 rdev=1:9
tty type=c mode=0666 uid=0 gid=0 rdev=5:0"
}

@test "default devices work (and the device cgroup allows them)" {
	set_args /bin/sh -c 'echo x >/dev/null && echo null-ok
		[ "$(head -c 4 /dev/zero | od -An -tx1 | tr -d " ")" = 00000000 ] && echo zero-ok
		[ "$(head -c 16 /dev/urandom | wc -c)" = 16 ] && echo urandom-ok
		[ "$(head -c 16 /dev/random | wc -c)" = 16 ] && echo random-ok
		/bin/probe write /dev/full x'
	run --separate-stderr rrun
	assert_eq "$output" "null-ok
zero-ok
urandom-ok
random-ok
write=ENOSPC"
}

@test "/dev/ptmx, /dev/pts, /dev/shm, /dev/fd and the stdio links" {
	set_args /bin/sh -c 'readlink /dev/ptmx || /bin/probe stat /dev/ptmx
		/bin/probe stat /dev/pts; /bin/probe stat /dev/shm
		for l in fd stdin stdout stderr; do echo "$l -> $(readlink /dev/$l)"; done'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	local ptmx
	ptmx=$(sed -n 1p <<<"$output")
	[ "$ptmx" = pts/ptmx ] || [ "$ptmx" = /dev/pts/ptmx ] || [[ $ptmx == "type=c "*"rdev=5:2" ]] ||
		fail "ptmx: $ptmx"
	[[ $(sed -n 2p <<<"$output") == "type=d "* ]] || fail "/dev/pts: $output"
	[[ $(sed -n 3p <<<"$output") == "type=d mode=1777 "* ]] || fail "/dev/shm: $output"
	assert_has_line "$output" "fd -> /proc/self/fd"
	assert_has_line "$output" "stdin -> /proc/self/fd/0"
	assert_has_line "$output" "stdout -> /proc/self/fd/1"
	assert_has_line "$output" "stderr -> /proc/self/fd/2"
}

@test "/dev holds only the default set and what the config adds" {
	set_args ls -A /dev
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	local extra
	extra=$(grep -vxE 'null|zero|full|random|urandom|tty|ptmx|pts|shm|mqueue|fd|stdin|stdout|stderr|console|core' \
		<<<"$output" || true)
	[ -z "$extra" ] || fail "unexpected entries in /dev: $extra"
}

@test "linux.devices: char, block and fifo with mode and owner" {
	update_config '.linux.devices = [
		{path: "/dev/mynull", type: "c", major: 1, minor: 3, fileMode: 384, uid: 1000, gid: 1001},
		{path: "/dev/myloop", type: "b", major: 7, minor: 200, fileMode: 432},
		{path: "/dev/sub/dir/myzero", type: "c", major: 1, minor: 5},
		{path: "/dev/myfifo", type: "p"}]'
	set_args /bin/sh -c 'for d in mynull myloop sub/dir/myzero myfifo; do /bin/probe stat /dev/$d; done'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(sed -n 1p <<<"$output")" "type=c mode=0600 uid=1000 gid=1001 rdev=1:3"
	assert_eq "$(sed -n 2p <<<"$output")" "type=b mode=0660 uid=0 gid=0 rdev=7:200"
	[[ $(sed -n 3p <<<"$output") == "type=c "*"rdev=1:5" ]] || fail "$output"
	[[ $(sed -n 4p <<<"$output") == "type=p "* ]] || fail "$output"
}

@test "linux.devices: the device cgroup decides access" {
	requires cgroup_v1
	# c 240:0 has no driver: an open the cgroup allows fails with ENXIO, one it
	# refuses with EPERM.
	update_config '.linux.devices = [{path: "/dev/exp", type: "c", major: 240, minor: 0, fileMode: 438}]'
	set_args /bin/probe write /dev/exp x
	# The base config denies everything but the default devices.
	run --separate-stderr rrun
	assert_eq "$output" write=EPERM
	update_config '.linux.resources.devices += [{allow: true, type: "c", major: 240, minor: 0, access: "rw"}]'
	run --separate-stderr rrun
	assert_eq "$output" write=ENXIO
}

@test "linux.devices: an unknown type is refused" {
	update_config '.linux.devices = [{path: "/dev/bad", type: "x", major: 1, minor: 3}]'
	runq rcreate
	assert_error config.json linux.devices
	assert_clean
}

@test "linux.devices: a relative path is refused" {
	strait_only "runc 1.1.5 accepts a relative device path"
	update_config '.linux.devices = [{path: "dev/bad", type: "c", major: 1, minor: 3}]'
	runq rcreate
	assert_error config.json linux.devices dev/bad
	assert_clean
}
