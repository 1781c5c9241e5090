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
