#!/usr/bin/env bats
# cgroups: linux.cgroupsPath and resources for memory (limit, reservation, swap), pids,
# cpu (shares, quota, period, cpus, mems) and blockIO weight, read back from the
# cgroup files on the host; the process is in its cgroup before the workload runs;
# delete removes the cgroup. v1 controllers on this hybrid host, and the v2 (unified)
# hierarchy as far as its mount allows.

load helpers

# cg_file CONTROLLER FILE: the path of a cgroup v1 file of this container.
cg_file() {
	echo "/sys/fs/cgroup/$1/strait-test/$CID/$2"
}

# start_sleeping: runs the container detached, waiting.
start_sleeping() {
	set_args /bin/probe sleep
	run_detached_ok
	wait_status "$CID" running
}

@test "memory: limit, reservation and swap" {
	requires cgroup_v1
	update_config '.linux.resources.memory = {limit: 67108864, reservation: 33554432, swap: 134217728}'
	start_sleeping
	assert_eq "$(cat "$(cg_file memory memory.limit_in_bytes)")" 67108864
	assert_eq "$(cat "$(cg_file memory memory.soft_limit_in_bytes)")" 33554432
	if [ -e "$(cg_file memory memory.memsw.limit_in_bytes)" ]; then
		assert_eq "$(cat "$(cg_file memory memory.memsw.limit_in_bytes)")" 134217728
	fi
}

@test "memory: the limit is enforced" {
	requires cgroup_v1
	update_config '.linux.resources.memory = {limit: 16777216, swap: 16777216}'
	set_args /bin/probe alloc 64
	run --separate-stderr rrun
	assert_not_contains "$output" allocated=
	# Killed by the OOM killer: 128 + SIGKILL.
	assert_eq "$status" 137
}

@test "pids: limit" {
	requires cgroup_v1
	update_config '.linux.resources.pids = {limit: 10}'
	start_sleeping
	assert_eq "$(cat "$(cg_file pids pids.max)")" 10
}

@test "pids: the limit is enforced" {
	requires cgroup_v1
	update_config '.linux.resources.pids = {limit: 5}'
	set_args /bin/probe forks 8
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "forked=4 error=EAGAIN"
}

@test "cpu: shares, quota and period" {
	requires cgroup_v1
	update_config '.linux.resources.cpu = {shares: 512, quota: 50000, period: 100000}'
	start_sleeping
	assert_eq "$(cat "$(cg_file cpu cpu.shares)")" 512
	assert_eq "$(cat "$(cg_file cpu cpu.cfs_quota_us)")" 50000
	assert_eq "$(cat "$(cg_file cpu cpu.cfs_period_us)")" 100000
}

@test "cpuset: cpus and mems, and the process is bound to them" {
	requires cgroup_v1
	update_config '.linux.resources.cpu = {cpus: "0", mems: "0"}'
	set_args /bin/sh -c 'grep Cpus_allowed_list /proc/self/status; sleep 30'
	run_detached_ok
	wait_status "$CID" running
	assert_eq "$(cat "$(cg_file cpuset cpuset.cpus)")" 0
	assert_eq "$(cat "$(cg_file cpuset cpuset.mems)")" 0
	wait_file "$CTR_OUT"
	assert_eq "$(tr -d ' \t' <"$CTR_OUT")" "Cpus_allowed_list:0"
}

@test "blockIO weight" {
	requires cgroup_v1
	update_config '.linux.resources.blockIO = {weight: 500}'
	if ! host_blkio_weight; then
		# No CFQ/BFQ: the weight cannot hold, so create refuses it and leaves nothing.
		set_args /bin/probe sleep
		# runq: were it created, the container would hold a pipe open
		runq rcreate
		assert_error "linux.resources.blockIO.weight" "blkio.bfq.weight"
		assert_clean
		return
	fi
	start_sleeping
	local f
	f=$(cg_file blkio blkio.weight)
	[ -e "$f" ] || f=$(cg_file blkio blkio.bfq.weight)
	grep -qE '(^| )500$' "$f" || fail "$f: $(cat "$f")"
}

@test "the process is in its cgroups before the workload runs" {
	requires cgroup_v1
	set_args /bin/probe sleep
	create_ok
	local pid c
	pid=$(state_field "$CID" pid)
	for c in memory pids cpu cpuset blkio devices freezer; do
		grep -qE ":$c(,[^:]*)?:/strait-test/$CID\$|:[^:]*,$c:/strait-test/$CID\$" /proc/$pid/cgroup ||
			fail "created: not in $c: $(cat /proc/$pid/cgroup)"
		grep -qx "$pid" "$(cg_file $c cgroup.procs)" || fail "created: $pid not in $c cgroup.procs"
	done
}

