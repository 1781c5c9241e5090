#!/bin/bash
# Start-time benchmark: N sequential `run` of /bin/true in one busybox bundle,
# alternating strait, runc and the floor (bench/floor.c: clone with the same
# namespaces, pivot_root, execve) in one loop. Prints the median wall time of each,
# the ratios, and the peak RSS of the runtime process (measured by bench/rusage.c).
#   bench/run.sh [N]                       (default 200; needs root)
# Environment: STRAIT (default build/strait), RUNC (default: runc in PATH),
# BUILD_DIR (default build/, where bench/floor and bench/rusage are built).
set -euo pipefail

n=${1:-200}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$top/build}
strait=${STRAIT:-$build/strait}
runc=${RUNC:-$(command -v runc || true)}
floor=$build/bench/floor
rusage=$build/bench/rusage

[ "$(id -u)" = 0 ] || { echo "bench/run.sh: needs root" >&2; exit 1; }
[ -x "$strait" ] || { echo "bench/run.sh: no strait at $strait (build first)" >&2; exit 1; }
[ -n "$runc" ] || { echo "bench/run.sh: runc not found (apt-get install runc)" >&2; exit 1; }
if [ ! -x "$floor" ] || [ ! -x "$rusage" ]; then
	make -C "$build" -s bench/floor bench/rusage
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/strait-bench.XXXXXX")
cleanup() {
	local id
	for id in $(ls "$work/state-strait" 2>/dev/null); do
		"$strait" --root "$work/state-strait" delete --force "$id" >/dev/null 2>&1 || true
	done
	for id in $(ls "$work/state-runc" 2>/dev/null); do
		"$runc" --root "$work/state-runc" delete --force "$id" >/dev/null 2>&1 || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

# One bundle for all three: strait's default spec, running /bin/true without a tty.
"$top/tests/rootfs/build.sh" "$work/cache" >/dev/null
mkdir "$work/bundle"
cp -a "$work/cache/rootfs" "$work/bundle/rootfs"
"$strait" spec --bundle "$work/bundle"
jq '.process.terminal = false | .process.args = ["/bin/true"]' "$work/bundle/config.json" \
	>"$work/config.json"
mv "$work/config.json" "$work/bundle/config.json"

run_one() {
	local which=$1 i=$2
	case $which in
	strait) "$rusage" "$work/strait.txt" "$strait" --root "$work/state-strait" run \
		--bundle "$work/bundle" "bench-$i" ;;
	runc) "$rusage" "$work/runc.txt" "$runc" --root "$work/state-runc" run \
		--bundle "$work/bundle" "bench-$i" ;;
	floor) "$rusage" "$work/floor.txt" "$floor" "$work/bundle/rootfs" /bin/true ;;
	esac </dev/null >/dev/null
}

# Warm the caches (page cache, strait's seccomp cache) once, then measure.
order=(strait runc floor)
for w in "${order[@]}"; do run_one "$w" 0; done
rm -f "$work"/*.txt
for ((i = 1; i <= n; i++)); do
	# Rotate the order so that no runtime always runs right after another.
	for ((k = 0; k < 3; k++)); do
		run_one "${order[$(((i + k) % 3))]}" "$i" || {
			echo "bench/run.sh: ${order[$(((i + k) % 3))]} failed at iteration $i" >&2
			exit 1
		}
	done
done

# median FILE COLUMN: the median of a column (1: wall us, 2: maxrss KiB).
median() {
	sort -n -k"$2","$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
maxcol() {
	awk -v c="$2" '$c > m { m = $c } END { print m }' "$1"
}

s_us=$(median "$work/strait.txt" 1) r_us=$(median "$work/runc.txt" 1) f_us=$(median "$work/floor.txt" 1)
echo
echo "$n runs of /bin/true each, alternating (kernel $(uname -r), $(nproc) CPUs)"
printf '%-8s %12s %16s %14s\n' "" "median ms" "median RSS KiB" "max RSS KiB"
for w in strait runc floor; do
	awk -v w="$w" -v us="$(median "$work/$w.txt" 1)" -v rss="$(median "$work/$w.txt" 2)" \
		-v max="$(maxcol "$work/$w.txt" 2)" 'BEGIN { printf "%-8s %12.2f %16d %14d\n", w, us / 1000, rss, max }'
done
awk -v s="$s_us" -v r="$r_us" -v f="$f_us" 'BEGIN {
	printf "runc/strait  %.2fx (strait is that much faster than runc)\n", r / s
	printf "strait/floor %.2fx (strait costs that much more than the floor)\n", s / f }'
