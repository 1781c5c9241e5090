#!/usr/bin/env bats
# Host safety: a namespace the config does not ask for is shared with the caller, never
# modified. Each dangerous case runs inside a private namespace of its own (unshare),
# so that the host stays as it was even if the runtime were wrong, and compares what
# the caller sees before and after.

load helpers

# in_ns UNSHARE-OPTION... -- SCRIPT: runs SCRIPT with bash in new namespaces (mount
# propagation private), with RT (the runtime, with this test's root and marker),
# BUNDLE, CID and T (a scratch dir) exported.
in_ns() {
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	T=$BATS_TEST_TMPDIR RT="$RUNTIME --root $ROOT" BUNDLE=$BUNDLE CID=$CID \
		STRAIT_TEST_MARK=$MARK unshare "${opts[@]}" bash -c "$1" </dev/null
}

# no_mount_ns: drops the mount namespace from the bundle's config.
no_mount_ns() {
	update_config '.linux.namespaces |= map(select(.type != "mount"))'
}

# runc_spec_bundle: the bundle's config replaced by what `runc spec` writes, with the
# test's rootfs, no terminal and /bin/true.
runc_spec_bundle() {
	requires runc
	(cd "$BUNDLE" && rm -f config.json && runc spec) || fail "runc spec failed"
	update_config '.process.terminal = false | .process.args = ["/bin/true"] |
		.process.env += [("STRAIT_TEST_MARK=" + $m)]' --arg m "$MARK"
}

# lifecycle_keeps_mountinfo: create, start, delete in a private mount namespace, and
# the caller's mountinfo is byte-identical afterwards. Sets status/stderr from create.
lifecycle_keeps_mountinfo() {
	run --separate-stderr in_ns -m --propagation private -- '
		cat /proc/self/mountinfo >"$T/before"
		$RT create --bundle "$BUNDLE" "$CID" 2>"$T/create.err" >/dev/null
		echo "create=$?"
		$RT start "$CID" 2>/dev/null
		$RT delete --force "$CID" 2>/dev/null
		cat /proc/self/mountinfo >"$T/after"
		cmp -s "$T/before" "$T/after" && echo mountinfo=same || diff "$T/before" "$T/after"'
	[ "$status" -eq 0 ] || fail "in_ns: $output $stderr"
	assert_has_line "$output" mountinfo=same
	stderr=$(cat "$BATS_TEST_TMPDIR/create.err")
	status=$(sed -n 's/^create=//p' <<<"$output")
}

@test "no mount namespace: refused, the caller's mount table unchanged, nothing left" {
	no_mount_ns
	lifecycle_keeps_mountinfo
	assert_error 'config.json: linux.namespaces: no "mount" namespace'
	assert_clean
}

@test "no mount namespace in a config made by runc spec: refused, mount table unchanged" {
	runc_spec_bundle
	no_mount_ns
	lifecycle_keeps_mountinfo
	assert_error 'config.json: linux.namespaces: no "mount" namespace'
	assert_clean
}

@test "no mount namespace: run and a config without masked paths are refused too" {
	no_mount_ns
	update_config 'del(.linux.maskedPaths, .linux.readonlyPaths) | .mounts = []'
	run --separate-stderr in_ns -m --propagation private -- '
		cat /proc/self/mountinfo >"$T/before"
		$RT run --bundle "$BUNDLE" "$CID"; echo "run=$?" >&2
		cat /proc/self/mountinfo >"$T/after"
		cmp -s "$T/before" "$T/after" && echo mountinfo=same'
	assert_eq "$output" mountinfo=same
	assert_contains "$stderr" "run=1"
	strait_only "runc runs this config in the caller's mount namespace"
	assert_contains "$stderr" 'linux.namespaces: no "mount" namespace'
	assert_clean
}

@test "a mount namespace path naming the runtime's own is refused as no mount namespace" {
	strait_only "runc sets up the root file system in the namespace joined"
	update_config '.linux.namespaces |= map(if .type == "mount" then .path = "/proc/self/ns/mnt" else . end)'
	lifecycle_keeps_mountinfo
	assert_error 'config.json: linux.namespaces: no "mount" namespace'
	assert_clean
}

