#!/bin/bash
# Where the time of one container start goes: strait's own phase marks (STRAIT_PHASES,
# libcontainer/phase.h), runtime and container process interleaved in time order, each
# line the median over N rounds of the time since the mark before it.
#   bench/phases.sh [N]          (default N=50; needs root)
# Tables: `run` of /bin/true, then `create`, `start` and `delete` of the same bundle
# (`runc spec`, terminal off). "fork" is bench/rusage forking the command, "reaped" its
# wait returning; marks of the container process are prefixed "container:". State
# roots are on a tmpfs, as in bench/run.sh. Environment: STRAIT, RUNC (for `runc spec`),
# BUILD_DIR, BENCH_CGROUP (as for bench/run.sh).
set -euo pipefail

n=${1:-50}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$top/bench/lib.sh"
build=${BUILD_DIR:-$top/build}
strait=${STRAIT:-$build/strait}
runc=${RUNC:-$(command -v runc || true)}
rusage=$build/bench/rusage

[ "$(id -u)" = 0 ] || { echo "bench/phases.sh: needs root" >&2; exit 1; }
[ -x "$strait" ] || { echo "bench/phases.sh: no strait at $strait (build first)" >&2; exit 1; }
[ -n "$runc" ] || { echo "bench/phases.sh: runc not found, for runc spec (apt-get install runc)" >&2; exit 1; }
bench_private_ns "$0" "$@"
bench_cgroup_layout bench/phases.sh
[ -x "$rusage" ] || make -C "$build" -s bench/rusage

work=$(mktemp -d "${TMPDIR:-/tmp}/strait-phases.XXXXXX")
state=$work/state
cleanup() {
	bench_delete_all "$strait" "$state"
	umount "$state" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
mkdir "$state" "$work/marks"
bench_state_tmpfs "$state"

bench_bundle "$top" "$runc" "$work"

# marked KIND ROUND CMD...: one command under rusage, its marks in marks/KIND.ROUND
marked() {
	local kind=$1 i=$2
	shift 2
	STRAIT_PHASES=$work/marks/$kind.$i "$rusage" /dev/null "$@" </dev/null >/dev/null
}

for ((i = 0; i <= n; i++)); do # round 0 warms the caches and is left out
	marked run "$i" "$strait" --root "$state" run --bundle "$work/bundle" "r-$i"
	marked create "$i" "$strait" --root "$state" create --bundle "$work/bundle" "c-$i"
	marked start "$i" "$strait" --root "$state" start "c-$i"
	k=0
	while [ "$("$strait" --root "$state" state "c-$i" | jq -r .status)" = running ] && [ $k -lt 200 ]; do
		k=$((k + 1))
	done
	marked delete "$i" "$strait" --root "$state" delete "c-$i"
done

# table KIND: per phase, the median of (its mark - the mark before it), in the order of
# the last round; then the whole command, fork to reaped.
table() {
	local kind=$1 f
	echo
	echo "strait $kind ($n rounds)                                 median us"
	for f in "$work/marks/$kind".*; do
		[ "$f" = "$work/marks/$kind.0" ] && continue
		# marks after "reaped" (create's container process going on at start) are left
		# out; a name seen again (main after the re-exec) gets its count
		sort -k2,2n "$f" | awk 'done { next }
			{ name = $3; for (i = 4; i <= NF; i++) name = name " " $i
			if (++seen[name] > 1) name = name " (" seen[name] ")"
			if (NR > 1) print NR "\t" name "\t" ($2 - prev); else t0 = $2
			prev = $2; if ($3 == "reaped") done = 1 }
			END { print 999 "\tTOTAL (fork to reaped)\t" (prev - t0) }'
	done | sort -t$'\t' -k2,2 -k3,3n | awk -F'\t' '
		{ v[$2, ++c[$2]] = $3; if (!($2 in pos) || $1 > pos[$2]) pos[$2] = $1 }
		END { for (k in c) { m = c[k]; a = v[k, int((m + 1) / 2)]; b = v[k, int(m / 2) + 1]
			printf "%d\t%-54s %7d\n", pos[k], k, (m % 2 ? a : (a + b) / 2) } }' |
		sort -n | cut -f2-
}
echo "kernel $(uname -r), $(nproc) CPUs; $(bench_cgroup_name)"
for kind in run create start delete; do table "$kind"; done