@test "the workload reads its own cgroup from the inside" {
	requires cgroup_v1
	# Without a cgroup namespace the container sees the host's paths.
	update_config '.linux.namespaces -= [{type: "cgroup"}]'
	set_args cat /proc/self/cgroup
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	grep -qE ":memory:/strait-test/$CID\$" <<<"$output" || fail "$output"
	grep -qE ":pids:/strait-test/$CID\$" <<<"$output" || fail "$output"
}

@test "delete removes the cgroup" {
	requires cgroup_v1
	start_sleeping
	[ -d "/sys/fs/cgroup/memory/strait-test/$CID" ]
	runtime delete --force "$CID"
	local c
	for c in /sys/fs/cgroup/*/; do
		[ ! -d "$c/strait-test/$CID" ] || fail "left: $c/strait-test/$CID"
	done
}

@test "run removes the cgroup when the container exits" {
	set_args /bin/true
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	[ -z "$(find /sys/fs/cgroup -type d -name "$CID")" ] || fail "$(find /sys/fs/cgroup -type d -name "$CID")"
}

@test "no cgroupsPath: the default is /strait/<id>" {
	requires cgroup_v1
	strait_only "runc names the default cgroup differently"
	update_config 'del(.linux.cgroupsPath)'
	start_sleeping
	[ -d "/sys/fs/cgroup/memory/strait/$CID" ] || fail "no /sys/fs/cgroup/memory/strait/$CID"
	runtime delete --force "$CID"
	[ ! -d "/sys/fs/cgroup/memory/strait/$CID" ]
	# /strait is the runtime's own, as its state root: once a container existed, it stays
	local h n
	for h in /sys/fs/cgroup/*/; do
		[ -d "$h/strait" ] || fail "$h/strait went away with the container"
	done
}

@test "no cgroupsPath: a failed create removes the /strait parent it made" {
	requires cgroup_v1
	strait_only "runc names the default cgroup differently"
	# the parent exists only while a container uses it; none does now (tests run one by one)
	rmdir /sys/fs/cgroup/*/strait 2>/dev/null || true
	[ -z "$(ls -d /sys/fs/cgroup/*/strait 2>/dev/null)" ] || fail "a container still uses /strait"
	# a swap limit below the memory limit fails once the directories exist
	update_config 'del(.linux.cgroupsPath) | .linux.resources.memory = {"limit": 33554432, "swap": 16777216}'
	runq rcreate
	[ "$status" -ne 0 ] || fail "create succeeded"
	assert_error "config.json: linux.resources.memory.swap: 16777216 is below memory.limit 33554432"
	assert_eq "$(ls -d /sys/fs/cgroup/*/strait 2>/dev/null)" ""
	assert_clean
}

@test "a nested cgroupsPath creates every level" {
	requires cgroup_v1
	update_config '.linux.cgroupsPath = "/strait-test/" + $id + "/a/b"' --arg id "$CID"
	start_sleeping
	local pid
	pid=$(state_field "$CID" pid)
	grep -qx "$pid" "/sys/fs/cgroup/pids/strait-test/$CID/a/b/cgroup.procs"
	runtime delete --force "$CID"
	[ ! -d "/sys/fs/cgroup/pids/strait-test/$CID/a/b" ]
	rmdir "/sys/fs/cgroup"/*/"strait-test/$CID/a" "/sys/fs/cgroup"/*/"strait-test/$CID" 2>/dev/null || true
}

@test "cgroup v2: the process is in the unified hierarchy too" {
	requires cgroup_v2
	local u
	u=$(cgroup2_mount)
	start_sleeping
	local pid
	pid=$(state_field "$CID" pid)
	grep -qx "0::/strait-test/$CID" /proc/$pid/cgroup || fail "$(cat /proc/$pid/cgroup)"
	grep -qx "$pid" "$u/strait-test/$CID/cgroup.procs"
	runtime delete --force "$CID"
	[ ! -d "$u/strait-test/$CID" ]
}

@test "cgroup v2: resources on a pure v2 host" {
	requires cgroup_v2_only
	update_config '.linux.resources.memory = {limit: 67108864} | .linux.resources.pids = {limit: 10} |
		.linux.resources.cpu = {quota: 50000, period: 100000, shares: 1024}'
	start_sleeping
	local d=/sys/fs/cgroup/strait-test/$CID
	assert_eq "$(cat "$d/memory.max")" 67108864
	assert_eq "$(cat "$d/pids.max")" 10
	assert_eq "$(cat "$d/cpu.max")" "50000 100000"
}