@test "a mount namespace path naming pid 1's is refused" {
	strait_only "runc sets up the root file system in the namespace joined"
	update_config '.linux.namespaces |= map(if .type == "mount" then .path = "/proc/1/ns/mnt" else . end)'
	# pid 1 of a new pid namespace (this bash, with its own mount namespace); the
	# runtime in a mount namespace of its own below it.
	run --separate-stderr in_ns -m -p -f --mount-proc -- '
		cat /proc/1/mountinfo >"$T/before"
		unshare -m --propagation private $RT run --bundle "$BUNDLE" "$CID" 2>"$T/err"
		echo "run=$?"
		cat /proc/1/mountinfo >"$T/after"
		cmp -s "$T/before" "$T/after" && echo mountinfo=same'
	assert_has_line "$output" run=1
	assert_has_line "$output" mountinfo=same
	stderr=$(cat "$BATS_TEST_TMPDIR/err") status=1
	assert_error 'linux.namespaces: mount path "/proc/1/ns/mnt" is the mount namespace of pid 1'
	assert_clean
}

@test "a uts namespace path naming the runtime's own: a hostname is refused, the caller's is kept" {
	strait_only "runc sets the hostname of the uts namespace joined, even the caller's"
	update_config '.linux.namespaces |= map(if .type == "uts" then .path = "/proc/self/ns/uts" else . end)'
	run --separate-stderr in_ns -m -u -- '
		hostname strait-host-safety
		$RT run --bundle "$BUNDLE" "$CID" 2>"$T/err"; echo "run=$?"
		echo "hostname=$(hostname)"'
	assert_has_line "$output" run=1
	assert_has_line "$output" hostname=strait-host-safety
	stderr=$(cat "$BATS_TEST_TMPDIR/err") status=1
	assert_error 'hostname: "strait-test" needs a uts namespace in linux.namespaces'
	assert_clean
}

@test "a network namespace path naming the runtime's own: a net.* sysctl is refused" {
	strait_only "runc writes the sysctl in the network namespace joined, even the caller's"
	update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/net" else . end) |
		.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	run --separate-stderr in_ns -m -n -- '
		$RT run --bundle "$BUNDLE" "$CID" 2>"$T/err"; echo "run=$?"
		echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)"'
	assert_has_line "$output" run=1
	assert_has_line "$output" ip_forward=0
	stderr=$(cat "$BATS_TEST_TMPDIR/err") status=1
	assert_error 'linux.sysctl: "net.ipv4.ip_forward" needs a network namespace'
	assert_clean
}

@test "a shared network namespace: its loopback is not brought up" {
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	update_config '.mounts |= map(select(.destination != "/sys" and .destination != "/sys/fs/cgroup"))'
	set_args /bin/sh -c 'cat /sys/class/net/lo/operstate 2>/dev/null; ip -o link show lo'
	run --separate-stderr in_ns -m -n -- '
		$RT run --bundle "$BUNDLE" "$CID"; echo "run=$?"
		ip -o link show lo'
	[ "$(grep -c 'LOOPBACK' <<<"$output")" -ge 2 ] || fail "$output $stderr"
	assert_not_contains "$output" "LOOPBACK,UP"
	assert_has_line "$output" run=0
	[ -z "$stderr" ] || fail "stderr: $stderr"
	assert_clean
}

@test "a shared uts namespace: no hostname in the config runs, and the caller's is kept" {
	update_config '.linux.namespaces |= map(select(.type != "uts")) | del(.hostname)'
	set_args /bin/hostname
	run --separate-stderr in_ns -m -u -- '
		hostname strait-host-safety
		$RT run --bundle "$BUNDLE" "$CID"; echo "run=$?"
		echo "hostname=$(hostname)"'
	assert_eq "$output" "strait-host-safety
run=0
hostname=strait-host-safety"
	[ -z "$stderr" ] || fail "stderr: $stderr"
	assert_clean
}

@test "--no-pivot: the caller's /proc and /sys stay mounted, even when its mounts are shared" {
	# The runtime detaches the old root's proc and sysfs in the container's mount
	# namespace. Here the caller's mounts are shared (in a private namespace of the
	# test's own): a detach that propagated would take the caller's /proc with it.
	for prop in "" shared; do
		update_config '.process.args = ["/bin/true"]'
		[ -z "$prop" ] || update_config '.linux.rootfsPropagation = $p' --arg p "$prop"
		run --separate-stderr in_ns -m --propagation private -- '
			mount --make-rshared /
			cat /proc/self/mountinfo >"$T/before"
			$RT run --no-pivot --bundle "$BUNDLE" "$CID" 2>"$T/err"
			echo "run=$?"
			cat /proc/self/mountinfo >"$T/after"
			cmp -s "$T/before" "$T/after" && echo mountinfo=same || diff "$T/before" "$T/after"'
		assert_has_line "$output" run=0
		assert_has_line "$output" mountinfo=same
		[ ! -s "$BATS_TEST_TMPDIR/err" ] || fail "stderr: $(cat "$BATS_TEST_TMPDIR/err")"
	done
	assert_clean
}
