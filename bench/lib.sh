# bench/lib.sh: what bench/run.sh and bench/phases.sh share; sourced, after set -euo.

# bench_delete_all RUNTIME ROOT: delete --force of every container left under ROOT
# (strait and runc take the same command).
bench_delete_all() {
	local id
	for id in $(ls "$2" 2>/dev/null); do
		"$1" --root "$2" delete --force "$id" >/dev/null 2>&1 || true
	done
}

# bench_bundle TOP RUNC WORK: WORK/bundle, one bundle for every runtime measured: what
# `runc spec` writes (what clients start from), running /bin/true without a terminal,
# on the test rootfs (tests/rootfs/build.sh, cached in WORK/cache).
bench_bundle() {
	local top=$1 runc=$2 work=$3
	"$top/tests/rootfs/build.sh" "$work/cache" >/dev/null
	mkdir "$work/bundle"
	cp -a "$work/cache/rootfs" "$work/bundle/rootfs"
	(cd "$work/bundle" && "$runc" spec)
	jq '.process.terminal = false | .process.args = ["/bin/true"]' "$work/bundle/config.json" \
		>"$work/config.json"
	mv "$work/config.json" "$work/bundle/config.json"
}

# bench_state_tmpfs DIR: a tmpfs on DIR for state roots, as clients keep them in /run.
# Only inside the private mount namespace the scripts re-execute into.
bench_state_tmpfs() {
	mount -t tmpfs -o mode=0700,size=64m strait-bench-state "$1"
}

# bench_private_ns "$0" "$@": re-executes the script once in a private mount namespace,
# so that its mounts (tmpfs, read-only binds) never reach the host's mount table and go
# away with it.
bench_private_ns() {
	if [ -z "${STRAIT_BENCH_NS:-}" ]; then
		STRAIT_BENCH_NS=1 exec unshare -m --propagation private "$@"
	fi
}

# bench_cgroup_layout NAME: BENCH_CGROUP, checked; on a hybrid host "v2" mounts cgroup2
# alone over /sys/fs/cgroup (inside the private namespace only), so that both runtimes
# run as on a cgroup2-only host: one hierarchy instead of one per v1 controller (the
# controllers stay with the host's v1 hierarchies, so none is delegated). "host" (the
# default) leaves the host's layout. Prints the layout measured.
bench_cgroup_layout() {
	case ${BENCH_CGROUP:-host} in
	host) ;;
	v2)
		if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
			umount -R /sys/fs/cgroup && mount -t cgroup2 strait-bench /sys/fs/cgroup
		fi ;;
	*) echo "$1: BENCH_CGROUP is host or v2, not \"$BENCH_CGROUP\"" >&2; exit 1 ;;
	esac
}

# bench_cgroup_name: the cgroup layout in use, for the report's first line.
bench_cgroup_name() {
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		echo "cgroup2 only$([ "${BENCH_CGROUP:-host}" = v2 ] && echo ' (BENCH_CGROUP=v2)')"
	else
		echo "cgroup v1 ($(grep -c ' - cgroup ' /proc/self/mountinfo) hierarchies) + cgroup2"
	fi
}
