#!/bin/bash
# Observe-mode and deny-and-record benchmark: what the logging twin and the recording
# twin cost per syscall, inside a container.
# A base profile (deny by default with EPERM) allows what a static binary needs plus
# getppid, and denies getpgid. bench/observe/obsloop.c (static) times N raw calls of
# one of them, in four settings:
#   none       no profile
#   enforce    the base profile enforced (getpgid fails with EPERM in the filter)
#   log-run    `run --seccomp-mode=log --seccomp-evidence F`: strait's run process
#              records (getpgid is notified, recorded, and let through)
#   log-agent  create/start with `--seccomp-mode=log --seccomp-recorder S` and the
#              recorder agent (`strait seccomp recorder`) in its own process
#   record-run    `run --seccomp-denials=record --seccomp-evidence F`: enforced, and
#              each denial recorded by strait's run process (getpgid is notified,
#              recorded and answered EPERM)
#   record-agent  create/start with `--seccomp-denials=record --seccomp-recorder S`
# Expected: getppid costs the same in every mode (the twins keep the base's ALLOW
# rules, the kernel answers); a recorded getpgid costs one round trip to the
# recorder. Every run is checked: enforce and record deny each getpgid with EPERM,
# log denies none, and the evidence counts exactly the calls made (lossless). Figures are medians over all
# rounds of all repetitions; variants are interleaved so that machine drift hits them
# alike. Root only. Nothing is left behind.
#
#   bench/observe-bench.sh [-n CALLS] [-m RECORDED_CALLS] [-k ROUNDS] [-r REPEATS] [-o REPORT.md]
#     CALLS           calls per round where the kernel answers (default 1000000)
#     RECORDED_CALLS  calls per round of getpgid in the log modes (default 20000)
#   env: STRAIT (default: build/strait of this checkout)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
calls=1000000
rec_calls=20000
rounds=5
repeats=5
report=

usage() {
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
	exit 2
}
while getopts n:m:k:r:o:h opt; do
	case $opt in
	n) calls=$OPTARG ;;
	m) rec_calls=$OPTARG ;;
	k) rounds=$OPTARG ;;
	r) repeats=$OPTARG ;;
	o) report=$OPTARG ;;
	*) usage ;;
	esac
done

STRAIT=${STRAIT:-$top/build/strait}
[ "$(id -u)" = 0 ] || { echo "observe-bench: needs root" >&2; exit 1; }
[ -x "$STRAIT" ] || { echo "observe-bench: no strait at $STRAIT (set STRAIT=)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/observe-bench.XXXXXX")
root=$work/root
recorder_pid=
cleanup() {
	local d id
	for d in "$root"/*/; do
		[ -d "$d" ] || continue
		id=$(basename "$d")
		[ "$id" = "@seccomp-cache" ] ||
			"$STRAIT" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
	done
	if [ -n "$recorder_pid" ]; then
		kill -TERM "$recorder_pid" 2>/dev/null || true
		wait "$recorder_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
	find /sys/fs/cgroup/*/observe-bench -depth -type d -exec rmdir {} \; 2>/dev/null || true
}
trap cleanup EXIT

# ---- the bundle: busybox rootfs (tests/rootfs/build.sh, own cache) + obsloop ----
cache=${STRAIT_BENCH_CACHE:-${TMPDIR:-/tmp}/strait-bench-cache}
"$top/tests/rootfs/build.sh" "$cache" >&2
mkdir -p "$work/bundle" "$root" "$work/evidence"
cp -a "$cache/rootfs" "$work/bundle/rootfs"
gcc -static -O2 -Wall -Wextra -Werror -o "$work/bundle/rootfs/bin/obsloop" "$here/observe/obsloop.c"

# What a static glibc binary needs from execve to exit, and getppid.
base_profile='{
	defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 1,
	architectures: ["SCMP_ARCH_X86_64"],
	syscalls: [{action: "SCMP_ACT_ALLOW", names: ["execve", "brk", "arch_prctl",
		"set_tid_address", "set_robust_list", "rseq", "prlimit64", "mprotect", "mmap",
		"munmap", "readlink", "readlinkat", "uname", "getrandom", "write", "writev",
		"exit", "exit_group", "newfstatat", "fstat", "ioctl", "close", "read", "futex",
		"rt_sigaction", "rt_sigprocmask", "sigaltstack", "getppid"]}]}'

