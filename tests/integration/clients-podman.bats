#!/usr/bin/env bats
# The runtime under podman (through conmon): `podman --runtime WRAPPER` with its own
# --root/--runroot/--tmpdir under a temp dir, the vfs storage driver, --network none,
# cgroupfs, and the locally built busybox image loaded with `podman load`. A private
# containers.conf (CONTAINERS_CONF) lists the runtime in runtime_supports_json, so
# that podman passes --log-format=json --log. Each test checks that nothing was left
# behind for its containers; the last test checks the whole file.
#
# podman does not pass --root to the runtime (and `podman container cleanup` drops
# --runtime-flag), so the runtime keeps its state in its default root; the
# container IDs are podman's 64-hex IDs, unique there.

load clients-helpers

setup_file() {
	CLIENTS_SKIP=$(client_check podman conmon script)
	export CLIENTS_SKIP
	[ -z "$CLIENTS_SKIP" ] || return 0
	build_rootfs
	client_setup_dir strait-pod
	local d=$CLIENT_DIR
	mkdir -p "$d/tmp" "$d/cni" "$d/volumes"
	# Root here lacks CAP_SYS_RESOURCE: podman's default ulimits (nofile 1048576)
	# cannot be applied by any runtime, so the test config lowers them.
	cat >"$d/containers.conf" <<EOF
[containers]
netns = "none"
log_driver = "k8s-file"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$d/events.log"
tmp_dir = "$d/tmp"
volume_path = "$d/volumes"
runtime = "$RUNTIME_NAME"
runtime_supports_json = ["$RUNTIME_NAME"]

[engine.runtimes]
$RUNTIME_NAME = ["$CLIENT_RUNTIME"]

[network]
network_config_dir = "$d/cni"
EOF
	CONTAINERS_CONF=$d/containers.conf
	export CONTAINERS_CONF
	# Host paths podman creates outside --root (its SHM lock segment, the image
	# blob-info cache, the parent cgroup): remember what existed before.
	[ -e /dev/shm/libpod_lock ] || touch "$d/created-libpod-lock"
	[ -e /var/lib/containers ] || touch "$d/created-var-lib-containers"
	[ -n "$(cgroup_dirs libpod_parent)" ] || touch "$d/created-libpod-parent"
	pod_ load -i "$CLIENT_IMAGE_TAR" >&2
}

teardown_file() {
	if [ -z "${CLIENT_DIR:-}" ] || [ ! -d "$CLIENT_DIR" ]; then
		return 0 # setup_file skipped or failed early
	fi
	pod_purge >/dev/null 2>&1 || true
	kill_pids $(pids_of_mark "*")
	mounts_under "$CLIENT_DIR" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
	# podman's own parent cgroups (libpod_parent, and libpod_parent/conmon for the
	# monitors), when this file created them.
	if [ -e "$CLIENT_DIR/created-libpod-parent" ]; then
		# conmon runs `podman container cleanup` when a container exits: let the
		# last ones finish.
		wait_gone libpod_parent_procs >/dev/null
		find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -depth -type d -path '*/libpod_parent*' \
			-exec rmdir {} \; 2>/dev/null
	fi
	[ ! -e "$CLIENT_DIR/created-libpod-lock" ] || rm -f /dev/shm/libpod_lock
	[ ! -e "$CLIENT_DIR/created-var-lib-containers" ] || rm -rf /var/lib/containers
	rm -rf "$CLIENT_DIR"
}

