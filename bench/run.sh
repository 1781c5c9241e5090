#!/bin/bash
# Start-time benchmark, strait side by side with runc and the floor (bench/floor.c:
# clone with the same namespaces, pivot_root, execve), all in one interleaved loop so
# that they see the same machine. Medians, and ratios taken round by round.
#   bench/run.sh [N] [LOOPS]      (default N=200 rounds, LOOPS=5; needs root)
# Rows:
#   run              `run` of /bin/true (one process each)
#   create+start+delete  the three commands in a row, against one floor run
#   ..., read-only binary  the same with strait's binary on a read-only bind mount (as
#                    an operator can install it): create then skips its re-exec
#   100 in a row     100 `run`s back to back, against 100 floor runs (LOOPS times)
#   run, isolated    `run` with 200 ms of quiet before each (as a client starts
#                    containers): costs that a tight loop hides show here
#   peak RSS         the largest peak RSS of any process of each runtime (wait4's maxrss
#                    covers the process and what it reaped)
# Environment: STRAIT (default build/strait), RUNC (default: runc in PATH),
# BUILD_DIR (default build/, where bench/floor and bench/rusage are built),
# BENCH_STATE: tmpfs (default) puts both runtimes' state roots on a tmpfs, as /run is
# where clients keep them (containerd's /run/containerd/runc, podman's /run); disk
# keeps them in TMPDIR, where a file system such as ext4 adds its inode costs.
# BENCH_CGROUP: host (default) or v2: on a hybrid host, cgroup2 alone over /sys/fs/cgroup
# in the benchmark's private mount namespace, for both runtimes (bench/lib.sh).
set -euo pipefail

n=${1:-200}
loops=${2:-5}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$top/bench/lib.sh"
build=${BUILD_DIR:-$top/build}
strait=${STRAIT:-$build/strait}
runc=${RUNC:-$(command -v runc || true)}
floor=$build/bench/floor
rusage=$build/bench/rusage

[ "$(id -u)" = 0 ] || { echo "bench/run.sh: needs root" >&2; exit 1; }
[ -x "$strait" ] || { echo "bench/run.sh: no strait at $strait (build first)" >&2; exit 1; }
[ -n "$runc" ] || { echo "bench/run.sh: runc not found (apt-get install runc)" >&2; exit 1; }
bench_state=${BENCH_STATE:-tmpfs}
case $bench_state in
tmpfs | disk) ;;
*) echo "bench/run.sh: BENCH_STATE is tmpfs or disk, not \"$bench_state\"" >&2; exit 1 ;;
esac
bench_private_ns "$0" "$@"
bench_cgroup_layout bench/run.sh
if [ ! -x "$floor" ] || [ ! -x "$rusage" ]; then
	make -C "$build" -s bench/floor bench/rusage
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/strait-bench.XXXXXX")
strait_ro=$work/ro/strait
state=$work/state
cleanup() {
	bench_delete_all "$strait" "$state/strait"
	bench_delete_all "$strait_ro" "$state/strait-ro"
	bench_delete_all "$runc" "$state/runc"
	umount "$work/ro/strait" 2>/dev/null || true
	umount "$state" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

bench_bundle "$top" "$runc" "$work"
mkdir "$work/ro" "$state"
[ "$bench_state" = disk ] || bench_state_tmpfs "$state"
cp "$strait" "$strait_ro"
mount --bind "$strait_ro" "$strait_ro"
mount -o remount,bind,ro "$strait_ro"

rt() { # rt strait|runc ARGS...: the runtime with its own state root
	local w=$1
	shift
	case $w in
	strait) "$strait" --root "$state/strait" "$@" ;;
	strait-ro) "$strait_ro" --root "$state/strait-ro" "$@" ;;
	*) "$runc" --root "$state/runc" "$@" ;;
	esac
}

# one_run WHICH ROUND [SUFFIX]: one `run`, its line appended to WHICH.SUFFIX (run).
one_run() {
	local which=$1 i=$2 out=$work/$1.${3:-run} bin=$strait
	[ "$which" = runc ] && bin=$runc
	case $which in
	strait | runc) "$rusage" "$out" "$bin" --root "$state/$which" run \
		--bundle "$work/bundle" "b-$i" ;;
	floor) "$rusage" "$out" "$floor" "$work/bundle/rootfs" /bin/true ;;
	esac </dev/null >/dev/null
}

# create, start, delete: three lines per round in WHICH.csd (the floor: one run).
one_csd() {
	local which=$1 i=$2 bin=$strait
	[ "$which" = runc ] && bin=$runc
	[ "$which" = strait-ro ] && bin=$strait_ro
	if [ "$which" = floor ]; then
		"$rusage" "$work/floor.csd" "$floor" "$work/bundle/rootfs" /bin/true </dev/null >/dev/null
		return
	fi
	"$rusage" "$work/$which.csd" "$bin" --root "$state/$which" create \
		--bundle "$work/bundle" "c-$i" </dev/null >/dev/null 2>&1
	"$rusage" "$work/$which.csd" "$bin" --root "$state/$which" start "c-$i" </dev/null >/dev/null
	# start returns before /bin/true has exited: delete waits for "stopped"
	local k=0
	while [ "$(rt "$which" state "c-$i" 2>/dev/null | jq -r .status)" = running ] && [ $k -lt 200 ]; do
		k=$((k + 1))
	done
	"$rusage" "$work/$which.csd" "$bin" --root "$state/$which" delete "c-$i" </dev/null >/dev/null
}

