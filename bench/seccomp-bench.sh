#!/bin/bash
# Seccomp benchmark: strait and runc side by side, in the same run.
#  1. Per-syscall cost inside a container under Docker's default profile (OCI form,
#     ../shared/profiles/docker-default-oci.json, as linux.seccomp) against no
#     profile, for getppid (a plain ALLOW) and personality(0xffffffff) (allowed only
#     for some argument values): bench/seccomp/sysloop.c, static, in both runtimes.
#     strait's built-in RuntimeDefault profile is measured too (strait only).
#  2. The added cost of `run` (of /bin/true) with that profile: no profile, profile
#     with the compiled-filter cache removed before each run (cold), and cached.
#     runc has no cache: it compiles on every run.
# Medians over the repetitions; the variants are interleaved so that drift of the
# machine hits them all alike. Root only. Nothing is left behind.
#
#   bench/seccomp-bench.sh [-n CALLS] [-r REPEATS] [-s STARTS] [-o REPORT.md]
#   env: STRAIT (default: build/strait of this checkout), RUNC (default: runc),
#        PROFILE (default: ../shared/profiles/docker-default-oci.json)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
calls=2000000   # syscalls per round (sysloop runs 5 rounds, reports the fastest)
repeats=7       # container runs per (runtime, profile, syscall)
starts=100      # `run` timings per variant
report=

usage() {
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
	exit 2
}
while getopts n:r:s:o:h opt; do
	case $opt in
	n) calls=$OPTARG ;;
	r) repeats=$OPTARG ;;
	s) starts=$OPTARG ;;
	o) report=$OPTARG ;;
	*) usage ;;
	esac
done

STRAIT=${STRAIT:-$top/build/strait}
RUNC=${RUNC:-runc}
PROFILE=${PROFILE:-$top/../shared/profiles/docker-default-oci.json}
[ "$(id -u)" = 0 ] || { echo "seccomp-bench: needs root" >&2; exit 1; }
[ -x "$STRAIT" ] || { echo "seccomp-bench: no strait at $STRAIT (set STRAIT=)" >&2; exit 1; }
[ -f "$PROFILE" ] || { echo "seccomp-bench: no profile $PROFILE (set PROFILE=)" >&2; exit 1; }
have_runc=1
command -v "$RUNC" >/dev/null || { have_runc=0; echo "seccomp-bench: no runc, strait only" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/seccomp-bench.XXXXXX")
ids=()
cleanup() {
	local id d
	for d in "$work"/strait-root/*/; do
		id=$(basename "$d")
		[ "$id" = "@seccomp-cache" ] || [ ! -d "$d" ] ||
			"$STRAIT" --root "$work/strait-root" delete --force "$id" >/dev/null 2>&1 || true
	done
	if [ $have_runc = 1 ] && [ -d "$work/runc-root" ]; then
		for id in $("$RUNC" --root "$work/runc-root" list -q 2>/dev/null); do
			"$RUNC" --root "$work/runc-root" delete --force "$id" >/dev/null 2>&1 || true
		done
	fi
	rm -rf "$work"
	find /sys/fs/cgroup/*/seccomp-bench -depth -type d -exec rmdir {} \; 2>/dev/null || true
}
trap cleanup EXIT

# ---- the bundle: busybox rootfs (tests/rootfs/build.sh, own cache) + sysloop ----
cache=${STRAIT_BENCH_CACHE:-${TMPDIR:-/tmp}/strait-bench-cache}
"$top/tests/rootfs/build.sh" "$cache" >&2
mkdir -p "$work/bundle" "$work/strait-root" "$work/runc-root"
cp -a "$cache/rootfs" "$work/bundle/rootfs"
gcc -static -O2 -Wall -Wextra -o "$work/bundle/rootfs/bin/sysloop" "$here/seccomp/sysloop.c"
"$STRAIT" seccomp default >"$work/builtin.json"
# No user namespace, the usual namespaces, Docker's default capabilities: the setting
# the profile was written for.
base_config() {
	jq -n --arg cg "/seccomp-bench/$1" '{
	ociVersion: "1.0.2",
	process: {
		terminal: false, user: {uid: 0, gid: 0}, args: ["/bin/true"], cwd: "/",
		env: ["PATH=/bin:/sbin:/usr/bin"],
		capabilities: (["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
			"CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP",
			"CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
			"CAP_AUDIT_WRITE"] as $c | {bounding: $c, effective: $c, permitted: $c}),
		noNewPrivileges: true
	},
	root: {path: "rootfs", readonly: true},
	hostname: "bench",
	mounts: [
		{destination: "/proc", type: "proc", source: "proc"},
		{destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "mode=755"]},
		{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev"]}
	],
	linux: {
		cgroupsPath: $cg,
		namespaces: [{type: "pid"}, {type: "network"}, {type: "ipc"}, {type: "uts"},
			     {type: "mount"}],
		maskedPaths: ["/proc/kcore", "/proc/keys", "/proc/timer_list"],
		readonlyPaths: ["/proc/sys", "/proc/sysrq-trigger"]
	}
}'
}

