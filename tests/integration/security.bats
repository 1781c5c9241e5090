#!/usr/bin/env bats
# The security invariants of issue 2, each with a test that fails without the
# protection: the runtime binary out of reach (CVE-2019-5736 class), no fd leaks and no
# cwd escape (CVE-2024-21626), mounts, devices and files kept inside the rootfs
# (CVE-2021-30465, CVE-2019-18837), masking with the real /dev/null (CVE-2025-31133),
# real /proc and /sys, and container ID validation.

load helpers

setup() {
	common_setup
	# A host directory the container must never touch, with a file to compare.
	HOSTDIR=$BATS_TEST_TMPDIR/host
	mkdir -p "$HOSTDIR"
	echo precious >"$HOSTDIR/victim"
	SAVED_CORE_PATTERN=
}

teardown() {
	# Safety net for the core_pattern test: a runtime with the bug it looks for could
	# change the host's core_pattern; put it back.
	if [ -n "$SAVED_CORE_PATTERN" ] &&
		[ "$(cat /proc/sys/kernel/core_pattern)" != "$SAVED_CORE_PATTERN" ]; then
		echo "$SAVED_CORE_PATTERN" >/proc/sys/kernel/core_pattern
		echo "teardown: restored the host's core_pattern, which the container changed" >&2
		common_teardown || true
		return 1
	fi
	common_teardown
}

# assert_host_untouched: HOSTDIR still holds exactly the victim file, unchanged, and
# nothing is mounted on or under it.
assert_host_untouched() {
	assert_eq "$(cd "$HOSTDIR" && find . -mindepth 1 | sort | tr '\n' ' ')" "./victim " \
		"content of the host directory"
	[ -f "$HOSTDIR/victim" ] && [ ! -L "$HOSTDIR/victim" ] || fail "victim is no longer a plain file"
	assert_eq "$(cat "$HOSTDIR/victim")" precious "host file content"
	! grep -qF -- " $HOSTDIR" /proc/self/mountinfo || fail "a mount landed on the host: $(grep -F "$HOSTDIR" /proc/self/mountinfo)"
}

# fd_numbers: the fd numbers in probe fds output, space-separated.
fd_numbers() {
	awk '{print $1}' <<<"$1" | sort -n | tr '\n' ' '
}

# ---- the runtime binary (CVE-2019-5736 class) ----