@test "cgroup v2 alone (emulated: cgroup2 over /sys/fs/cgroup in a private mount namespace)" {
	requires cgroup_v1
	requires cgroup_v2
	# This host is hybrid; the v2-only code path (one hierarchy, the parents' delegation
	# before the clone, CLONE_INTO_CGROUP, the device rules as an eBPF program) runs
	# where /sys/fs/cgroup is cgroup2 alone, as on most hosts now. The controllers stay
	# bound to the host's v1 hierarchies, so the resources themselves are not exercised.
	local u
	u=$(cgroup2_mount)
	set_args /bin/probe sleep
	run --separate-stderr env T="$BATS_TEST_TMPDIR" RT="$RUNTIME --root $ROOT" BUNDLE="$BUNDLE" \
		CID="$CID" STRAIT_TEST_MARK=$MARK unshare -m --propagation private bash -c '
		umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup || exit 90
		$RT create --bundle "$BUNDLE" "$CID" </dev/null >/dev/null 2>"$T/create.err" || exit 1
		pid=$($RT state "$CID" | jq -r .pid)
		cat /proc/$pid/cgroup >"$T/cgroup"
		[ -d "/sys/fs/cgroup/strait-test/$CID" ] || exit 2
		$RT start "$CID" 2>"$T/start.err" || exit 3
		$RT delete --force "$CID" 2>"$T/delete.err" || exit 4
		[ ! -e "/sys/fs/cgroup/strait-test/$CID" ] || exit 5' 3>&-
	[ "$status" = 0 ] || fail "status $status: $(cat "$BATS_TEST_TMPDIR"/*.err 2>/dev/null)"
	assert_eq "$(cat "$BATS_TEST_TMPDIR/create.err" "$BATS_TEST_TMPDIR/start.err" \
		"$BATS_TEST_TMPDIR/delete.err")" ""
	grep -qx "0::/strait-test/$CID" "$BATS_TEST_TMPDIR/cgroup" || fail "$(cat "$BATS_TEST_TMPDIR/cgroup")"
	[ ! -e "$u/strait-test/$CID" ] || fail "left in the cgroup2 hierarchy"
	assert_clean
}

