#!/usr/bin/env bats
# Operations on a running container, as containerd's shim and podman call them: ps
# (json and table), pause/resume (state and the v1 freezer), update (runc's flags,
# --resources FILE and - on stdin, read back from the cgroup files), events (--stats
# and --interval), kill --all reaching exec'd processes, delete --force of a paused or
# missing container, and errors through --log/--log-format json; global options in
# their --flag=value form.

load helpers

setup() {
	common_setup
	: >"$BATS_TEST_TMPDIR/strait.conf"
	export STRAIT_CONFIG=$BATS_TEST_TMPDIR/strait.conf
}

teardown() {
	common_teardown
}

# cg_dir CONTROLLER: this container's v1 cgroup directory (cgroupsPath of the base config).
cg_dir() {
	echo "/sys/fs/cgroup/$1/strait-test/$CID"
}

# start_sleeping: runs $CID detached with a sleeping init; INIT_PID is its host pid.
start_sleeping() {
	set_args /bin/probe sleep
	run_detached_ok
	wait_status "$CID" running
	INIT_PID=$(state_field "$CID" pid)
}

# exec_sleeper VAR: starts a detached sleeper in $CID and stores its host pid in VAR.
exec_sleeper() {
	local pf=$BATS_TEST_TMPDIR/sleeper.$RANDOM.pid
	runq runtime exec -d --pid-file "$pf" "$CID" /bin/probe sleep
	[ "$status" = 0 ] || fail "exec -d failed ($status): $stderr"
	printf -v "$1" '%s' "$(cat "$pf")"
}

# rt_stdin ARGS...: the runtime with this test's root, stdin inherited (for `-`).
rt_stdin() {
	STRAIT_TEST_MARK=$MARK timeout -k 5 60 "$RUNTIME" --root "$ROOT" "$@"
}

# gone PID: waits up to 5 s for PID to exit (or be a zombie).
gone() {
	local n=100
	while [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; do
		[ $n -gt 0 ] || return 1
		sleep 0.05
		n=$((n - 1))
	done
}

# cg_read CONTROLLER FILE: a cgroup file of this container.
cg_read() {
	cat "$(cg_dir "$1")/$2"
}

# blkio_weight_file: the weight file this kernel has (CFQ's or BFQ's), or nothing.
blkio_weight_file() {
	local f
	for f in blkio.weight blkio.bfq.weight; do
		[ -e "$(cg_dir blkio)/$f" ] && echo "$(cg_dir blkio)/$f" && return 0
	done
	return 0
}

@test "ps --format json: the pids of the init and of an exec'd process" {
	requires cgroup_v1
	start_sleeping
	local sleeper
	exec_sleeper sleeper
	run --separate-stderr runtime ps --format json "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	jq -e 'type == "array" and all(.[]; type == "number")' <<<"$output" >/dev/null ||
		fail "not an array of pids: $output"
	jq -e --argjson p "$INIT_PID" 'index($p) != null' <<<"$output" >/dev/null ||
		fail "init $INIT_PID missing: $output"
	jq -e --argjson p "$sleeper" 'index($p) != null' <<<"$output" >/dev/null ||
		fail "exec'd $sleeper missing: $output"
	# Exactly the processes of the container's cgroup.
	assert_eq "$(jq -r '.[]' <<<"$output" | sort -n | tr '\n' ' ')" \
		"$(sort -n "$(cg_dir pids)/cgroup.procs" | tr '\n' ' ')"
	# -f and --format= forms.
	run --separate-stderr runtime ps -f json "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	jq -e "length == 2" <<<"$output" >/dev/null || fail "$output"
	run --separate-stderr runtime ps --format=json "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	jq -e "length == 2" <<<"$output" >/dev/null || fail "$output"
}

@test "ps table: a header and one row per process of the container" {
	start_sleeping
	local sleeper
	exec_sleeper sleeper
	for args in "" "--format table" "--format=table"; do
		# shellcheck disable=SC2086
		run --separate-stderr runtime ps $args "$CID"
		[ "$status" -eq 0 ] || fail "ps $args: $stderr"
		local header
		header=$(head -n1 <<<"$output")
		assert_contains "$header" PID CMD
		assert_eq "$(grep -c '' <<<"$output")" 3 "ps $args: header + 2 rows: $output"
		# The PID column of the rows.
		local col pids
		col=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "PID") print i }' <<<"$header")
		pids=$(tail -n +2 <<<"$output" | awk -v c="$col" '{ print $c }' | sort -n | tr '\n' ' ')
		assert_eq "$pids" "$(printf '%s\n' "$INIT_PID" "$sleeper" | sort -n | tr '\n' ' ')" \
			"ps $args: $output"
		assert_contains "$output" "probe sleep"
	done
}