# exe_attack_case CAPS_JSON: container A is created (its init is still the runtime's
# image) and started; container B, in A's pid namespace with CAPS_JSON as every
# capability set, goes for /proc/1/exe: opens it for writing, and opens it O_PATH and
# re-opens that through /proc/self/fd, now and again once A has exec'd its program
# (when the runtime's image no longer runs anywhere). The runtime is a copy, so that a
# successful attack damages nothing; its hash must not change.
exe_attack_case() {
	local rt=$BATS_TEST_TMPDIR/rtbin/$RUNTIME_NAME before pid b=$CID-b n out
	mkdir -p "$(dirname "$rt")"
	cp "$RUNTIME" "$rt"
	before=$(sha256sum <"$rt")
	EXTRA_IDS+=("$b")

	set_args /bin/probe sleep
	STRAIT_TEST_MARK=$MARK "$rt" --root "$ROOT" create --bundle "$BUNDLE" "$CID" \
		</dev/null >"$BATS_TEST_TMPDIR/a.out" 2>&1 || fail "create A: $(cat "$BATS_TEST_TMPDIR/a.out")"
	pid=$(state_field "$CID" pid)

	make_bundle "$BATS_TEST_TMPDIR/b"
	CONFIG=$BATS_TEST_TMPDIR/b/config.json update_config '
		.process.args = ["/bin/probe", "exe-attack", "/proc/1/exe", "/tmp/go"] |
		.process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps} |
		.linux.cgroupsPath = "/strait-test/" + $b |
		.linux.namespaces = [.linux.namespaces[] |
			if .type == "pid" then .path = $ns else . end]' \
		--arg ns "/proc/$pid/ns/pid" --arg b "$b" --argjson caps "$1"
	STRAIT_TEST_MARK=$MARK "$rt" --root "$ROOT" run -d --bundle "$BATS_TEST_TMPDIR/b" "$b" \
		</dev/null >"$BATS_TEST_TMPDIR/b.out" 2>"$BATS_TEST_TMPDIR/b.err" ||
		fail "run B: $(cat "$BATS_TEST_TMPDIR/b.err")"
	n=0
	until grep -qE 'waiting=1|open-path=E' "$BATS_TEST_TMPDIR/b.out"; do
		[ $n -lt 200 ] || fail "attacker did not report: $(cat "$BATS_TEST_TMPDIR/b.out" "$BATS_TEST_TMPDIR/b.err")"
		sleep 0.05
		n=$((n + 1))
	done

	STRAIT_TEST_MARK=$MARK "$rt" --root "$ROOT" start "$CID" </dev/null
	n=0
	until [[ $(readlink "/proc/$pid/exe") == */bin/probe ]]; do
		[ $n -lt 200 ] || fail "A did not exec: $(readlink "/proc/$pid/exe")"
		sleep 0.05
		n=$((n + 1))
	done
	touch "$BATS_TEST_TMPDIR/b/rootfs/tmp/go"
	n=0
	until ! grep -q 'waiting=1' "$BATS_TEST_TMPDIR/b.out" ||
		grep -q 'reopen-after-wait=' "$BATS_TEST_TMPDIR/b.out"; do
		[ $n -lt 200 ] || fail "attacker did not finish: $(cat "$BATS_TEST_TMPDIR/b.out")"
		sleep 0.05
		n=$((n + 1))
	done
	out=$(cat "$BATS_TEST_TMPDIR/b.out")
	echo "attacker: $out"
	assert_not_contains "$out" "open-wronly=OK" "reopen-wronly=OK" "reopen-after-wait=OK" "write=OK"
	assert_eq "$(sha256sum <"$rt")" "$before" "hash of the runtime binary"
	"$rt" --root "$ROOT" delete --force "$b" </dev/null
	"$rt" --root "$ROOT" delete --force "$CID" </dev/null
}

@test "the runtime binary cannot be opened for writing from another container" {
	exe_attack_case "$(cfg_get .process.capabilities.bounding)"
}

@test "the runtime binary cannot be opened for writing even by a container with every capability" {
	# Every capability passes the ptrace access checks on /proc/1/exe (CAP_SYS_PTRACE
	# beats a non-dumpable init), so only the binary itself can resist.
	exe_attack_case "$(own_caps_json)"
}

@test "the runtime binary is unchanged after a container overwrites what it can reach" {
	# Whatever the workload does with its own view (/proc/self/exe, /proc/1/exe, every
	# binary in the rootfs), the runtime on the host is not among it.
	local before
	before=$(sha256sum <"$RUNTIME")
	update_config '.process.capabilities.bounding += ["CAP_DAC_OVERRIDE", "CAP_SYS_PTRACE"] |
		.process.capabilities.effective += ["CAP_DAC_OVERRIDE", "CAP_SYS_PTRACE"] |
		.process.capabilities.permitted += ["CAP_DAC_OVERRIDE", "CAP_SYS_PTRACE"]'
	set_args /bin/sh -c 'for p in /proc/self/exe /proc/1/exe /proc/$$/exe; do /bin/probe exe-attack $p; done'
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(sha256sum <"$RUNTIME")" "$before"
}

# ---- fds (CVE-2024-21626 class) ----

@test "run: the container has only stdio open, whatever the caller leaked" {
	set_args /bin/probe fds
	run --separate-stderr bash -c "exec 5</etc/hostname 7>>'$BATS_TEST_TMPDIR/leak' 9<'$BUNDLE'; \
		STRAIT_TEST_MARK='$MARK' exec '$RUNTIME' --root '$ROOT' run -b '$BUNDLE' '$CID'"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(fd_numbers "$output")" "0 1 2 " "fds in the container: $output"
}