@test "cgroup v2 alone (emulated): a resource is written after the clone; a bad one leaves nothing" {
	requires cgroup_v1
	requires cgroup_v2
	# hugetlb is the one controller this host leaves to cgroup2 (no v1 hierarchy has it)
	! v1_mounted hugetlb || skip "hugetlb is bound to a v1 hierarchy"
	[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "no 2 MB huge pages"
	set_args /bin/probe sleep
	update_config '.linux.resources.hugepageLimits = [{pageSize: "2MB", limit: 4194304}]'
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/good.json"
	update_config '.linux.resources.hugepageLimits = [{pageSize: "3MB", limit: 4194304}]'
	cp "$BUNDLE/config.json" "$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr env T="$BATS_TEST_TMPDIR" RT="$RUNTIME --root $ROOT" BUNDLE="$BUNDLE" \
		CID="$CID" STRAIT_TEST_MARK=$MARK unshare -m --propagation private bash -c '
		umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup || exit 90
		grep -qw hugetlb /sys/fs/cgroup/cgroup.controllers || exit 91
		d=/sys/fs/cgroup/strait-test/$CID
		cp "$T/good.json" "$BUNDLE/config.json"
		$RT create --bundle "$BUNDLE" "$CID" </dev/null >/dev/null 2>"$T/create.err" || exit 1
		cat "$d/hugetlb.2MB.max" >"$T/max" || exit 2
		$RT delete --force "$CID" || exit 3
		cp "$T/bad.json" "$BUNDLE/config.json"
		$RT create --bundle "$BUNDLE" "$CID" </dev/null >/dev/null 2>"$T/bad.err" && exit 4
		[ ! -e "$d" ] || exit 5' 3>&-
	[ "$status" != 91 ] || skip "hugetlb is not a cgroup2 controller here"
	[ "$status" = 0 ] || fail "status $status: $(cat "$BATS_TEST_TMPDIR"/*.err 2>/dev/null)"
	assert_eq "$(cat "$BATS_TEST_TMPDIR/max")" 4194304
	if is_strait; then
		assert_eq "$(grep -c '' "$BATS_TEST_TMPDIR/bad.err")" 1
		assert_contains "$(cat "$BATS_TEST_TMPDIR/bad.err")" "linux.resources.hugepageLimits" 3MB
	fi
	assert_clean
}

@test "a resource that cannot be applied fails create and leaves nothing" {
	requires cgroup_v1
	# A cpuset outside the machine.
	update_config '.linux.resources.cpu = {cpus: "4096"}'
	runq rcreate
	assert_error "config.json: linux.resources.cpu.cpus: " 4096
	assert_clean
}

@test "a v1 cgroup that cannot be made fails create after the clone and leaves nothing" {
	strait_only "runc fails with several lines and leaves the levels it made (docs/differences.md)"
	requires cgroup_v1
	requires cgroup_v2
	# "tasks" is a file in every v1 cgroup and not in cgroup2: the cgroup2 directory,
	# made before the clone, succeeds; the v1 ones, made while the container process
	# sets itself up, fail. Everything made on the way (the levels above) must go.
	update_config '.linux.cgroupsPath = "/strait-test/" + $id + "/tasks"' --arg id "$CID"
	runq rcreate
	assert_error "config.json: linux.cgroupsPath: \"/strait-test/$CID/tasks\": create /sys/fs/cgroup/" \
		"/strait-test/$CID/tasks: Not a directory"
	assert_clean
	runq rrun
	assert_error "linux.cgroupsPath"
	assert_clean
}

# ---- limits this host may not hold: refused with the field, never dropped ----

# v1_mounted CONTROLLER: true when a v1 hierarchy carries it.
v1_mounted() {
	awk -v c="$1" '$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) f = 1 } END { exit !f }' /proc/self/mountinfo
}

# refused_or_applied CONTROLLER FIELD FILE VALUE: creates $CID; without the controller
# create must fail naming FIELD and the controller and leave nothing; with it, FILE
# of the container's cgroup holds VALUE.
refused_or_applied() {
	requires cgroup_v1
	set_args /bin/probe sleep
	if ! v1_mounted "$1"; then
		runq rcreate
		assert_error "linux.resources.$2" "the $1 cgroup controller is not mounted"
		assert_clean
		return
	fi
	create_ok
	grep -qF -- "$4" "$(cg_file "$1" "$3")" || fail "$3: $(cat "$(cg_file "$1" "$3")")"
}

@test "hugepageLimits: applied, or refused when hugetlb is not mounted" {
	update_config '.linux.resources.hugepageLimits = [{pageSize: "2MB", limit: 4194304}]'
	refused_or_applied hugetlb hugepageLimits hugetlb.2MB.limit_in_bytes 4194304
}

@test "network.classID: applied, or refused when net_cls is not mounted" {
	update_config '.linux.resources.network = {classID: 1048577}'
	refused_or_applied net_cls network.classID net_cls.classid 1048577
}

@test "network.priorities: applied, or refused when net_prio is not mounted" {
	update_config '.linux.resources.network = {priorities: [{name: "lo", priority: 5}]}'
	refused_or_applied net_prio network.priorities net_prio.ifpriomap "lo 5"
}

@test "rdma: applied, or refused when the rdma controller is not mounted" {
	update_config '.linux.resources.rdma = {"mlx5_1": {hcaHandles: 3}}'
	refused_or_applied rdma rdma 'rdma.max' 'mlx5_1'
}

@test "an unset or zero field of a missing controller is not an error" {
	requires cgroup_v1
	update_config '.linux.resources.hugepageLimits = [] | .linux.resources.network = {classID: 0, priorities: []} |
		.linux.resources.rdma = {} | .linux.resources.blockIO = {weight: 0}'
	set_args /bin/true
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

# real_block_dev: MAJOR:MINOR of a disk of this machine (not loop, ram or zram).
real_block_dev() {
	local d
	for d in /sys/block/*; do
		case ${d##*/} in loop* | ram* | zram*) continue ;; esac
		cat "$d/dev"
		return 0
	done
	return 1
}

@test "blockIO throttles: read/write bps and iops written per device" {
	requires cgroup_v1
	local dev
	dev=$(real_block_dev) || skip "no disk"
	local maj=${dev%:*} min=${dev#*:}
	update_config '.linux.resources.blockIO = {
		throttleReadBpsDevice: [{major: $maj, minor: $min, rate: 1048576}],
		throttleWriteBpsDevice: [{major: $maj, minor: $min, rate: 2097152}],
		throttleReadIOPSDevice: [{major: $maj, minor: $min, rate: 300}],
		throttleWriteIOPSDevice: [{major: $maj, minor: $min, rate: 200}]}' \
		--argjson maj "$maj" --argjson min "$min"
	start_sleeping
	assert_eq "$(cat "$(cg_file blkio blkio.throttle.read_bps_device)")" "$dev 1048576"
	assert_eq "$(cat "$(cg_file blkio blkio.throttle.write_bps_device)")" "$dev 2097152"
	assert_eq "$(cat "$(cg_file blkio blkio.throttle.read_iops_device)")" "$dev 300"
	assert_eq "$(cat "$(cg_file blkio blkio.throttle.write_iops_device)")" "$dev 200"
}

