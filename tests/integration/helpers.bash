# Shared setup for the bats suites (load with `load helpers`).
#
# Each test gets its own state root ($ROOT), a fresh bundle ($BUNDLE: a copy of the
# cached busybox rootfs plus a config.json from a fixed template) and a container ID
# ($CID). teardown deletes (--force) every container left in $ROOT and then fails the
# test if anything stayed behind: a state dir, a cgroup, a mount under the test's
# temp dir, or a process carrying the test's marker in its environment.
#
# RUNTIME selects the runtime under test: unset -> strait ($STRAIT, default
# build/strait of this checkout); RUNTIME=runc runs the same tests against runc, with
# the strait-only ones skipped.

bats_require_minimum_version 1.5.0

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOP=$(cd "$TESTS_DIR/.." && pwd)
# Test data (OCI schemas with their LICENSE, Docker's profile) lives in the checkout.
DATA_DIR=$TESTS_DIR/data
SCHEMA_DIR=$DATA_DIR/oci-schema
TEST_CACHE=${STRAIT_TEST_CACHE:-${TMPDIR:-/tmp}/strait-test-cache}

if [ -n "${RUNTIME:-}" ]; then
	RUNTIME=$(command -v "$RUNTIME" || echo "$RUNTIME")
else
	RUNTIME=${STRAIT:-$TOP/build/strait}
fi
RUNTIME_NAME=$(basename "$RUNTIME")

# ---- predicates and skips ----

is_strait() { [[ $RUNTIME_NAME == strait* ]]; }

# strait_only REASON: skips unless the runtime under test is strait (set
# STRAIT_ONLY_RUN=1 to run them anyway, e.g. to check a REASON against runc).
strait_only() {
	is_strait || [ -n "${STRAIT_ONLY_RUN:-}" ] || skip "strait-only: $*"
}

# requires FEATURE...: skips the test with a reason when a feature is missing.
requires() {
	local f
	for f in "$@"; do
		case $f in
		root) [ "$(id -u)" = 0 ] || skip "needs root" ;;
		userns)
			[ -e /proc/self/ns/user ] && unshare -U true 2>/dev/null ||
				skip "needs user namespaces" ;;
		timens)
			[ -e /proc/self/ns/time ] || skip "needs time namespaces" ;;
		cgroup_v1)
			[ -d /sys/fs/cgroup/memory ] && [ "$(stat -fc %T /sys/fs/cgroup/memory)" = cgroupfs ] ||
				skip "needs cgroup v1 controllers" ;;
		cgroup_v2)
			[ -n "$(cgroup2_mount)" ] || skip "needs a cgroup2 mount" ;;
		cgroup_v2_only)
			[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] || skip "needs a pure cgroup v2 host" ;;
		runc) command -v runc >/dev/null || skip "needs runc" ;;
		no_apparmor)
			[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ] ||
				skip "AppArmor is active" ;;
		no_selinux)
			[ ! -e /sys/fs/selinux/enforce ] || skip "SELinux is active" ;;
		*) skip "unknown requirement $f" ;;
		esac
	done
}