@test "ps: a bad format or an unknown container is one error line" {
	start_sleeping
	run --separate-stderr runtime ps --format yaml "$CID"
	assert_error yaml
	run --separate-stderr runtime ps --format json "no-such-$CID"
	assert_error "no-such-$CID"
}

@test "pause/resume: state shows paused then running, the freezer follows" {
	requires cgroup_v1
	start_sleeping
	local sleeper
	exec_sleeper sleeper
	run --separate-stderr runtime pause "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	# "paused" is outside the OCI state schema's enum; runc prints it too.
	assert_eq "$(state_field "$CID" status)" paused
	assert_eq "$(cg_read freezer freezer.state)" FROZEN
	# Every process is frozen, the exec'd one too (frozen tasks show up in
	# freezer.self_freezing only for the cgroup itself, so look at the tasks' wchan).
	grep -qx "$sleeper" "$(cg_dir freezer)/cgroup.procs" || fail "$sleeper not in the freezer cgroup"
	run --separate-stderr runtime list --format json
	jq -e --arg id "$CID" '.[] | select(.id == $id) | .status == "paused"' <<<"$output" \
		>/dev/null || fail "list: $output"
	run --separate-stderr runtime resume "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(state_field "$CID" status)" running
	assert_eq "$(cg_read freezer freezer.state)" THAWED
	[ -d "/proc/$sleeper" ] && [ -d "/proc/$INIT_PID" ]
	# The container works again: exec runs.
	run --separate-stderr runtime exec "$CID" /bin/echo alive
	assert_eq "$output" alive
}

@test "pause/resume: a paused process really stops running" {
	requires cgroup_v1
	set_args /bin/sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/tmp/count; sleep 0.02; done'
	run_detached_ok
	wait_status "$CID" running
	local f=$BUNDLE/rootfs/tmp/count a b
	wait_file "$f"
	runtime pause "$CID"
	sleep 0.1
	a=$(cat "$f")
	sleep 0.4
	b=$(cat "$f")
	assert_eq "$b" "$a" "counter moved while paused"
	runtime resume "$CID"
	sleep 0.4
	[ "$(cat "$f")" != "$b" ] || fail "counter did not move after resume"
}

@test "pause of a stopped container and resume of a running one are refused" {
	start_sleeping
	run --separate-stderr runtime resume "$CID"
	assert_error "$CID"
	assert_eq "$(state_field "$CID" status)" running
	run --separate-stderr runtime pause "no-such-$CID"
	assert_error "no-such-$CID"
	runtime kill "$CID" KILL
	wait_status "$CID" stopped
	run --separate-stderr runtime pause "$CID"
	assert_error "$CID"
	assert_eq "$(state_field "$CID" status)" stopped
	run --separate-stderr runtime resume "$CID"
	assert_error "$CID"
}

@test "pause of a created container is refused" {
	strait_only "runc 1.1.5 freezes a created container"
	set_args /bin/probe sleep
	create_ok
	run --separate-stderr runtime pause "$CID"
	assert_error "$CID"
	assert_eq "$(state_field "$CID" status)" created
}