@test "blockIO throttle on a device that does not exist: refused, naming the field" {
	requires cgroup_v1
	update_config '.linux.resources.blockIO = {throttleReadBpsDevice: [{major: 4095, minor: 4095, rate: 1}]}'
	set_args /bin/probe sleep
	runq rcreate
	assert_error "linux.resources.blockIO.throttleReadBpsDevice[0]" "4095:4095 1"
	assert_clean
}

@test "update with a hugepage limit this host cannot hold changes nothing" {
	requires cgroup_v1
	strait_only "runc update reads no hugepageLimits from --resources and applies the rest"
	v1_mounted hugetlb && skip "hugetlb is mounted here"
	update_config '.linux.resources.pids = {limit: 30}'
	start_sleeping
	echo '{"pids": {"limit": 12}, "hugepageLimits": [{"pageSize": "2MB", "limit": 0}]}' >"$BATS_TEST_TMPDIR/r.json"
	run --separate-stderr runtime update --resources "$BATS_TEST_TMPDIR/r.json" "$CID"
	assert_error "linux.resources.hugepageLimits" "hugetlb"
	assert_eq "$(cat "$(cg_file pids pids.max)")" 30
}

@test "features: the cgroup controllers listed are exactly those mounted, rdma only with rdma" {
	strait_only "runc 1.1.5 has no features command"
	requires cgroup_v1
	run --separate-stderr runtime features
	[ "$status" -eq 0 ] || fail "$stderr"
	validate_json features-schema.json - <<<"$output"
	local want got
	want=$(awk '$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++) print o[i] }' /proc/self/mountinfo |
		grep -Ev '^(name=|rw$|ro$|relatime$|nosuid$|nodev$|noexec$)' | sort -u | tr '\n' ' ')
	got=$(jq -r '.annotations["org.strait.cgroup.controllers"]' <<<"$output")
	assert_eq "$got " "$want"
	if v1_mounted rdma; then
		assert_eq "$(jq -r .linux.cgroup.rdma <<<"$output")" true
	else
		assert_eq "$(jq -r .linux.cgroup.rdma <<<"$output")" false
	fi
}

@test "the process joins its cgroups itself: no pid is written to cgroup.procs by run or exec" {
	strait_only "runc writes the pid to cgroup.procs from the runtime"
	command -v strace >/dev/null || skip "needs strace"
	requires cgroup_v1
	# A pid written to cgroup.procs waits for an RCU grace period (about 10 ms on this
	# kind of host); the process moves itself instead ("0" to each v1 tasks file,
	# CLONE_INTO_CGROUP for cgroup2). Traced: writes and clones of run, then of exec.
	local tr=$BATS_TEST_TMPDIR/trace
	set_args /bin/true
	STRAIT_TEST_MARK=$MARK timeout 20 strace -f -qq -e trace=write,clone3 -e signal=none \
		-o "$tr" "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$CID" \
		</dev/null >"$tr.out" 2>&1 3>&- || fail "run under strace failed: $(cat "$tr.out")"
	set_args /bin/probe sleep
	run_detached_ok
	wait_status "$CID" running
	# seen from the host, every hierarchy holds the container's process
	local pid
	pid=$(state_field "$CID" pid)
	assert_eq "$(grep -c ":/strait-test/$CID\$" "/proc/$pid/cgroup")" "$(grep -c '' "/proc/$pid/cgroup")"
	STRAIT_TEST_MARK=$MARK timeout 20 strace -f -qq -e trace=write,clone3 -e signal=none \
		-o "$tr.exec" "$RUNTIME" --root "$ROOT" exec "$CID" /bin/true </dev/null >/dev/null 2>&1 3>&- ||
		fail "exec under strace failed"
	local f v1
	v1=$(ls -d /sys/fs/cgroup/*/strait-test/"$CID" | grep -vc /unified/)
	for f in "$tr" "$tr.exec"; do
		grep -q 'CLONE_INTO_CGROUP' "$f" || fail "no CLONE_INTO_CGROUP: $(cat "$f")"
		[ "$(grep -c 'write([0-9]*, "0", 1) *= 1' "$f")" -ge "$v1" ] ||
			fail "fewer self-joins than the $v1 v1 hierarchies: $(grep write "$f")"
		! grep -qE 'write\([0-9]+, "[1-9][0-9]*", [0-9]+\)' "$f" || fail "a pid written: $(grep write "$f")"
	done
}