# The cgroup2 mount point: /sys/fs/cgroup on a pure v2 host, /sys/fs/cgroup/unified on
# a hybrid one, empty when there is none.
cgroup2_mount() {
	if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
		echo /sys/fs/cgroup
	elif [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
		echo /sys/fs/cgroup/unified
	fi
}

# ---- the runtime ----

# runtime ARGS...: the runtime under test with this test's state root. The marker in
# its environment is inherited by a container's init until it execs the user's
# program (whose env has the marker too), so teardown finds leftovers either way.
# A runtime command that hangs fails after STRAIT_TEST_CMD_TIMEOUT seconds (default 60)
# instead of holding the whole suite until bats' own timeout.
runtime() {
	STRAIT_TEST_MARK=$MARK timeout -k 5 "${STRAIT_TEST_CMD_TIMEOUT:-60}" \
		"$RUNTIME" --root "$ROOT" "$@" </dev/null
}

# rrun [ARGS...]: `run` of the test bundle as $CID.
rrun() {
	runtime run --bundle "$BUNDLE" "$@" "$CID"
}

# rcreate [ARGS...]: `create` of the test bundle as $CID.
rcreate() {
	runtime create --bundle "$BUNDLE" "$@" "$CID"
}

# runq CMD...: like bats' `run --separate-stderr`, but stdout and stderr go to files
# instead of pipes, so that a container started by CMD (create, run -d) can keep
# them open without blocking the test. Sets status, output, stderr, and RUNQ_OUT /
# RUNQ_ERR (the files, which keep receiving what the container writes).
RUNQ_N=0
runq() {
	RUNQ_N=$((RUNQ_N + 1))
	RUNQ_OUT=$BATS_TEST_TMPDIR/runq.$RUNQ_N.out
	RUNQ_ERR=$BATS_TEST_TMPDIR/runq.$RUNQ_N.err
	"$@" </dev/null >"$RUNQ_OUT" 2>"$RUNQ_ERR" && status=0 || status=$?
	output=$(cat "$RUNQ_OUT")
	stderr=$(cat "$RUNQ_ERR")
	return 0
}

# create_ok [ARGS...]: creates $CID (or fails the test showing stderr). The
# container's stdout/stderr go to $CTR_OUT / $CTR_ERR.
create_ok() {
	runq rcreate "$@"
	CTR_OUT=$RUNQ_OUT CTR_ERR=$RUNQ_ERR
	[ "$status" = 0 ] || fail "create failed ($status): $stderr"
}

# run_detached_ok [ARGS...]: `run -d` of $CID, same conventions as create_ok.
run_detached_ok() {
	runq rrun -d "$@"
	CTR_OUT=$RUNQ_OUT CTR_ERR=$RUNQ_ERR
	[ "$status" = 0 ] || fail "run -d failed ($status): $stderr"
}

# own_caps_json: every capability the runtime itself holds, as a JSON array of names
# (root here may lack CAP_SYS_RESOURCE, so "all" must mean "all we have").
own_caps_json() {
	local names=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
		LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER
		SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE
		SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP
		MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF
		CHECKPOINT_RESTORE)
	local bnd i out=()
	bnd=$((16#$(awk '/^CapBnd:/ {print $2}' /proc/self/status)))
	for i in "${!names[@]}"; do
		[ $(((bnd >> i) & 1)) = 1 ] && out+=("CAP_${names[$i]}")
	done
	json_array "${out[@]}"
}

# userns_access: the mapped root must be able to reach the bundle, which lives under
# bats' private (0700) temp dirs.
userns_access() {
	local d=$BATS_TEST_TMPDIR
	while [ "$d" != / ] && [ "$d" != /tmp ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
}

# host_blkio_weight: true when this kernel's v1 blkio controller has a weight file
# (CFQ's blkio.weight or BFQ's blkio.bfq.weight). blk-mq kernels without BFQ have none,
# and then a blockIO.weight must be refused, not dropped. BFQ's file exists only below
# the root cgroup, so a scratch child is made and removed to look.
host_blkio_weight() {
	local d=/sys/fs/cgroup/blkio/strait-weight-probe.$$ r=1
	[ -e /sys/fs/cgroup/blkio/blkio.weight ] && return 0
	mkdir "$d" 2>/dev/null || return 1
	[ -e "$d/blkio.weight" ] || [ -e "$d/blkio.bfq.weight" ] && r=0
	rmdir "$d"
	return $r
}

build_rootfs() {
	"$TESTS_DIR/rootfs/build.sh" --m32 "$TEST_CACHE" >&2
}

# The base config: a plain OCI bundle that both runc and strait run. Tests edit it
# with update_config. The env carries STRAIT_TEST_MARK so that teardown can find
# processes left over by this test.
base_config() {
	jq -n --arg mark "$MARK" --arg cg "/strait-test/$CID" '{
	ociVersion: "1.2.0",
	process: {
		terminal: false,
		user: {uid: 0, gid: 0},
		args: ["/bin/true"],
		env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		      "TERM=xterm", ("STRAIT_TEST_MARK=" + $mark)],
		cwd: "/",
		capabilities: {
			bounding: ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
			effective: ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
			permitted: ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
		},
		rlimits: [{type: "RLIMIT_NOFILE", hard: 1024, soft: 1024}],
		noNewPrivileges: true
	},
	root: {path: "rootfs", readonly: false},
	hostname: "strait-test",
	mounts: [
		{destination: "/proc", type: "proc", source: "proc"},
		{destination: "/dev", type: "tmpfs", source: "tmpfs",
		 options: ["nosuid", "strictatime", "mode=755", "size=65536k"]},
		{destination: "/dev/pts", type: "devpts", source: "devpts",
		 options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
		{destination: "/dev/shm", type: "tmpfs", source: "shm",
		 options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
		{destination: "/dev/mqueue", type: "mqueue", source: "mqueue",
		 options: ["nosuid", "noexec", "nodev"]},
		{destination: "/sys", type: "sysfs", source: "sysfs",
		 options: ["nosuid", "noexec", "nodev", "ro"]},
		{destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
		 options: ["nosuid", "noexec", "nodev", "relatime", "ro"]}
	],
	linux: {
		cgroupsPath: $cg,
		resources: {devices: [{allow: false, access: "rwm"}]},
		namespaces: [{type: "pid"}, {type: "network"}, {type: "ipc"}, {type: "uts"},
			     {type: "mount"}, {type: "cgroup"}],
		maskedPaths: ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
			      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
			      "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
		readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
				"/proc/sysrq-trigger"]
	}
}'
}

# make_bundle DIR: a fresh bundle (rootfs copy + base config) in DIR.
make_bundle() {
	mkdir -p "$1"
	cp -a "$TEST_CACHE/rootfs" "$1/rootfs"
	base_config >"$1/config.json"
}

# update_config FILTER [JQ-ARGS...]: edits $BUNDLE/config.json (or $CONFIG) in place.
update_config() {
	local cfg=${CONFIG:-$BUNDLE/config.json} filter=$1
	shift
	jq "$filter" "$@" <"$cfg" >"$cfg.tmp" && mv "$cfg.tmp" "$cfg"
}

# json_array ARG...: prints the arguments as a JSON array of strings (jq would parse
# an argument such as "-c" as its own option, so each one travels on stdin).
json_array() {
	local a sep= out='['
	for a in "$@"; do
		out+=$sep$(printf '%s' "$a" | jq -Rs .)
		sep=,
	done
	echo "$out]"
}

# set_args ARG...: sets process.args.
set_args() {
	update_config '.process.args = $a' --argjson a "$(json_array "$@")"
}

# add_mount DEST TYPE SOURCE [OPTION...]: appends a mount (options omitted when none).
add_mount() {
	local dest=$1 type=$2 src=$3
	shift 3
	if [ $# -gt 0 ]; then
		update_config '.mounts += [{destination: $d, type: $t, source: $s, options: $o}]' \
			--arg d "$dest" --arg t "$type" --arg s "$src" --argjson o "$(json_array "$@")"
	else
		update_config '.mounts += [{destination: $d, type: $t, source: $s}]' \
			--arg d "$dest" --arg t "$type" --arg s "$src"
	fi
}

# cfg_get FILTER: reads a value from the config.
cfg_get() {
	jq -r "$1" "${CONFIG:-$BUNDLE/config.json}"
}

# ---- container helpers ----

# state_field ID FIELD: one field of `state ID`.
state_field() {
	runtime state "$1" | jq -r ".$2"
}

# wait_status ID STATUS [SECONDS]: waits until the container reaches STATUS.
wait_status() {
	local id=$1 want=$2 n=$((${3:-10} * 20)) st=
	while [ $n -gt 0 ]; do
		st=$(runtime state "$id" 2>/dev/null | jq -r .status 2>/dev/null) || st=
		[ "$st" = "$want" ] && return 0
		sleep 0.05
		n=$((n - 1))
	done
	echo "container $id: status '$st', wanted '$want'" >&2
	return 1
}

# wait_file PATH [SECONDS]: waits for a file to exist (and be non-empty).
wait_file() {
	local n=$((${2:-10} * 20))
	while [ $n -gt 0 ]; do
		[ -s "$1" ] && return 0
		sleep 0.05
		n=$((n - 1))
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# validate_json SCHEMA FILE|-: validates against an OCI schema file name.
validate_json() {
	python3 "$TESTS_DIR/integration/validate-json.py" "$SCHEMA_DIR/$1" "$2"
}

# ---- assertions ----

fail() {
	echo "$@" >&2
	return 1
}

assert_eq() {
	[ "$1" = "$2" ] || fail "expected '$2', got '$1'${3:+ ($3)}"
}

# assert_contains HAYSTACK NEEDLE...: every needle occurs (fixed strings).
assert_contains() {
	local h=$1 n
	shift
	for n in "$@"; do
		[[ $h == *"$n"* ]] || fail "expected to find '$n' in: $h"
	done
}

assert_not_contains() {
	local h=$1 n
	shift
	for n in "$@"; do
		[[ $h != *"$n"* ]] || fail "did not expect '$n' in: $h"
	done
}

# assert_line_eq TEXT LINE: TEXT has LINE as one of its lines.
assert_has_line() {
	grep -qxF -- "$2" <<<"$1" || fail "expected a line '$2' in: $1"
}

# assert_error [NEEDLE...]: after `run --separate-stderr`: non-zero exit; for strait,
# stderr is exactly one line starting "strait: " and containing every needle
# (fixed strings, e.g. the file, the field path and the value). For other runtimes
# only the exit status is checked.
assert_error() {
	[ "$status" -ne 0 ] || fail "expected failure, got status 0; stdout: $output"
	is_strait || return 0
	local nlines
	nlines=$(printf '%s' "$stderr" | grep -c '')
	[ "$nlines" = 1 ] || fail "expected one stderr line, got $nlines: $stderr"
	[[ $stderr == "strait: "* ]] || fail "stderr does not start with 'strait: ': $stderr"
	assert_contains "$stderr" "$@"
}

# ---- leftovers ----

# leftovers ID...: prints one line per thing this test left behind (state dirs,
# cgroups, mounts under the test dir, marked processes). Empty output: clean.
leftovers() {
	_leftovers "$@" | sort -u
}

_leftovers() {
	local id d p cg
	for id in "$@"; do
		[ -e "$ROOT/$id" ] && echo "state dir $ROOT/$id"
		# cgroups named after the ID anywhere in the hierarchies (IDs are unique).
		while read -r d; do
			[ -n "$d" ] && echo "cgroup $d"
		done < <(find /sys/fs/cgroup -mindepth 1 -type d -name "$id" 2>/dev/null)
	done
	cg=$(cfg_get '.linux.cgroupsPath // empty' 2>/dev/null) || cg=
	if [ -n "$cg" ] && [[ $cg == /* ]]; then
		for d in /sys/fs/cgroup/*"$cg" /sys/fs/cgroup/unified"$cg"; do
			[ -d "$d" ] && echo "cgroup $d"
		done
	fi
	grep -F -- "$BATS_TEST_TMPDIR" /proc/self/mountinfo | awk '{print "mount " $5}'
	for p in $(marked_pids); do
		echo "process $p: $(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null)"
	done
	return 0
}

# PIDs of live processes whose environment carries this test's marker (or, as runc's
# init has a scrubbed environment, a variable pointing into this test's state root).
marked_pids() {
	grep -lsF -e "STRAIT_TEST_MARK=$MARK" -e "=$ROOT/" /proc/[0-9]*/environ 2>/dev/null |
		cut -d/ -f3 | grep -vx "$$" || true
}

# assert_clean [ID...]: nothing is left behind for these IDs (default $CID).
assert_clean() {
	local left n=40
	[ $# -gt 0 ] || set -- "$CID"
	# Processes may take a moment to exit after a failed create.
	while left=$(leftovers "$@") && [ -n "$left" ] && [ $n -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	[ -z "$left" ] || fail "left behind: $left"
}

# Removes whatever a test left behind, so one failure does not cascade.
force_cleanup() {
	local p m
	for p in $(marked_pids); do kill -9 "$p" 2>/dev/null; done
	# Unmount deepest first; lazily, since a leaked mount may still be busy.
	grep -F -- "$BATS_TEST_TMPDIR" /proc/self/mountinfo | awk '{print $5}' | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	for id in "$@"; do
		find /sys/fs/cgroup -mindepth 1 -depth -type d -name "$id" 2>/dev/null |
			while read -r d; do
				find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
			done
		rm -rf "${ROOT:?}/$id"
	done
}

# ---- setup / teardown ----

common_setup() {
	build_rootfs
	CID=t${BATS_SUITE_TEST_NUMBER:-0}-$$
	MARK=$CID-$RANDOM
	ROOT=$BATS_TEST_TMPDIR/root
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	mkdir -p "$ROOT"
	make_bundle "$BUNDLE"
	EXTRA_IDS=()
}

common_teardown() {
	local d id ids=("$CID" "${EXTRA_IDS[@]}") left
	[ -n "${ROOT:-}" ] || return 0
	for d in "$ROOT"/*/; do
		[ -d "$d" ] || continue
		id=$(basename "$d")
		# Not a container (e.g. strait's "@seccomp-cache"): IDs are [A-Za-z0-9_+.-].
		[[ $id =~ ^[A-Za-z0-9_+.-]+$ ]] || continue
		ids+=("$id")
		runtime delete --force "$id" >/dev/null 2>&1 || true
	done
	left=$(n=40; while l=$(leftovers "${ids[@]}") && [ -n "$l" ] && [ $n -gt 0 ]; do
		sleep 0.05; n=$((n - 1)); done; echo "$l")
	force_cleanup "${ids[@]}"
	rmdir /sys/fs/cgroup/*/strait-test /sys/fs/cgroup/*/strait 2>/dev/null || true
	if [ -n "$left" ]; then
		echo "teardown: left behind after delete --force:" >&2
		echo "$left" >&2
		return 1
	fi
}

setup() {
	common_setup
}

teardown() {
	common_teardown
}