# config KIND ARGS...: writes the bundle's config.json (KIND none: no profile).
config() {
	local kind=$1
	shift
	jq -n --arg kind "$kind" --arg cg "/observe-bench/$ID" "{base: $base_profile}"' | {
	ociVersion: "1.2.0",
	process: {
		terminal: false, user: {uid: 0, gid: 0}, args: $ARGS.positional, cwd: "/",
		env: ["PATH=/bin:/sbin:/usr/bin"],
		capabilities: (["CAP_KILL", "CAP_NET_BIND_SERVICE"] as $c |
			{bounding: $c, effective: $c, permitted: $c}),
		noNewPrivileges: true
	},
	root: {path: "rootfs", readonly: true},
	hostname: "bench",
	mounts: [
		{destination: "/proc", type: "proc", source: "proc"},
		{destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "mode=755"]}
	],
	linux: ({
		cgroupsPath: $cg,
		namespaces: [{type: "pid"}, {type: "network"}, {type: "ipc"}, {type: "uts"},
			     {type: "mount"}]
	} + (if $kind == "none" then {} else {seccomp: .base} end))
}' --args "$@" >"$work/bundle/config.json"
}

rt() { "$STRAIT" --root "$root" "$@" </dev/null; }

n_id=0
next_id() {
	n_id=$((n_id + 1))
	ID=ob-$$-$n_id
}

die() {
	echo "observe-bench: $*" >&2
	exit 1
}

# one VARIANT SYSCALL N: runs obsloop once; appends its rounds to $work/ns.VARIANT.SYSCALL
# and checks the outcome (denied or not, the evidence's count).
one() {
	local v=$1 sc=$2 n=$3 out ev="" last failed total st
	next_id
	config "$([ "$v" = none ] && echo none || echo base)" /bin/obsloop "$sc" "$n" "$rounds"
	case $v in
	none | enforce)
		out=$(cd "$work/bundle" && rt run "$ID" 2>"$work/err") ||
			die "$v run failed: $(cat "$work/err")"
		;;
	log-run)
		ev=$work/evidence/$ID.run.json
		out=$(cd "$work/bundle" && rt run --seccomp-mode=log --seccomp-evidence "$ev" "$ID" \
			2>"$work/err") || die "$v run failed: $(cat "$work/err")"
		;;
	record-run)
		ev=$work/evidence/$ID.run.json
		out=$(cd "$work/bundle" && rt run --seccomp-denials=record --seccomp-evidence "$ev" \
			"$ID" 2>"$work/err") || die "$v run failed: $(cat "$work/err")"
		;;
	log-agent | record-agent)
		local mode=--seccomp-mode=log
		[ "$v" = record-agent ] && mode=--seccomp-denials=record
		rt create --bundle "$work/bundle" "$mode" --seccomp-recorder "$work/rec.sock" \
			"$ID" >"$work/out" 2>"$work/err" || die "$v create failed: $(cat "$work/err")"
		rt start "$ID" 2>"$work/err" || die "$v start failed: $(cat "$work/err")"
		for _ in $(seq 1 6000); do
			st=$(rt state "$ID" | jq -r .status)
			[ "$st" = stopped ] && break
			sleep 0.01
		done
		[ "$st" = stopped ] || die "$v: container $ID did not stop"
		rt delete "$ID" || die "$v delete failed"
		for _ in $(seq 1 500); do
			for ev in "$work/evidence/$ID".[0-9]*.json; do [ -s "$ev" ] && break 2; done
			sleep 0.01
		done
		[ -s "$ev" ] || die "$v: no evidence for $ID from the agent"
		out=$(cat "$work/out")
		;;
	esac
	sed -n 's/^round ns_per_call=//p' <<<"$out" >>"$work/ns.$v.$sc"
	last=$(tail -n 1 <<<"$out")
	[[ $last =~ ^calls=([0-9]+)\ failed=([0-9]+) ]] || die "$v $sc: unexpected output: $out"
	total=${BASH_REMATCH[1]} failed=${BASH_REMATCH[2]}
	if [[ $v == enforce || $v == record-* ]] && [ "$sc" = getpgid ]; then
		[ "$last" = "calls=$total failed=$total errno=1" ] ||
			die "$v: getpgid was not denied with EPERM: $last"
	else
		[ "$failed" = 0 ] || die "$v $sc: $failed calls failed: $last"
	fi
	if [ -n "$ev" ]; then
		local want=0 got others
		[ "$sc" = getpgid ] && want=$total
		got=$(jq '[.records[] | select(.syscall == "getpgid") | .count] | add // 0' "$ev")
		[ "$got" = "$want" ] || die "$v $sc: the evidence counts $got getpgid calls, made $want"
		others=$(jq -r '[.records[] | select(.syscall != "getpgid") | .syscall] | join(" ")' "$ev")
		[ -z "$others" ] || die "$v: the base profile misses syscalls obsloop makes: $others"
		[ "$(jq .recordsDropped "$ev")" = 0 ] || die "$v: records dropped"
	fi
}