# config PROFILE-KIND ARGS...: writes $work/bundle/config.json.
config() {
	local kind=$1
	shift
	base_config "$kind" | jq --arg kind "$kind" --slurpfile docker "$PROFILE" \
		--slurpfile builtin "$work/builtin.json" '
		.process.args = $ARGS.positional |
		if $kind == "docker" then .linux.seccomp = $docker[0]
		elif $kind == "builtin" then .linux.seccomp = $builtin[0]
		else . end' --args "$@" >"$work/bundle/config.json"
}

# rt RUNTIME ARGS...: runs the runtime with its own state root.
rt() {
	case $1 in
	strait) "$STRAIT" --root "$work/strait-root" "${@:2}" ;;
	runc) "$RUNC" --root "$work/runc-root" "${@:2}" ;;
	esac
}

n_id=0
next_id() {
	n_id=$((n_id + 1))
	ID=bench-$$-$n_id
	ids+=("$ID")
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---- 1. per-syscall cost ----
runtimes=(strait)
[ $have_runc = 0 ] || runtimes+=(runc)
declare -A ns
for kind in none docker builtin; do
	for rtn in "${runtimes[@]}"; do
		[ $kind = builtin ] && [ $rtn != strait ] && continue
		for sc in getppid personality; do
			: >"$work/ns.$rtn.$kind.$sc"
		done
	done
done
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "seccomp-bench: per-syscall cost, $repeats runs x 5 rounds x $calls calls" >&2
for i in $(seq 1 "$repeats"); do
	for sc in getppid personality; do
		for kind in none docker builtin; do
			for rtn in "${runtimes[@]}"; do
				[ $kind = builtin ] && [ $rtn != strait ] && continue
				config "$kind" /bin/sysloop "$sc" "$calls" 5
				next_id
				out=$(cd "$work/bundle" && rt "$rtn" run "$ID" </dev/null 2>"$work/err") || {
					echo "seccomp-bench: $rtn run failed: $(cat "$work/err")" >&2
					exit 1
				}
				sed -n 's/.*ns_per_call=\([0-9.]*\).*/\1/p' <<<"$out" >>"$work/ns.$rtn.$kind.$sc"
			done
		done
	done
done
for f in "$work"/ns.*; do
	k=${f#"$work"/ns.}
	ns[$k]=$(median <"$f")
done

# ---- 2. the cost of `run` ----
# Each variant is a config file; "pad" is the no-profile config carrying the same
# profile under an unknown top-level key (both runtimes parse and ignore it), which
# separates the cost of the filter from that of parsing and storing a bigger
# config.json. The order of the variants is shuffled in every round: a run pays
# for some of the teardown of the one before it. Timed in python
# (no fork of a timer per run): wall time, and CPU time (user+sys of the runtime and
# the container, from RUSAGE_CHILDREN), which other load on the machine disturbs less.
echo "seccomp-bench: run cost, $starts starts per variant" >&2
mkdir -p "$work/cfg"
config none /bin/true && cp "$work/bundle/config.json" "$work/cfg/none.json"
config docker /bin/true && cp "$work/bundle/config.json" "$work/cfg/docker.json"
jq --slurpfile p "$PROFILE" '.xBenchPadding = $p[0]' "$work/cfg/none.json" >"$work/cfg/pad.json"
variants="strait:none strait:pad strait:cold:docker strait:cached:docker"
[ $have_runc = 0 ] || variants+=" runc:none runc:pad runc:docker"
python3 - "$work" "$STRAIT" "$RUNC" "$starts" $variants >"$work/runs" <<'PY'
import os, random, resource, shutil, statistics, subprocess, sys, time
work, strait, runc, starts, variants = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
roots = {"strait": [strait, "--root", work + "/strait-root"], "runc": [runc, "--root", work + "/runc-root"]}
res = {v: ([], []) for v in variants}
n = 0
def once(v):
    global n
    parts = v.split(":")
    rt, cfg = parts[0], parts[-1]
    shutil.copyfile(f"{work}/cfg/{cfg}.json", f"{work}/bundle/config.json")
    if parts[1] == "cold":
        shutil.rmtree(f"{work}/strait-root/@seccomp-cache", ignore_errors=True)
    n += 1
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(roots[rt] + ["run", f"bench-{os.getpid()}-{n}"], cwd=f"{work}/bundle",
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t1 = time.perf_counter()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"seccomp-bench: {rt} run ({v}) failed: {p.stderr.decode()}")
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return (t1 - t0) * 1000, cpu * 1000
for v in variants:  # warm-up: page cache, and the strait cache for "cached"
    once(v)
order = list(variants)
random.seed(1)
for _ in range(starts):
    random.shuffle(order)
    for v in order:
        w, c = once(v)
        res[v][0].append(w)
        res[v][1].append(c)
for v in variants:
    w, c = res[v]
    q = statistics.quantiles(w, n=4)
    print(v, "%.3f %.3f %.3f %.3f" % (statistics.median(w), q[0], q[2], statistics.median(c)))
PY
declare -A runms runq1 runq3 runcpu
while read -r v m q1 q3 c; do
	runms[$v]=$m runq1[$v]=$q1 runq3[$v]=$q3 runcpu[$v]=$c
done <"$work/runs"

# ---- report ----
sub() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan") print "n/a"; else printf "%+.2f", a - b }'; }
kernel=$(uname -r)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
{
	echo "### Per-syscall cost inside the container (ns per call: fastest of 5 rounds, median over $repeats containers)"
	echo
	echo "| runtime | profile | getppid | personality(0xffffffff) | getppid overhead | personality overhead |"
	echo "| --- | --- | ---: | ---: | ---: | ---: |"
	for rtn in "${runtimes[@]}"; do
		for kind in none docker builtin; do
			[ $kind = builtin ] && [ $rtn != strait ] && continue
			g=${ns[$rtn.$kind.getppid]} p=${ns[$rtn.$kind.personality]}
			name=$kind
			[ $kind = docker ] && name="docker-default (OCI)"
			[ $kind = builtin ] && name="strait RuntimeDefault"
			if [ $kind = none ]; then
				echo "| $rtn | $name | $g | $p | | |"
			else
				echo "| $rtn | $name | $g | $p | $(sub "$g" "${ns[$rtn.none.getppid]}") | $(sub "$p" "${ns[$rtn.none.personality]}") |"
			fi
		done
	done
	echo
	echo "### Cost of \`run\` of /bin/true (ms, median of $starts; IQR = interquartile range of the wall time)"
	echo
	echo "| runtime | config.json | wall | wall IQR | CPU | wall added vs control | CPU added vs control |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
	row() { # RUNTIME VARIANT LABEL
		local v=$1:$2 p=$1:pad
		printf '| %s | %s | %s | %s-%s | %s | %s | %s |\n' "$1" "$3" "${runms[$v]}" \
			"${runq1[$v]}" "${runq3[$v]}" "${runcpu[$v]}" \
			"$([ "$2" = none ] || [ "$2" = pad ] || sub "${runms[$v]}" "${runms[$p]}")" \
			"$([ "$2" = none ] || [ "$2" = pad ] || sub "${runcpu[$v]}" "${runcpu[$p]}")"
	}
	row strait none "no profile"
	row strait pad "no profile; the profile under an unknown key (control)"
	row strait cold:docker "docker-default, cold (cache removed before each run)"
	row strait cached:docker "docker-default, cached"
	if [ $have_runc = 1 ]; then
		row runc none "no profile"
		row runc pad "no profile; the profile under an unknown key (control)"
		row runc docker "docker-default (runc compiles it on every run)"
	fi
	echo
	echo "Machine: $cpu, $(nproc) CPUs, kernel $kernel, load average $load_start at the start"
	echo "and $(cut -d' ' -f1-3 /proc/loadavg) at the end; $("$STRAIT" --version | tr '\n' ' ');"
	[ $have_runc = 0 ] || echo "$("$RUNC" --version | head -n 1); libseccomp $("$RUNC" --version | sed -n 's/^libseccomp: //p')."
	echo "Command: bench/seccomp-bench.sh -n $calls -r $repeats -s $starts"
} | tee ${report:+"$report"}
