#!/usr/bin/env bats
# mounts: bind and rbind with ro, rw, nosuid, nodev, noexec, relatime, atime options;
# propagation; recursive read-only (rro); tmpfs size and mode; proc, sysfs, mqueue,
# devpts and cgroup (read-only); destinations created inside the rootfs.

load helpers

setup() {
	common_setup
	SRC=$BATS_TEST_TMPDIR/src
	mkdir -p "$SRC"
	echo hello >"$SRC/file"
	HOST_MOUNTS=()
}

teardown() {
	local m
	for ((m = ${#HOST_MOUNTS[@]} - 1; m >= 0; m--)); do
		umount "${HOST_MOUNTS[$m]}" 2>/dev/null || umount -l "${HOST_MOUNTS[$m]}" 2>/dev/null || true
	done
	common_teardown
}

# host_mount ARGS... DIR: a mount on the host for this test, undone in teardown.
host_mount() {
	mount "$@"
	HOST_MOUNTS+=("${!#}")
}

# mount_opts DEST: sets args to print the per-mount options of DEST in the container.
print_mount_opts() {
	set_args /bin/sh -c "awk '\$5 == \"$1\" {print \$6}' /proc/self/mountinfo"
}

@test "bind ro: readable, not writable" {
	add_mount /mnt/x bind "$SRC" bind ro
	set_args /bin/sh -c 'cat /mnt/x/file; /bin/probe write /mnt/x/new; exit 0'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "hello
write=EROFS"
	[ ! -e "$SRC/new" ]
}

@test "bind rw: writes reach the source" {
	add_mount /mnt/x bind "$SRC" bind rw
	set_args /bin/probe write /mnt/x/new from-container
	run --separate-stderr rrun
	assert_eq "$output" write=OK
	assert_eq "$(cat "$SRC/new")" from-container
}

@test "bind of a single file" {
	add_mount /etc/injected bind "$SRC/file" bind ro
	set_args cat /etc/injected
	run --separate-stderr rrun
	assert_eq "$output" hello
}

@test "a relative bind source is relative to the bundle" {
	mkdir "$BUNDLE/data"
	echo bundle-data >"$BUNDLE/data/f"
	add_mount /mnt/x bind data bind
	set_args cat /mnt/x/f
	cd /
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" bundle-data
}

@test "bind options nosuid, nodev, noexec, relatime show in the mount flags" {
	add_mount /mnt/x bind "$SRC" bind ro nosuid nodev noexec relatime
	print_mount_opts /mnt/x
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "ro,nosuid,nodev,noexec,relatime"
}

@test "bind options: noatime, strictatime, and atime clears noatime" {
	add_mount /mnt/x bind "$SRC" bind noatime
	print_mount_opts /mnt/x
	run --separate-stderr rrun
	assert_contains "$output" noatime
	update_config '.mounts[-1].options = ["bind", "strictatime"]'
	run --separate-stderr rrun
	assert_not_contains "$output" noatime relatime
	update_config '.mounts[-1].options = ["bind", "noatime", "atime"]'
	run --separate-stderr rrun
	[ -n "$output" ]
	assert_not_contains "$output" noatime
}

@test "noexec: binaries on the mount do not run" {
	cp "$TEST_CACHE/probe" "$SRC/probe"
	add_mount /mnt/x bind "$SRC" bind noexec
	set_args /mnt/x/probe exit 0
	run --separate-stderr rrun
	[ "$status" -ne 0 ]
	update_config '.mounts[-1].options = ["bind", "exec"]'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "exec mount: $stderr"
}

@test "nodev: device nodes on the mount cannot be opened" {
	mknod "$SRC/null" c 1 3
	add_mount /mnt/x bind "$SRC" bind nodev
	set_args /bin/probe write /mnt/x/null x
	run --separate-stderr rrun
	assert_eq "$output" write=EACCES
	update_config '.mounts[-1].options = ["bind", "dev"]'
	run --separate-stderr rrun
	assert_eq "$output" write=OK
}

@test "nosuid: set-user-ID bits are ignored" {
	add_mount /mnt/x bind "$SRC" bind nosuid
	print_mount_opts /mnt/x
	run --separate-stderr rrun
	assert_contains "$output" nosuid
	update_config '.mounts[-1].options = ["bind", "suid"]'
	run --separate-stderr rrun
	assert_not_contains "$output" nosuid
}

@test "rbind carries submounts, bind does not" {
	mkdir "$SRC/sub"
	host_mount -t tmpfs tmpfs "$SRC/sub"
	echo in-sub >"$SRC/sub/f"
	add_mount /mnt/x bind "$SRC" bind
	set_args /bin/sh -c 'cat /mnt/x/sub/f 2>/dev/null || echo none'
	run --separate-stderr rrun
	assert_eq "$output" none
	update_config '.mounts[-1].options = ["rbind"]'
	run --separate-stderr rrun
	assert_eq "$output" in-sub
}

@test "rro makes every submount read-only, ro only the top" {
	mkdir "$SRC/sub"
	host_mount -t tmpfs tmpfs "$SRC/sub"
	add_mount /mnt/x bind "$SRC" rbind ro
	set_args /bin/sh -c '/bin/probe write /mnt/x/a; /bin/probe write /mnt/x/sub/a; exit 0'
	run --separate-stderr rrun
	assert_eq "$output" "write=EROFS
write=OK"
	rm -f "$SRC/sub/a"
	update_config '.mounts[-1].options = ["rbind", "rro"]'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "write=EROFS
write=EROFS"
	[ ! -e "$SRC/sub/a" ]
}

# propagation_case OPTION: the container sees a mount made on the host after it
# started when the bind is a slave of the host's (shared) source.
propagation_case() {
	host_mount --bind "$SRC" "$SRC"
	mount --make-shared "$SRC"
	add_mount /mnt/x bind "$SRC" rbind "$1"
	set_args /bin/sh -c 'while [ ! -e /tmp/go ]; do sleep 0.05; done
		grep -F " /mnt/x" /proc/self/mountinfo | cut -d" " -f5; cat /mnt/x/late/f 2>/dev/null || echo none'
	run_detached_ok
	wait_status "$CID" running
	mkdir -p "$SRC/late"
	host_mount -t tmpfs tmpfs "$SRC/late"
	echo late >"$SRC/late/f"
	touch "$BUNDLE/rootfs/tmp/go"
	wait_status "$CID" stopped
	output=$(cat "$CTR_OUT")
}

@test "propagation rslave: host mounts propagate into the container" {
	propagation_case rslave
	assert_has_line "$output" /mnt/x/late
	assert_has_line "$output" late
}

@test "propagation rprivate: host mounts do not propagate" {
	propagation_case rprivate
	assert_not_contains "$output" /mnt/x/late
	assert_has_line "$output" none
}

@test "propagation rshared: the mount is shared" {
	host_mount --bind "$SRC" "$SRC"
	mount --make-shared "$SRC"
	add_mount /mnt/x bind "$SRC" rbind rshared
	set_args /bin/sh -c "awk '\$5 == \"/mnt/x\"' /proc/self/mountinfo"
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_contains "$output" shared:
}

@test "tmpfs with size and mode" {
	add_mount /mnt/t tmpfs tmpfs size=1m mode=0710
	set_args /bin/sh -c '/bin/probe stat /mnt/t; df -k /mnt/t | awk "NR == 2 {print \$2}"
		dd if=/dev/zero of=/mnt/t/big bs=1k count=2048 2>/dev/null && echo fits || echo full'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "type=d mode=0710 uid=0 gid=0 rdev=0:0
1024
full"
}

@test "proc, sysfs, mqueue, devpts and cgroup are mounted with their types" {
	set_args cat /proc/self/mountinfo
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	local types
	types=$(awk '{ for (i = 7; $i != "-"; i++); print $5, $(i + 1), $6 }' <<<"$output")
	grep -qE '^/proc proc ' <<<"$types" || fail "$types"
	grep -qE '^/sys sysfs ro,' <<<"$types" || fail "sysfs not ro: $types"
	grep -qE '^/dev/mqueue mqueue ' <<<"$types" || fail "$types"
	grep -qE '^/dev/pts devpts ' <<<"$types" || fail "$types"
	grep -qE '^/dev/shm tmpfs ' <<<"$types" || fail "$types"
	grep -qE '^/sys/fs/cgroup(/[a-z_,=]+)? (cgroup|cgroup2|tmpfs) ro,' <<<"$types" ||
		fail "no read-only cgroup mount: $types"
	# Nothing under /sys/fs/cgroup is writable (runc 1.1.5 leaves the v1 tmpfs rw).
	if is_strait; then
		! grep -E '^/sys/fs/cgroup' <<<"$types" | grep -vq ' ro,' ||
			fail "a writable cgroup mount: $types"
	fi
}

@test "the cgroup mount is read-only" {
	strait_only "runc 1.1.5 leaves the /sys/fs/cgroup tmpfs of a v1 host writable"
	set_args /bin/sh -c 'for d in /sys/fs/cgroup /sys/fs/cgroup/*; do /bin/probe write $d/x; done | sort -u'
	run --separate-stderr rrun
	assert_eq "$output" write=EROFS
}

@test "destinations that do not exist are created inside the rootfs" {
	add_mount /a/b/c tmpfs tmpfs
	add_mount /etc/new/dir/file bind "$SRC/file" bind
	set_args /bin/sh -c '/bin/probe stat /a/b/c; /bin/probe stat /etc/new/dir/file; cat /etc/new/dir/file'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "type=d mode=1777 uid=0 gid=0 rdev=0:0
type=f mode=0644 uid=0 gid=0 rdev=0:0
hello"
	[ -d "$BUNDLE/rootfs/a/b/c" ]
	[ -f "$BUNDLE/rootfs/etc/new/dir/file" ] && [ ! -L "$BUNDLE/rootfs/etc/new/dir/file" ]
}

@test "mounts are applied in order" {
	add_mount /mnt/o tmpfs tmpfs
	add_mount /mnt/o/inner bind "$SRC" bind
	set_args cat /mnt/o/inner/file
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" hello
}