# 100 `run`s in a row: one line "<wall_us>" per loop in WHICH.loop.
one_loop() {
	local which=$1 l=$2 t0 t1 k
	t0=$(date +%s%N)
	for ((k = 0; k < 100; k++)); do
		case $which in
		strait) "$strait" --root "$state/strait" run --bundle "$work/bundle" "l-$l-$k" ;;
		runc) "$runc" --root "$state/runc" run --bundle "$work/bundle" "l-$l-$k" ;;
		floor) "$floor" "$work/bundle/rootfs" /bin/true ;;
		esac </dev/null >/dev/null
	done
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000)) >>"$work/$which.loop"
}

order=(strait runc floor)
# Warm the caches (page cache, dentries, strait's seccomp cache) once, then measure.
for w in "${order[@]}"; do one_run "$w" 0; done
rm -f "$work"/*.run
fail() { echo "bench/run.sh: $*" >&2; exit 1; }
for ((i = 1; i <= n; i++)); do
	# Rotate the order so that no runtime always runs right after another.
	for ((k = 0; k < 3; k++)); do
		w=${order[$(((i + k) % 3))]}
		one_run "$w" "$i" || fail "$w run failed at round $i"
	done
done
ncsd=$(((n + 1) / 2))
csd_order=(strait runc floor strait-ro)
for ((i = 1; i <= ncsd; i++)); do
	for ((k = 0; k < 4; k++)); do
		w=${csd_order[$(((i + k) % 4))]}
		one_csd "$w" "$i" || fail "$w create/start/delete failed at round $i"
	done
done
niso=$(((n + 9) / 10))
for ((i = 1; i <= niso; i++)); do
	for ((k = 0; k < 3; k++)); do
		w=${order[$(((i + k) % 3))]}
		sleep 0.2
		one_run "$w" "iso-$i" iso || fail "$w isolated run failed at round $i"
	done
done
for ((l = 1; l <= loops; l++)); do
	for ((k = 0; k < 3; k++)); do
		w=${order[$(((l + k) % 3))]}
		one_loop "$w" "$l" || fail "$w loop $l failed"
	done
done

# median: of the numbers on stdin
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
col() { awk -v c="$2" '{ print $c }' "$1"; }
# per-round sums of the three create/start/delete lines
csd_sum() { awk '{ s += $1 } NR % 3 == 0 { print s; s = 0 }' "$1"; }
# paired ratios: line i of A over line i of B
ratios() { paste <(cat "$1") <(cat "$2") | awk '$2 > 0 { printf "%.4f\n", $1 / $2 }'; }

col "$work/strait.run" 1 >"$work/s.run" && col "$work/runc.run" 1 >"$work/r.run" && col "$work/floor.run" 1 >"$work/f.run"
csd_sum "$work/strait.csd" >"$work/s.csd" && csd_sum "$work/runc.csd" >"$work/r.csd"
csd_sum "$work/strait-ro.csd" >"$work/sro.csd"
col "$work/floor.csd" 1 >"$work/f.csd"
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
row() { # row LABEL S R F  (files of microseconds; F paired with S and R)
	local s r f
	s=$(median <"$2") r=$(median <"$3") f=$(median <"$4")
	printf '%-22s %9s %9s %9s %12s %12s\n' "$1" "$(ms "$s")" "$(ms "$r")" "$(ms "$f")" \
		"$(ratios "$2" "$4" | median | xargs printf '%.2f')x" "$(ratios "$3" "$2" | median | xargs printf '%.2f')x"
}

echo
echo "kernel $(uname -r), $(nproc) CPUs; $n rounds of run, $ncsd of create+start+delete, $loops loops of 100, $niso isolated runs; $(bench_cgroup_name); state roots on $([ "$bench_state" = tmpfs ] && echo tmpfs || df --output=fstype "$state" | tail -1)"
printf '%-22s %9s %9s %9s %12s %12s\n' "median ms" strait runc floor strait/floor runc/strait
row "run /bin/true" "$work/s.run" "$work/r.run" "$work/f.run"
row "create+start+delete" "$work/s.csd" "$work/r.csd" "$work/f.csd"
row "  read-only binary" "$work/sro.csd" "$work/r.csd" "$work/f.csd"
row "100 in a row" "$work/strait.loop" "$work/runc.loop" "$work/floor.loop"
for w in strait runc floor; do col "$work/$w.iso" 1 >"$work/$w.iso1"; done
row "run, isolated" "$work/strait.iso1" "$work/runc.iso1" "$work/floor.iso1"
peak() { cat "$work/$1".run "$work/$1".csd "$work/$1".iso 2>/dev/null | awk '$2 > m { m = $2 } END { print m }'; }
printf '%-22s %9s %9s %9s   (KiB, the largest of any process)\n' "peak RSS" "$(peak strait)" "$(peak runc)" "$(peak floor)"
echo "ratios are medians of per-round ratios (the 100-loop: per loop)"