@test "update with runc's flags writes the cgroup files" {
	requires cgroup_v1
	start_sleeping
	# runc 1.1.5 spells it --cpu-share; strait takes that and --cpu-shares.
	local bw=(--blkio-weight 300)
	if ! host_blkio_weight; then
		# No CFQ/BFQ here: a weight is refused, and the refusal changes nothing.
		run --separate-stderr runtime update --pids-limit 25 --blkio-weight 300 "$CID"
		assert_error "linux.resources.blockIO.weight"
		assert_eq "$(cg_read pids pids.max)" max
		bw=()
	fi
	run --separate-stderr runtime update --memory 64M --memory-reservation 32M \
		--memory-swap 128M --cpu-share 512 --cpu-quota 50000 --cpu-period 100000 \
		--cpuset-cpus 0 --cpuset-mems 0 --pids-limit 20 "${bw[@]}" "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(cg_read memory memory.limit_in_bytes)" 67108864
	assert_eq "$(cg_read memory memory.soft_limit_in_bytes)" 33554432
	if [ -e "$(cg_dir memory)/memory.memsw.limit_in_bytes" ]; then
		assert_eq "$(cg_read memory memory.memsw.limit_in_bytes)" 134217728
	fi
	assert_eq "$(cg_read cpu cpu.shares)" 512
	assert_eq "$(cg_read cpu cpu.cfs_quota_us)" 50000
	assert_eq "$(cg_read cpu cpu.cfs_period_us)" 100000
	assert_eq "$(cg_read cpuset cpuset.cpus)" 0
	assert_eq "$(cg_read cpuset cpuset.mems)" 0
	assert_eq "$(cg_read pids pids.max)" 20
	local w
	w=$(blkio_weight_file)
	if [ -n "$w" ]; then
		grep -qE '(^| )300$' "$w" || fail "$w: $(cat "$w")"
	fi
	# A second update of one value leaves the others alone, in --flag=value form.
	run --separate-stderr runtime update --pids-limit=30 --memory=96m "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(cg_read pids pids.max)" 30
	assert_eq "$(cg_read memory memory.limit_in_bytes)" 100663296
	assert_eq "$(cg_read cpu cpu.shares)" 512
	if is_strait; then
		run --separate-stderr runtime update --cpu-shares 768 "$CID"
		[ "$status" -eq 0 ] || fail "$stderr"
		assert_eq "$(cg_read cpu cpu.shares)" 768
		run --separate-stderr runtime update --cpu-shares=640 "$CID"
		[ "$status" -eq 0 ] || fail "$stderr"
		assert_eq "$(cg_read cpu cpu.shares)" 640
	fi
	# The limit holds for the running container: more pids than allowed fail.
	run --separate-stderr runtime exec "$CID" /bin/probe forks 40
	assert_contains "$output" "error=EAGAIN"
}

@test "update --resources - reads linux.resources JSON from stdin, as the shim sends it" {
	requires cgroup_v1
	start_sleeping
	local blkio='"blockIO": {"weight": 200}'
	host_blkio_weight || blkio='"blockIO": {}'
	run --separate-stderr rt_stdin update --resources - "$CID" <<-EOF
		{"memory": {"limit": 50331648, "reservation": 25165824},
		 "cpu": {"shares": 256, "quota": 20000, "period": 100000},
		 "pids": {"limit": 15}, $blkio}
	EOF
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(cg_read memory memory.limit_in_bytes)" 50331648
	assert_eq "$(cg_read memory memory.soft_limit_in_bytes)" 25165824
	assert_eq "$(cg_read cpu cpu.shares)" 256
	assert_eq "$(cg_read cpu cpu.cfs_quota_us)" 20000
	assert_eq "$(cg_read pids pids.max)" 15
	local w
	w=$(blkio_weight_file)
	if [ -n "$w" ]; then
		grep -qE '(^| )200$' "$w" || fail "$w: $(cat "$w")"
	fi
}

@test "update --resources -: the whole linux.resources object the shim sends" {
	requires cgroup_v1
	start_sleeping
	# devices are not updated; empty cpus/mems mean "unchanged".
	run --separate-stderr rt_stdin update --resources - "$CID" <<-'EOF'
		{"devices": [{"allow": false, "access": "rwm"}],
		 "memory": {"limit": 268435456, "swap": 268435456},
		 "cpu": {"shares": 2, "period": 100000, "cpus": "", "mems": ""},
		 "hugepageLimits": [], "blockIO": {}}
	EOF
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(cg_read memory memory.limit_in_bytes)" 268435456
	if [ -e "$(cg_dir memory)/memory.memsw.limit_in_bytes" ]; then
		assert_eq "$(cg_read memory memory.memsw.limit_in_bytes)" 268435456
	fi
	assert_eq "$(cg_read cpu cpu.shares)" 2
	assert_eq "$(cg_read cpuset cpuset.cpus)" "$(cat /sys/fs/cgroup/cpuset/cpuset.cpus)"
}