@test "STRAIT_PHASES: the runtime and its container process mark their phases; no fd reaches the workload" {
	strait_only "phase marks are strait's (bench/phases.sh)"
	set_args /bin/probe fds
	# a mark under the workload's filter would show a pid of -1
	update_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64"],
		syscalls: [{names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}'
	local marks=$BATS_TEST_TMPDIR/marks
	run --separate-stderr env STRAIT_PHASES="$marks" STRAIT_TEST_MARK="$MARK" \
		"$RUNTIME" --root "$ROOT" run -b "$BUNDLE" "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$stderr" ""
	assert_eq "$(fd_numbers "$output")" "0 1 2 " "fds in the container: $output"
	# "<pid> <us> <name>" lines: the runtime's from main to the end, the container
	# process's (pid 1 in its pid namespace) in between
	assert_eq "$(awk 'NF < 3 || $2 !~ /^[0-9]+$/' "$marks")" ""
	assert_eq "$(head -1 "$marks" | cut -d' ' -f3-)" main
	assert_eq "$(tail -1 "$marks" | cut -d' ' -f3-)" "cgroups, state dir removed"
	grep -q '^1 [0-9]* container: mounts$' "$marks" || fail "no container mark: $(cat "$marks")"
	grep -q '^1 [0-9]* container: started; ' "$marks" || fail "no last mark: $(cat "$marks")"
	assert_eq "$(grep -v '^[1-9][0-9]* ' "$marks")" ""
	# each process's own marks are in time order
	local own
	own=$(grep -v "^1 " "$marks")
	assert_eq "$(sort -s -k2,2n <<<"$own")" "$own" "runtime marks out of time order"
	assert_clean
}

@test "create + start: the workload has only stdio open" {
	set_args /bin/probe fds
	exec 5</etc/hostname 7>>"$BATS_TEST_TMPDIR/leak"
	create_ok
	runtime start "$CID"
	exec 5<&- 7>&-
	wait_status "$CID" stopped
	local out
	out=$(cat "$CTR_OUT")
	assert_eq "$(fd_numbers "$out")" "0 1 2 " "fds in the container: $out"
}

@test "--preserve-fds N passes exactly fds 3 .. 3+N-1" {
	echo three >"$BATS_TEST_TMPDIR/three"
	echo four >"$BATS_TEST_TMPDIR/four"
	set_args /bin/sh -c '/bin/probe fds; cat <&3; cat <&4'
	run --separate-stderr bash -c "exec 3<'$BATS_TEST_TMPDIR/three' 4<'$BATS_TEST_TMPDIR/four' 5</etc/hostname; \
		STRAIT_TEST_MARK='$MARK' exec '$RUNTIME' --root '$ROOT' run --preserve-fds 2 -b '$BUNDLE' '$CID'"
	[ "$status" -eq 0 ] || fail "$stderr"
	# probe itself sees 0-4; the shell's own fds are the same set.
	local fds
	fds=$(grep -E '^[0-9]+ ' <<<"$output")
	assert_eq "$(fd_numbers "$fds")" "0 1 2 3 4 " "fds: $fds"
	assert_contains "$output" three four
}

@test "process.cwd through /proc/self/fd/N is refused" {
	local n
	set_args /bin/sh -c 'pwd; ls ..'
	for n in 3 4 5 6 7 8 9 10; do
		update_config '.process.cwd = $c' --arg c "/proc/self/fd/$n"
		runq rrun
		assert_error process.cwd "/proc/self/fd/$n"
		assert_not_contains "$output" bundle rootfs
		assert_clean
	done
}

# ---- mounts, devices and files stay in the rootfs (CVE-2021-30465 class) ----

# mount_symlink_case LINKTARGET: /mnt/link in the rootfs points at LINKTARGET (which
# names the host directory). A tmpfs and a bind mount go through the link.
mount_symlink_case() {
	ln -s "$1" "$BUNDLE/rootfs/mnt/link"
	mkdir "$BUNDLE/data"
	echo from-bundle >"$BUNDLE/data/file"
	add_mount /mnt/link/tmp tmpfs tmpfs size=1m
	add_mount /mnt/link/bind bind "$BUNDLE/data" bind
	set_args /bin/sh -c 'cat /mnt/link/bind/file; echo x >/mnt/link/tmp/new; grep -F " /mnt/link/" /proc/self/mountinfo; grep -F "'"$HOSTDIR"'/" /proc/self/mountinfo | cut -d" " -f5'
	runq rrun
	assert_host_untouched
	if is_strait || [ "$status" -eq 0 ]; then
		[ "$status" -eq 0 ] || fail "run failed: $stderr"
		# Resolved inside the rootfs: the link's target, taken as a path in the
		# container, holds both mounts.
		assert_has_line "$output" from-bundle
		assert_has_line "$output" "$HOSTDIR/tmp"
		assert_has_line "$output" "$HOSTDIR/bind"
		[ -e "$BUNDLE/rootfs$HOSTDIR/bind" ] || fail "the mount point was not created in the rootfs"
	fi
}

@test "mount destination through an absolute symlink to a host path lands in the rootfs" {
	mount_symlink_case "$HOSTDIR"
}

@test "mount destination through a ../.. symlink to a host path lands in the rootfs" {
	mount_symlink_case "../../../../../../../../../../..$HOSTDIR"
}

@test "a bind mount onto a symlink to a host file does not cover the host file" {
	echo evil >"$BUNDLE/evil"
	ln -s "$HOSTDIR/victim" "$BUNDLE/rootfs/etc/hostfile"
	add_mount /etc/hostfile bind "$BUNDLE/evil" bind
	set_args /bin/sh -c 'cat /etc/hostfile; echo pwned >/etc/hostfile'
	runq rrun
	assert_host_untouched
}

@test "a rootfs /dev that is a symlink to a host directory gets no device nodes" {
	strait_only "runc 1.1.5 creates the /dev/fd and stdio links through the symlink, on the host"
	mkdir "$HOSTDIR/dev"
	rmdir "$BUNDLE/rootfs/dev"
	ln -s "$HOSTDIR/dev" "$BUNDLE/rootfs/dev"
	update_config '.mounts |= map(select(.destination != "/dev")) |
		.linux.devices = [{path: "/dev/strait-test", type: "c", major: 1, minor: 3, fileMode: 438}]'
	set_args /bin/sh -c 'ls -l /dev/strait-test /dev/null; echo pwned >/dev/strait-test'
	runq rrun
	assert_eq "$(ls -A "$HOSTDIR/dev")" "" "host directory behind the /dev symlink"
	rmdir "$HOSTDIR/dev"
	assert_host_untouched
}

@test "a device path that is a symlink to a host file does not touch the host file" {
	update_config '.mounts |= map(select(.destination != "/dev")) |
		.linux.devices = [{path: "/dev/mydev", type: "c", major: 1, minor: 5, fileMode: 438}]'
	ln -s "$HOSTDIR/victim" "$BUNDLE/rootfs/dev/mydev"
	ln -s "../../../../../../..$HOSTDIR/victim" "$BUNDLE/rootfs/dev/zero"
	set_args /bin/sh -c 'echo pwned >/dev/mydev; echo pwned >/dev/zero'
	runq rrun
	assert_host_untouched
}

# ---- masking uses the real /dev/null (CVE-2025-31133 class) ----

# masked_paths_script: a shell script that exits 0 when every masked file is the real
# /dev/null (char 1:3) and reads empty, and 3 otherwise. It writes nothing, so that a
# runtime with the bug cannot make it write into what /dev/null points at.
MASKED_CHECK='for p in /proc/kcore /proc/timer_list /proc/keys /proc/sched_debug; do
	[ -e $p ] || continue
	[ -c $p ] || exit 3
	[ "$(stat -c %t:%T $p)" = 1:3 ] || exit 3
	[ -z "$(head -c 64 $p)" ] || exit 3
done; exit 0'

@test "masking uses the real /dev/null when the rootfs /dev/null links to a writable file" {
	strait_only "runc 1.1.5 is vulnerable to CVE-2025-31133"
	# The container owns /dev (no tmpfs), and its /dev/null points at a file mounted
	# into it. A runtime that masks with "whatever /dev/null is" binds that file over
	# /proc/kcore and friends, read-write.
	update_config '.mounts |= map(select(.destination != "/dev"))'
	add_mount /victim bind "$HOSTDIR/victim" bind ro
	ln -s /victim "$BUNDLE/rootfs/dev/null"
	set_args /bin/sh -c "$MASKED_CHECK"
	runq rrun
	assert_host_untouched
	[ "$status" -eq 0 ] || fail "a masked path is not the real /dev/null ($status): $stderr"
	# Writes into the masked paths must end in the real /dev/null.
	set_args /bin/sh -c 'for p in /proc/kcore /proc/timer_list /proc/keys; do
		echo pwned 2>&- >$p; done; true'
	runq rrun
	assert_host_untouched
}

@test "masking uses the real /dev/null when the rootfs /dev/null links to core_pattern" {
	strait_only "runc 1.1.5 is vulnerable to CVE-2025-31133 (it would write the host's core_pattern)"
	SAVED_CORE_PATTERN=$(cat /proc/sys/kernel/core_pattern)
	update_config '.mounts |= map(select(.destination != "/dev"))'
	ln -s /proc/sys/kernel/core_pattern "$BUNDLE/rootfs/dev/null"
	set_args /bin/sh -c "$MASKED_CHECK"
	runq rrun
	assert_eq "$(cat /proc/sys/kernel/core_pattern)" "$SAVED_CORE_PATTERN" "host core_pattern"
	[ "$status" -eq 0 ] || fail "a masked path is not the real /dev/null ($status): $stderr"
}

# ---- /proc and /sys are real ----

@test "a rootfs /proc that is a symlink is refused" {
	rmdir "$BUNDLE/rootfs/proc"
	ln -s "$HOSTDIR" "$BUNDLE/rootfs/proc"
	runq rcreate
	assert_error /proc
	assert_clean
	assert_host_untouched
}

@test "a rootfs /proc that is a relative symlink is refused" {
	rmdir "$BUNDLE/rootfs/proc"
	ln -s tmp "$BUNDLE/rootfs/proc"
	runq rcreate
	assert_error /proc
	assert_clean
}

@test "a rootfs /sys that is a symlink is refused" {
	rmdir "$BUNDLE/rootfs/sys"
	ln -s "../../../../..$HOSTDIR" "$BUNDLE/rootfs/sys"
	runq rcreate
	assert_error /sys
	assert_clean
	assert_host_untouched
}

# ---- container IDs ----

@test "bad container IDs are refused and create nothing" {
	local id long
	long=$(printf 'x%.0s' {1..1025})
	touch "$BATS_TEST_TMPDIR/marker"
	for id in "" / . .. ../x a/b "a b" $'a\nb' $'a\tb' $'a\x01b' $'a\x7fb' "$long"; do
		runq runtime create --bundle "$BUNDLE" "$id"
		assert_error
		if is_strait; then
			assert_contains "${stderr,,}" "container id"
		fi
		assert_eq "$(ls -A "$ROOT")" "" "state root after create '$id'"
		# Nothing appeared beside the state root either.
		[ -z "$(find "$BATS_TEST_TMPDIR" -maxdepth 2 -newer "$BATS_TEST_TMPDIR/marker" \
			-name state.json)" ] || fail "state written outside the root for '$id'"
	done
	assert_clean
}

@test "bad IDs are refused by every command" {
	local cmd
	for cmd in state start kill delete; do
		run --separate-stderr runtime $cmd ../x
		assert_error
		run --separate-stderr runtime $cmd ""
		assert_error
	done
}

@test "an ID using every allowed character works" {
	CID=Az09_+.-$CID
	set_args /bin/true
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_clean
}