setup() {
	client_skip_if_unavailable
	NAME=pod$BATS_TEST_NUMBER-${CLIENT_MARK##*-}
	CIDFILE=$BATS_TEST_TMPDIR/cid
	argv_mark
}

teardown() {
	local left
	[ -z "${CLIENTS_SKIP:-}" ] || return 0
	left=$(pod_purge)
	[ -z "$left" ] || fail "the test left containers in podman: $left"
}

# ---- helpers ----

# pod_ ARGS...: podman with the private storage, runtime and config.
pod_() {
	tmo podman $(pod_global_flags) "$@" </dev/null
}

pod_global_flags() {
	echo --root "$CLIENT_DIR/root" --runroot "$CLIENT_DIR/runroot" --tmpdir "$CLIENT_DIR/tmp" \
		--storage-driver vfs ${POD_RUNTIME_FLAG---runtime $CLIENT_RUNTIME} --cgroup-manager cgroupfs \
		--events-backend file --network-config-dir "$CLIENT_DIR/cni"
}

# pod_run_flags NAME: flags for every `podman run` of the tests. Podman's default
# seccomp profile is covered by its own test.
pod_run_flags() {
	echo --name "$1" --network none --env "$(mark_env "$1")" --security-opt seccomp=unconfined
}

# pod_cmdline ARGS...: a shell command line running `podman ARGS...` (for script(1)).
pod_cmdline() {
	quote_cmd timeout --foreground -s KILL "$CLIENT_TIMEOUT" podman $(pod_global_flags) "$@"
}

# pod_start NAME CMD...: a detached container; sets POD_ID.
pod_start() {
	local name=$1
	shift
	run --separate-stderr pod_ run -d $(pod_run_flags "$name") "$CLIENT_IMAGE" "$@"
	[ "$status" = 0 ] || fail "podman run -d failed ($status): $output $stderr"
	POD_ID=$(tail -n1 <<<"$output")
	[[ $POD_ID =~ ^[0-9a-f]{64}$ ]] || fail "no container ID from podman run -d: $output"
	echo "$POD_ID" >>"$CLIENT_DIR/ids"
}

# pod_status NAME: podman's status word (running, paused, exited...).
pod_status() {
	pod_ inspect --format '{{.State.Status}}' "$1" 2>/dev/null
}

# pod_purge: removes every container podman still knows; prints their names.
pod_purge() {
	local n
	for n in $(pod_ ps -a --format '{{.Names}}' 2>/dev/null); do
		pod_ rm -f -t 0 "$n" >/dev/null 2>&1 || true
		echo "$n"
	done
}

# pod_leftovers ID...: one line per thing left behind by these containers.
pod_leftovers() {
	local id p
	for id in "$@"; do
		# The runtime's state (podman uses its default root).
		"$RUNTIME" state "$id" >/dev/null 2>&1 && echo "runtime state for $id"
		if is_strait && [ -e "/run/strait/$id" ]; then
			echo "runtime state dir /run/strait/$id"
		fi
		cgroup_dirs "libpod-$id" | sed 's/^/cgroup /'
		cgroup_dirs "$id" | sed 's/^/cgroup /'
		mounts_under "$CLIENT_DIR" | grep -F -- "$id" | sed 's/^/mount /'
		for p in $(pids_cmdline_has "$id"); do
			echo "process $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
		done
	done
	return 0
}

pod_assert_clean() {
	local left
	left=$(wait_gone pod_leftovers "$@")
	[ -z "$left" ] || fail "left behind: $left"
}

# libpod_parent_procs: processes in podman's parent cgroups (the monitors).
libpod_parent_procs() {
	cat /sys/fs/cgroup/*/libpod_parent/conmon/cgroup.procs 2>/dev/null || true
}

# ---- tests ----

@test "podman run: output, exit code and the runtime's JSON log flags" {
	run --separate-stderr pod_ run --rm --cidfile "$CIDFILE" $(pod_run_flags "$NAME") \
		"$CLIENT_IMAGE" sh -c 'echo hello; cat /proc/self/cgroup | grep -c libpod-; exit 3'
	assert_eq "$status" 3 "stderr: $stderr"
	assert_has_line "$output" "hello"
	local id
	id=$(cat "$CIDFILE")
	echo "$id" >>"$CLIENT_DIR/ids"
	# runtime_supports_json: conmon passes the JSON log flags before the command.
	assert_argv "^--log-format=json --log [^ ]+ create --bundle [^ ]+ --pid-file [^ ]+ $id\$" \
		"start $id\$" "delete --force $id\$"
	pod_assert_clean "$id"
}

@test "podman run: the runtime's error reaches podman" {
	# podman maps "no such file" runtime errors to 127.
	run -127 --separate-stderr pod_ run --rm --cidfile "$CIDFILE" $(pod_run_flags "$NAME") \
		"$CLIENT_IMAGE" /no/such/binary
	assert_contains "$stderr" "/no/such/binary"
	echo "$(cat "$CIDFILE" 2>/dev/null)" >>"$CLIENT_DIR/ids"
	[ ! -s "$CIDFILE" ] || pod_assert_clean "$(cat "$CIDFILE")"
}

@test "podman run: podman's default seccomp profile" {
	# containers-common's seccomp.json: an errno default with allow lists, and
	# sethostname denied without CAP_SYS_ADMIN.
	run --separate-stderr pod_ run --rm --cidfile "$CIDFILE" --name "$NAME" --network none \
		--env "$(mark_env "$NAME")" "$CLIENT_IMAGE" \
		sh -c 'grep ^Seccomp: /proc/self/status; hostname h2 2>&1; mkdir /tmp/d && echo mkdir=0'
	echo "$(cat "$CIDFILE" 2>/dev/null)" >>"$CLIENT_DIR/ids"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_contains "$output" "Seccomp:	2" "Operation not permitted"
	assert_has_line "$output" "mkdir=0"
	pod_assert_clean "$(cat "$CIDFILE")"
}

@test "podman exec: output, exit code, user, env and workdir" {
	pod_start "$NAME" sleep 1000
	run --separate-stderr pod_ exec "$NAME" sh -c 'echo in-exec; echo "$STRAIT_TEST_MARK"'
	assert_eq "$status" 0 "stderr: $stderr"
	assert_has_line "$output" "in-exec"
	assert_has_line "$output" "$CLIENT_MARK.$NAME"
	run --separate-stderr pod_ exec "$NAME" sh -c 'exit 6'
	assert_eq "$status" 6 "stderr: $stderr"
	run --separate-stderr pod_ exec --user 1:1 -e FOO=bar -w /tmp "$NAME" sh -c 'id; echo "FOO=$FOO"; pwd'
	assert_eq "$status" 0 "stderr: $stderr"
	# --user UID:GID: no supplementary groups (busybox id then prints none).
	assert_has_line "$output" "uid=1(daemon) gid=1(daemon)"
	assert_has_line "$output" "FOO=bar"
	assert_has_line "$output" "/tmp"
	assert_argv "^--log-format=json --log [^ ]+ exec --pid-file [^ ]+ --process [^ ]+ --detach $POD_ID\$"
	pod_ rm -f -t 0 "$NAME" >/dev/null
	pod_assert_clean "$POD_ID"
}

@test "podman run -t: a terminal of the client's size" {
	local CLIENT_TIMEOUT=30
	run in_tty "$(pod_cmdline run --rm -t --cidfile "$CIDFILE" $(pod_run_flags "$NAME") \
		"$CLIENT_IMAGE" sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo stdio-is-tty; echo "size=$(stty size)"; exit 4')"
	echo "$(cat "$CIDFILE" 2>/dev/null)" >>"$CLIENT_DIR/ids"
	assert_eq "$status" 4 "output: $output"
	assert_contains "$output" "/dev/pts/0" "stdio-is-tty" "size=30 100"
	assert_argv "create --bundle [^ ]+ --pid-file [^ ]+ --console-socket [^ ]+ $(cat "$CIDFILE")\$"
	pod_assert_clean "$(cat "$CIDFILE")"
}

@test "podman exec -t: a terminal for an exec'd process" {
	local CLIENT_TIMEOUT=30
	pod_start "$NAME" sleep 1000
	run in_tty "$(pod_cmdline exec -it "$NAME" sh -c 'tty; [ -t 0 ] && echo stdin-is-tty; exit 3')"
	assert_eq "$status" 3 "output: $output"
	assert_contains "$output" "/dev/pts/" "stdin-is-tty"
	assert_argv "exec .*--tty.*--console-socket [^ ]+.* $POD_ID\$|exec .*--console-socket [^ ]+.*--tty.* $POD_ID\$"
	pod_ rm -f -t 0 "$NAME" >/dev/null
	pod_assert_clean "$POD_ID"
}

@test "podman pause / unpause: freezer, runtime state, exec refused while paused" {
	pod_start "$NAME" sleep 1000
	run --separate-stderr pod_ pause "$NAME"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$(pod_status "$NAME")" paused
	assert_eq "$("$RUNTIME" state "$POD_ID" | jq -r .status)" paused
	if [ -d /sys/fs/cgroup/freezer ]; then
		assert_eq "$(cat "/sys/fs/cgroup/freezer/libpod_parent/libpod-$POD_ID/freezer.state")" FROZEN
	fi
	run --separate-stderr pod_ exec "$NAME" true
	[ "$status" -ne 0 ] || fail "exec into a paused container succeeded"
	run --separate-stderr pod_ unpause "$NAME"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$(pod_status "$NAME")" running
	assert_eq "$("$RUNTIME" state "$POD_ID" | jq -r .status)" running
	run --separate-stderr pod_ exec "$NAME" echo alive
	assert_eq "$output" alive
	assert_argv "pause $POD_ID\$" "resume $POD_ID\$"
	pod_ rm -f -t 0 "$NAME" >/dev/null
	pod_assert_clean "$POD_ID"
}

@test "podman rm -f of a paused container" {
	pod_start "$NAME" sh -c 'sleep 1000 & sleep 1000 & wait'
	run --separate-stderr pod_ pause "$NAME"
	assert_eq "$status" 0 "stderr: $stderr"
	run --separate-stderr pod_ rm -f -t 0 "$NAME"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$(wait_gone pids_of_mark "$NAME")" "" "processes after rm -f"
	pod_assert_clean "$POD_ID"
}

@test "podman kill, wait and rm" {
	pod_start "$NAME" sh -c 'sleep 1000 & sleep 1000 & wait'
	run --separate-stderr pod_ kill "$NAME"
	assert_eq "$status" 0 "stderr: $stderr"
	run --separate-stderr pod_ wait "$NAME"
	assert_eq "$output" 137
	assert_argv "kill $POD_ID 9\$"
	assert_eq "$(wait_gone pids_of_mark "$NAME")" "" "processes after kill"
	run --separate-stderr pod_ rm "$NAME"
	assert_eq "$status" 0 "stderr: $stderr"
	pod_assert_clean "$POD_ID"
}

@test "podman stop: SIGTERM first, SIGKILL after the timeout" {
	# pid 1 ignores SIGTERM (no handler), so stop has to escalate.
	pod_start "$NAME" sleep 1000
	run --separate-stderr pod_ stop -t 1 "$NAME"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$(pod_status "$NAME")" exited
	assert_argv "kill $POD_ID 15\$" "kill( --all)? $POD_ID 9\$"
	run --separate-stderr pod_ rm "$NAME"
	assert_eq "$status" 0 "stderr: $stderr"
	pod_assert_clean "$POD_ID"
}

@test "podman rm -f: a running container is removed with delete --force" {
	pod_start "$NAME" sleep 1000
	run --separate-stderr pod_ rm -f -t 0 "$NAME"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_argv "delete --force $POD_ID\$"
	run --separate-stderr pod_ ps -a --format '{{.Names}}'
	assert_not_contains "$output" "$NAME"
	pod_assert_clean "$POD_ID"
}

@test "contrib: containers.conf makes strait podman's runtime, with JSON logs" {
	strait_only "the contrib file names the runtime strait"
	local conf=$BATS_TEST_TMPDIR/containers.conf
	# The contrib file with the binary path of this build, plus what this test host
	# needs (see setup_file).
	sed 's|^strait = \[.*\]|strait = ["'"$CLIENT_RUNTIME"'"]|' \
		"$TOP/contrib/podman/containers.conf" >"$conf"
	cat >>"$conf" <<EOF

[containers]
netns = "none"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
EOF
	# No --runtime: the config's default runtime must be used.
	CONTAINERS_CONF=$conf POD_RUNTIME_FLAG= run --separate-stderr pod_ info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}}'
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$output" "strait $CLIENT_RUNTIME"
	CONTAINERS_CONF=$conf POD_RUNTIME_FLAG= run --separate-stderr pod_ run --rm --cidfile "$CIDFILE" \
		$(pod_run_flags "$NAME") "$CLIENT_IMAGE" echo via-containers-conf
	echo "$(cat "$CIDFILE" 2>/dev/null)" >>"$CLIENT_DIR/ids"
	assert_eq "$status" 0 "stderr: $stderr"
	assert_eq "$output" via-containers-conf
	assert_argv "^--log-format=json --log [^ ]+ create .*$(cat "$CIDFILE")\$"
	pod_assert_clean "$(cat "$CIDFILE")"
}

@test "podman: nothing left behind by this file (mounts, cgroups, processes, state)" {
	local left ids
	ids=$(grep -E '^[0-9a-f]{64}$' "$CLIENT_DIR/ids" | sort -u)
	[ -n "$ids" ] || skip "no container was created"
	left=$(wait_gone pod_leftovers $ids)
	[ -z "$left" ] || fail "left behind: $left"
	left=$(pids_of_mark "*")
	[ -z "$left" ] || fail "marked processes left: $left"
	left=$(wait_gone pids_cmdline_has "$CLIENT_DIR/")
	[ -z "$left" ] || fail "processes using the test dir left: $left"
	left=$(mounts_under "$CLIENT_DIR")
	[ -z "$left" ] || fail "mounts left: $left"
	# Only podman's shared parents (libpod_parent, libpod_parent/conmon) may remain.
	left=$(find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d -path '*/libpod_parent/*' \
		! -name conmon 2>/dev/null || true)
	[ -z "$left" ] || fail "cgroups left: $left"
}