@test "update: memory and swap go up and down in the right order; -1 is unlimited" {
	requires cgroup_v1
	[ -e /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ] || skip "no swap accounting"
	start_sleeping
	local m s
	for m in "64M 128M 67108864 134217728" "256M 512M 268435456 536870912" \
		"32M 48M 33554432 50331648"; do
		# shellcheck disable=SC2086
		set -- $m
		run --separate-stderr runtime update --memory "$1" --memory-swap "$2" "$CID"
		[ "$status" -eq 0 ] || fail "update --memory $1 --memory-swap $2: $stderr"
		assert_eq "$(cg_read memory memory.limit_in_bytes)" "$3"
		assert_eq "$(cg_read memory memory.memsw.limit_in_bytes)" "$4"
	done
	run --separate-stderr runtime update --memory -1 --memory-swap -1 --pids-limit 9 "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	m=$(cg_read memory memory.limit_in_bytes)
	s=$(cg_read memory memory.memsw.limit_in_bytes)
	[ "$m" -gt 1000000000000 ] && [ "$s" -gt 1000000000000 ] || fail "not unlimited: $m $s"
	run --separate-stderr runtime update --pids-limit -1 "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(cg_read pids pids.max)" max
}

@test "update --resources FILE, and -r" {
	requires cgroup_v1
	start_sleeping
	local f=$BATS_TEST_TMPDIR/resources.json
	echo '{"pids": {"limit": 12}, "cpu": {"cpus": "0"}}' >"$f"
	run --separate-stderr runtime update --resources "$f" "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(cg_read pids pids.max)" 12
	assert_eq "$(cg_read cpuset cpuset.cpus)" 0
	echo '{"pids": {"limit": 13}}' >"$f"
	run --separate-stderr runtime update -r "$f" "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(cg_read pids pids.max)" 13
}

@test "update: a bad value is one error line and changes nothing" {
	requires cgroup_v1
	start_sleeping
	runtime update --pids-limit 25 "$CID"
	local v
	for v in "--memory lots" "--pids-limit twenty" "--cpu-shares 1x" "--blkio-weight heavy" \
		"--cpuset-cpus 4096"; do
		# shellcheck disable=SC2086
		run --separate-stderr runtime update $v "$CID"
		assert_error
		assert_eq "$(cg_read pids pids.max)" 25 "after update $v"
	done
	run --separate-stderr rt_stdin update --resources - "$CID" <<<'{"pids": {"limit": '
	assert_error
	run --separate-stderr runtime update --resources "$BATS_TEST_TMPDIR/none.json" "$CID"
	assert_error none.json
	run --separate-stderr runtime update --pids-limit 10 "no-such-$CID"
	assert_error "no-such-$CID"
	assert_eq "$(cg_read pids pids.max)" 25
}

@test "update without cgroupsPath acts on the default /strait/<id>" {
	requires cgroup_v1
	strait_only "runc names the default cgroup differently"
	update_config 'del(.linux.cgroupsPath)'
	start_sleeping
	run --separate-stderr runtime update --pids-limit 17 --memory 48M "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(cat "/sys/fs/cgroup/pids/strait/$CID/pids.max")" 17
	assert_eq "$(cat "/sys/fs/cgroup/memory/strait/$CID/memory.limit_in_bytes")" 50331648
}

