# Helpers for the seccomp suites (load after helpers: `load helpers; load seccomp-helpers`).
#
# The test programs of tests/seccomp/ are built here with gcc (not by automake) into
# $SC_BIN, a cache keyed by a hash of their sources, and copied into each test bundle:
#   /bin/sctest     x86_64 static: raw syscalls, printing ret=N / errno=N (sctest.c)
#   /bin/sctest32   the same for i386 (gcc -m32 -static), for the compat-arch tests;
#                   optional: tests that need it call requires_m32
#   $SC_BIN/sclistener   host-side NOTIFY agent (sclistener.c)
# Syscall numbers come from the libc headers ($SC_BIN/nr64, $SC_BIN/nr32).
#
# sc_setup also points STRAIT_CONFIG at an empty per-test strait.conf, so that a host
# /etc/strait/strait.conf cannot change the outcome; tests write settings into $SC_CONF.

SC_SRC=$TESTS_DIR/seccomp
SC_BIN=$TEST_CACHE/seccomp-bin

# sc_build: builds (once per source change) the test programs. Concurrent callers are
# serialized with flock.
sc_build() {
	local stamp
	mkdir -p "$SC_BIN"
	(
		flock 9
		stamp=$(cat "$SC_SRC"/*.c "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1)
		[ -f "$SC_BIN/stamp" ] && [ "$(cat "$SC_BIN/stamp")" = "$stamp" ] && exit 0
		rm -f "$SC_BIN/stamp"
		set -e
		gcc -static -O2 -Wall -Wextra -Werror -pthread -o "$SC_BIN/sctest" "$SC_SRC/sctest.c"
		gcc -O2 -Wall -Wextra -Werror -o "$SC_BIN/sclistener" "$SC_SRC/sclistener.c"
		echo '#include <sys/syscall.h>' | gcc -E -dM - |
			awk '$2 ~ /^__NR_/ { sub(/^__NR_/, "", $2); print $2, $3 }' >"$SC_BIN/nr64"
		# i386: optional (needs gcc-multilib); the tests that need it skip without
		rm -f "$SC_BIN/sctest32" "$SC_BIN/nr32"
		if gcc -m32 -static -O2 -Wall -Wextra -Werror -pthread -o "$SC_BIN/sctest32" \
			"$SC_SRC/sctest.c" 2>"$SC_BIN/m32.log"; then
			echo '#include <sys/syscall.h>' | gcc -m32 -E -dM - |
				awk '$2 ~ /^__NR_/ { sub(/^__NR_/, "", $2); print $2, $3 }' >"$SC_BIN/nr32"
		else
			rm -f "$SC_BIN/sctest32"
		fi
		echo "$stamp" >"$SC_BIN/stamp"
	) 9>"$SC_BIN.lock"
}

# requires_m32: skips unless the i386 test program could be built and the kernel runs
# i386 code (IA-32 emulation: CONFIG_IA32_EMULATION and not ia32_emulation=false).
# Without it there is no i386 entry to bypass a filter through, and nothing to test.
requires_m32() {
	[ -f "$SC_BIN/sctest32" ] && [ -s "$SC_BIN/nr32" ] ||
		skip "no i386 toolchain (gcc -m32 -static): $(head -c 200 "$SC_BIN/m32.log" 2>/dev/null)"
	local out
	out=$("$SC_BIN/sctest32" sys "$(nr32 getpid)" 2>&1) ||
		skip "this kernel runs no i386 code (IA-32 emulation is off): ${out##*: }"
	"$SC_BIN/sctest" int80 "$(nr32 getpid)" >/dev/null 2>&1 ||
		skip "this kernel has no int 0x80 entry for x86_64 processes (IA-32 emulation is off)"
}

# nr NAME / nr32 NAME: the x86_64 / i386 syscall number.
nr() { awk -v n="$1" '$1 == n { print $2; f = 1 } END { exit !f }' "$SC_BIN/nr64"; }
nr32() { awk -v n="$1" '$1 == n { print $2; f = 1 } END { exit !f }' "$SC_BIN/nr32"; }

sc_setup() {
	# syscall numbers (sched_yield = 24, ...) and the compat-arch tests are x86_64's
	[ "$(uname -m)" = x86_64 ] || skip "the seccomp suites are written for x86_64"
	common_setup
	sc_build || fail "building the seccomp test programs failed"
	cp "$SC_BIN/sctest" "$BUNDLE/rootfs/bin/"
	[ ! -f "$SC_BIN/sctest32" ] || cp "$SC_BIN/sctest32" "$BUNDLE/rootfs/bin/"
	SC_CONF=$BATS_TEST_TMPDIR/strait.conf
	: >"$SC_CONF"
	export STRAIT_CONFIG=$SC_CONF
	# A SIGSYS kill must not leave core files in the rootfs.
	update_config '.process.rlimits += [{type: "RLIMIT_CORE", hard: 0, soft: 0}]'
	LISTENER_PID=
}

sc_teardown() {
	if [ -n "${LISTENER_PID:-}" ]; then
		kill "$LISTENER_PID" 2>/dev/null || true
		wait "$LISTENER_PID" 2>/dev/null || true
	fi
	# The compiled-filter cache lives in the state root but is not a container:
	# common_teardown would take it for a leftover state dir.
	[ -n "${ROOT:-}" ] && rm -rf "$ROOT/@seccomp-cache"
	common_teardown
}

# ---- profiles ----

# set_profile JSON: sets linux.seccomp to JSON (a jq expression, or literal JSON).
set_profile() {
	update_config ".linux.seccomp = ($1)"
}

# allow_profile RULE_JSON...: defaultAction ALLOW with these rules (JSON objects).
allow_profile() {
	local rules
	rules=$(printf '%s\n' "$@" | jq -s -c .)
	set_profile "{defaultAction: \"SCMP_ACT_ALLOW\", architectures: [\"SCMP_ARCH_X86_64\"],
		syscalls: $rules}"
}

# rule NAME ACTION [ERRNO]: one rule as JSON.
rule() {
	if [ -n "${3:-}" ]; then
		jq -n -c --arg n "$1" --arg a "$2" --argjson e "$3" \
			'{names: [$n], action: $a, errnoRet: $e}'
	else
		jq -n -c --arg n "$1" --arg a "$2" '{names: [$n], action: $a}'
	fi
}

# The syscalls a static glibc binary (sctest) needs from execve to exit, for profiles
# whose default action denies.
SC_BASE_SYSCALLS=(execve brk arch_prctl set_tid_address set_robust_list rseq prlimit64
	mprotect mmap munmap readlink readlinkat uname getrandom write writev exit exit_group
	newfstatat fstat ioctl close read futex rt_sigaction rt_sigprocmask sigaltstack)

# deny_profile [JQ-ASSIGNMENTS]: defaultAction ERRNO (EPERM) with only SC_BASE_SYSCALLS
# allowed; extra fields (e.g. 'defaultErrnoRet: 13') are merged in.
deny_profile() {
	local names
	# Other runtimes make syscalls of their own after loading the filter (runc: the
	# exec fifo, ...), which such a profile denies.
	strait_only "deny-by-default profile for the workload only; $RUNTIME_NAME needs more under it"
	names=$(printf '%s\n' "${SC_BASE_SYSCALLS[@]}" | jq -R . | jq -s -c .)
	set_profile "{defaultAction: \"SCMP_ACT_ERRNO\", architectures: [\"SCMP_ARCH_X86_64\"],
		syscalls: [{names: $names, action: \"SCMP_ACT_ALLOW\"}]} + {${1:-}}"
}

# ---- running ----

# sc_run ARGS...: `run` of the bundle with process.args = ARGS; sets status, output
# (the container's stdout) and stderr.
sc_run() {
	set_args "$@"
	runq rrun
}

# sc_status [ID]: the seccomp decision record of a container.
sc_status() {
	runtime seccomp status "${1:-$CID}"
}

# assert_sigsys: after sc_run, the workload was killed by SIGSYS (exit 128+31).
assert_sigsys() {
	[ "$status" = $((128 + 31)) ] ||
		fail "expected SIGSYS (status 159), got $status; stdout: $output; stderr: $stderr"
}

# warning_lines: the stderr lines of the last runq that are strait warnings.
warning_lines() {
	grep -c '^strait: warning: ' <<<"$stderr" || true
}

# flags_or_error FLAG...: 0 when the runtime under test supports every flag (per its
# `features`). Otherwise, for strait, checks that create fails naming the flag and
# returns 1 (the test is done); other runtimes skip.
flags_or_error() {
	local f missing=
	for f in "$@"; do
		"$RUNTIME" features 2>/dev/null |
			jq -e --arg f "$f" '.linux.seccomp.supportedFlags // [] | index($f)' >/dev/null ||
			missing+="$f "
	done
	[ -n "$missing" ] || return 0
	is_strait || skip "$RUNTIME_NAME does not support $missing"
	runq rcreate
	assert_error "${missing%% *}" "not supported"
	assert_clean
	return 1
}

# ---- the NOTIFY listener ----

# start_listener MODE [METADATA]: starts sclistener on $SC_SOCK (output under
# $SC_LOUT.*) and sets listenerPath (and listenerMetadata) in the profile.
start_listener() {
	SC_SOCK=$BATS_TEST_TMPDIR/listener.sock
	SC_LOUT=$BATS_TEST_TMPDIR/listener
	"$SC_BIN/sclistener" "$SC_SOCK" "$SC_LOUT" "$1" 30 </dev/null \
		>"$SC_LOUT.stdout" 2>"$SC_LOUT.stderr" 3>&- &
	LISTENER_PID=$!
	wait_file "$SC_SOCK.ready" 10 || fail "the listener did not start: $(cat "$SC_LOUT.stderr")"
	update_config '.linux.seccomp.listenerPath = $p' --arg p "$SC_SOCK"
	if [ -n "${2:-}" ]; then
		update_config '.linux.seccomp.listenerMetadata = $m' --arg m "$2"
	fi
}

# wait_listener: waits for the listener to exit (the filter's last user is gone) and
# fails unless it exited cleanly.
wait_listener() {
	local rc=0
	wait "$LISTENER_PID" || rc=$?
	LISTENER_PID=
	[ "$rc" = 0 ] || fail "listener exited $rc: $(cat "$SC_LOUT.stderr" "$SC_LOUT.log" 2>/dev/null)"
}

# ---- capabilities ----

# all_caps: every capability the running kernel knows, as a JSON array of names.
all_caps() {
	local last names=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID
		SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK
		IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT
		SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL
		SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF
		CHECKPOINT_RESTORE)
	last=$(cat /proc/sys/kernel/cap_last_cap)
	printf 'CAP_%s\n' "${names[@]:0:$((last + 1))}" | jq -R . | jq -s -c .
}

# make_privileged: the bounding set holds every capability (what `privileged: true`
# produces); effective/permitted keep the base set (root here lacks CAP_SYS_RESOURCE).
make_privileged() {
	update_config ".process.capabilities.bounding = $(all_caps)"
}

# add_caps CAP...: adds capabilities to bounding, effective and permitted.
add_caps() {
	update_config '.process.capabilities |= with_entries(
		if .key == "bounding" or .key == "effective" or .key == "permitted"
		then .value = (.value + $ARGS.positional | unique) else . end)' --args "$@"
}