minimum() {
	sort -g | head -n 1
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---- the agent ----
"$STRAIT" seccomp recorder --socket "$work/rec.sock" --dir "$work/evidence" \
	</dev/null >"$work/recorder.log" 2>&1 &
recorder_pid=$!
for _ in $(seq 1 200); do
	[ -S "$work/rec.sock" ] && break
	kill -0 "$recorder_pid" 2>/dev/null || die "the recorder exited: $(cat "$work/recorder.log")"
	sleep 0.01
done
[ -S "$work/rec.sock" ] || die "the recorder did not start"

variants="none enforce record-run record-agent log-run log-agent"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "observe-bench: $repeats repetitions x $rounds rounds; $calls calls per round, $rec_calls recorded" >&2
for r in $(seq 1 "$repeats"); do
	for sc in getppid getpgid; do
		for v in $variants; do
			n=$calls
			[ "$sc" = getpgid ] && [[ $v == log-* || $v == record-* ]] && n=$rec_calls
			one "$v" "$sc" "$n"
		done
	done
	echo "observe-bench: repetition $r done" >&2
done
declare -A ns low
for v in $variants; do
	for sc in getppid getpgid; do
		ns[$v.$sc]=$(median <"$work/ns.$v.$sc")
		low[$v.$sc]=$(minimum <"$work/ns.$v.$sc")
	done
done

# ---- report ----
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f", a - b }'; }
rate() { awk -v a="$1" 'BEGIN { printf "%.0f", 1e9 / a }'; }
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
{
	echo "### Per-syscall cost inside the container (ns per call: median of $((repeats * rounds)) rounds, fastest round in brackets)"
	echo
	echo "getppid is allowed by the base profile; getpgid is denied by it (ERRNO(EPERM)): enforce and"
	echo "record deny it, log lets it through. The − enforce columns are the medians' differences."
	echo
	echo "| mode | getppid (allowed) | getpgid (denied) | getppid − enforce | getpgid − enforce |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	for v in $variants; do
		printf '| %s | %s (%s) | %s (%s) | %s | %s |\n' "$v" \
			"${ns[$v.getppid]}" "${low[$v.getppid]}" "${ns[$v.getpgid]}" "${low[$v.getpgid]}" \
			"$(sub "${ns[$v.getppid]}" "${ns[enforce.getppid]}")" \
			"$(sub "${ns[$v.getpgid]}" "${ns[enforce.getpgid]}")"
	done
	echo
	echo "A denial recorded: $(rate "${ns[record-run.getpgid]}") calls/s by \`run\` itself,"
	echo "$(rate "${ns[record-agent.getpgid]}") calls/s by the agent."
	echo "A recorded syscall: $(rate "${ns[log-run.getpgid]}") calls/s recorded by \`run\` itself,"
	echo "$(rate "${ns[log-agent.getpgid]}") calls/s by the agent. Every log-mode run's evidence counted"
	echo "exactly the getpgid calls made ($rec_calls x $rounds per run) and nothing else, and so"
	echo "did every record-mode run's; every enforced or recorded getpgid failed with EPERM, no"
	echo "logged one did."
	echo
	echo "Machine: $cpu, $(nproc) CPUs, kernel $(uname -r), load average $load_start at the start"
	echo "and $(cut -d' ' -f1-3 /proc/loadavg) at the end; $("$STRAIT" --version | tr '\n' ' ')."
	echo "Command: bench/observe-bench.sh -n $calls -m $rec_calls -k $rounds -r $repeats"
} | tee ${report:+"$report"}