@test "events --stats prints one stats object in runc's shape" {
	requires cgroup_v1
	start_sleeping
	local sleeper
	exec_sleeper sleeper
	run --separate-stderr runtime events --stats "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(grep -c '' <<<"$output")" 1 "one line: $output"
	jq -e --arg id "$CID" '.type == "stats" and .id == $id and
		(.data.memory.usage.usage > 0) and
		(.data.pids.current >= 2) and
		(.data.cpu.usage.total | type == "number")' <<<"$output" >/dev/null ||
		fail "unexpected stats: $output"
	# pids.current counts the exec'd sleeper: it agrees with the cgroup.
	assert_eq "$(jq .data.pids.current <<<"$output")" "$(cg_read pids pids.current)"
	# Limits set by update show up.
	runtime update --pids-limit 20 --memory 64M "$CID"
	run --separate-stderr runtime events --stats "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	jq -e '.data.pids.limit == 20 and .data.memory.usage.limit == 67108864' <<<"$output" \
		>/dev/null || fail "limits not in stats: $output"
	run --separate-stderr runtime events --stats "no-such-$CID"
	assert_error "no-such-$CID"
}

@test "events --interval streams stats and ends when the container stops" {
	requires cgroup_v1
	start_sleeping
	local ev=$BATS_TEST_TMPDIR/events.out evpid n=0
	: >"$ev"
	STRAIT_TEST_MARK=$MARK "$RUNTIME" --root "$ROOT" events --interval 100ms "$CID" \
		</dev/null >"$ev" 2>"$ev.err" 3>&- &
	evpid=$!
	# 100ms, not the 5 s default: 5 events well within 3 s.
	while [ "$(wc -l <"$ev")" -lt 5 ] && [ $n -lt 60 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	[ "$(wc -l <"$ev")" -ge 5 ] || fail "fewer than 5 events in 3 s: $(cat "$ev" "$ev.err")"
	local line
	while read -r line; do
		jq -e --arg id "$CID" '.type == "stats" and .id == $id and .data.pids.current >= 1' \
			<<<"$line" >/dev/null || fail "bad event: $line"
	done <"$ev"
	kill -0 "$evpid" 2>/dev/null || fail "events exited early: $(cat "$ev.err")"
	runtime kill "$CID" KILL
	wait_status "$CID" stopped
	n=0
	while kill -0 "$evpid" 2>/dev/null && [ $n -lt 100 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	if kill -0 "$evpid" 2>/dev/null; then
		kill -KILL "$evpid"
		wait "$evpid" || true
		# runc 1.1.5 keeps polling (and logging errors) after the container stopped.
		is_strait || [ -n "${STRAIT_ONLY_RUN:-}" ] || return 0
		fail "events did not stop within 5 s of the container stopping"
	fi
	wait "$evpid" || true
}

@test "events: a bad interval is one error line" {
	start_sleeping
	run --separate-stderr runtime events --interval soon "$CID"
	assert_error soon
}

@test "kill --all reaches exec'd processes; state reports stopped" {
	start_sleeping
	local s1 s2
	exec_sleeper s1
	exec_sleeper s2
	[ -d "/proc/$s1" ] && [ -d "/proc/$s2" ]
	run --separate-stderr runtime kill --all "$CID" 9
	[ "$status" -eq 0 ] || fail "$stderr"
	gone "$s1" || fail "exec'd $s1 survived kill --all"
	gone "$s2" || fail "exec'd $s2 survived kill --all"
	gone "$INIT_PID" || fail "init survived kill --all"
	wait_status "$CID" stopped
}

@test "kill --all of a paused container kills every process" {
	requires cgroup_v1
	start_sleeping
	local s1
	exec_sleeper s1
	runtime pause "$CID"
	wait_status "$CID" paused
	run --separate-stderr runtime kill --all "$CID" KILL
	[ "$status" -eq 0 ] || fail "$stderr"
	gone "$s1" || fail "exec'd $s1 survived kill --all of the paused container"
	gone "$INIT_PID" || fail "init survived kill --all of the paused container"
	wait_status "$CID" stopped
	assert_eq "$(cat "$(cg_dir pids)/cgroup.procs")" ""
}

@test "kill --all with TERM reaches an exec'd process while the init ignores it" {
	set_args /bin/sh -c 'trap "" TERM; while :; do sleep 0.1; done'
	run_detached_ok
	wait_status "$CID" running
	local s1
	exec_sleeper s1
	run --separate-stderr runtime kill -a "$CID" 15
	[ "$status" -eq 0 ] || fail "$stderr"
	gone "$s1" || fail "exec'd $s1 survived kill --all TERM"
	assert_eq "$(state_field "$CID" status)" running
}

@test "delete --force of a paused container kills it and leaves nothing" {
	requires cgroup_v1
	start_sleeping
	local sleeper
	exec_sleeper sleeper
	runtime pause "$CID"
	wait_status "$CID" paused
	run --separate-stderr runtime delete --force "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	run --separate-stderr runtime state "$CID"
	[ "$status" -ne 0 ]
	gone "$sleeper" || fail "exec'd $sleeper survived"
	gone "$INIT_PID" || fail "init survived"
	assert_clean
}

@test "delete of a paused container without --force is refused" {
	requires cgroup_v1
	start_sleeping
	runtime pause "$CID"
	run --separate-stderr runtime delete "$CID"
	# The error names the state the container is in.
	assert_error "$CID" paused
	assert_eq "$(state_field "$CID" status)" paused
}

@test "delete --force of a missing ID exits 0; plain delete fails with one line" {
	local id=no-such-$CID
	run --separate-stderr runtime delete --force "$id"
	assert_eq "$status" 0 "$stderr"
	run --separate-stderr runtime delete -f "$id"
	assert_eq "$status" 0 "$stderr"
	run --separate-stderr runtime delete "$id"
	assert_error "$id"
	assert_clean "$id"
}

@test "--log F --log-format json: an error is on stderr and a JSON line in F" {
	local log=$BATS_TEST_TMPDIR/log.json id=no-such-$CID
	run --separate-stderr runtime --log "$log" --log-format json pause "$id"
	assert_error "$id"
	[ "$status" -ne 0 ]
	[ -n "$stderr" ] || fail "nothing on stderr"
	[ -s "$log" ] || fail "nothing in $log"
	local line
	line=$(grep '"error"' "$log" | tail -n1)
	# runc's message does not name the container ("container does not exist").
	is_strait || id=
	jq -e --arg id "$id" '.level == "error" and (.msg | contains($id)) and
		(.time | type == "string" and length > 0)' <<<"$line" >/dev/null ||
		fail "log: $(cat "$log")"
	# Every line of the file is a JSON object.
	while read -r line; do
		jq -e 'type == "object"' <<<"$line" >/dev/null || fail "not JSON: $line"
	done <"$log"
	# The log is appended to, not truncated.
	run --separate-stderr runtime --log "$log" --log-format json kill "$id" 9
	[ "$status" -ne 0 ]
	[ "$(grep -c '"error"' "$log")" -ge 2 ] || fail "not appended: $(cat "$log")"
	# An exec refused because the container is paused, as the shim would see it.
	start_sleeping
	runtime pause "$CID"
	run --separate-stderr runtime --log "$log" --log-format json exec "$CID" /bin/true
	assert_error paused
	tail -n1 "$log" | jq -e '.level == "error" and (.msg | test("paused"))' >/dev/null ||
		fail "log: $(cat "$log")"
}

@test "global options in --flag=value form: --root=, --log=, --log-format=" {
	local root=$BATS_TEST_TMPDIR/eqroot log=$BATS_TEST_TMPDIR/eq.log
	# teardown cleans up $ROOT.
	ROOT=$root
	set_args /bin/probe sleep
	runq env STRAIT_TEST_MARK="$MARK" "$RUNTIME" --root="$root" --log="$log" --log-format=json \
		run -d --bundle="$BUNDLE" --pid-file="$BATS_TEST_TMPDIR/eq.pid" "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	[ -d "$root/$CID" ] || fail "state not under --root=$root"
	[ -s "$BATS_TEST_TMPDIR/eq.pid" ]
	run --separate-stderr "$RUNTIME" --root="$root" state "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$(jq -r .status <<<"$output")" running
	run --separate-stderr "$RUNTIME" --root="$root" --log="$log" --log-format=json \
		state "no-such-$CID"
	[ "$status" -ne 0 ]
	local needle=no-such-$CID
	is_strait || needle=exist
	grep '"error"' "$log" | tail -n1 | jq -e --arg id "$needle" \
		'.level == "error" and (.msg | contains($id))' >/dev/null || fail "log: $(cat "$log")"
	run --separate-stderr "$RUNTIME" --root="$root" delete --force "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	[ ! -e "$root/$CID" ]
	assert_clean
}
