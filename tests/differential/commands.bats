#!/usr/bin/env bats
# Differential: every command of the CLI under runc and strait, on a bundle made by
# `runc spec`, compared on exit code, stdout, stderr and state (diff-helpers.bash).
# A deliberate difference is pinned here and listed in docs/differences.md.

load ../integration/helpers
load diff-helpers

setup() { diff_setup; }
teardown() { diff_teardown; }

# ---- run ----

@test "run /bin/true: exit 0, nothing on stdout or stderr" {
	dual run --bundle @BUNDLE @ID
	same_result
	[ "$S_STATUS" = 0 ] || fail "$(show)"
}

@test "run: the process's exit code, and 128+N when it is killed by a signal" {
	dual_args /bin/sh -c 'exit 7'
	dual run --bundle @BUNDLE @ID
	same_result
	assert_eq "$S_STATUS" 7
	# pid 1 cannot be killed from inside: /bin/probe kill in a child does it
	dual_args /bin/sh -c '/bin/probe kill 9; exit $?'
	dual run --bundle @BUNDLE @ID
	same_result
	assert_eq "$S_STATUS" 137
}

@test "run: stdout and stderr of the process pass through" {
	dual_args /bin/sh -c 'echo out; echo err >&2'
	dual run --bundle @BUNDLE @ID
	same_status
	same_stdout
	assert_eq "$S_OUT" out
	assert_eq "$S_ERR" err
	assert_eq "$R_ERR" err
}

@test "run: what the container sees in /proc/self/status is the same" {
	dual_args /bin/sh -c 'grep -E "^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):" /proc/self/status'
	dual run --bundle @BUNDLE @ID
	same_result
}

@test "run: hostname, cwd, environment, rlimits and umask are the same" {
	dual_args /bin/sh -c 'hostname; pwd; env | grep -v STRAIT_TEST_MARK | sort; ulimit -n; umask'
	dual run --bundle @BUNDLE @ID
	same_result
}

@test "run: the mount points the container sees are the same" {
	dual_args /bin/sh -c 'awk "{print \$5}" /proc/self/mountinfo | sort'
	dual run --bundle @BUNDLE @ID
	same_result
}

@test "run: the namespaces are new ones (pid 1 inside)" {
	dual_args /bin/sh -c 'echo $$'
	dual run --bundle @BUNDLE @ID
	same_result
	assert_eq "$S_OUT" 1
}

@test "run of a missing executable: both fail, with the same exit code" {
	dual_args /no/such/binary
	dual run --bundle @BUNDLE @ID
	both_fail
	same_status
	assert_contains "$S_ERR" "/no/such/binary"
}

# ---- create, start, state, kill, delete ----

@test "create / state / start / kill / delete: the same states and exit codes" {
	dual_args /bin/sleep 100
	dual create --bundle @BUNDLE @ID
	same_result
	dual_state
	assert_eq "$(jq -r .status <<<"$S_STATE")" "$(jq -r .status <<<"$R_STATE")"
	assert_eq "$(jq -r .status <<<"$S_STATE")" created
	dual start @ID
	same_result
	dual_state
	assert_eq "$(jq -r .status <<<"$S_STATE")" running
	assert_eq "$(jq -r .status <<<"$R_STATE")" running
	dual kill @ID 0
	same_result
	dual delete @ID
	both_fail
	same_status
	dual kill @ID KILL
	same_result
	dual_wait_stopped
	dual delete @ID
	same_result
	dual state @ID
	both_fail
	same_status
}

@test "state: the same keys, and the config's annotations exactly" {
	dual_config '.annotations = {"com.example.a": "1"}'
	dual_args /bin/sleep 100
	dual create --bundle @BUNDLE @ID
	same_result
	dual state @ID
	same_status
	assert_eq "$(jq -c 'keys' <<<"$S_OUT")" "$(jq -c 'keys' <<<"$R_OUT")"
	assert_eq "$(jq -c .annotations <<<"$S_OUT")" '{"com.example.a":"1"}'
	assert_eq "$(jq -c .annotations <<<"$R_OUT")" '{"com.example.a":"1"}'
	assert_eq "$(jq -r .bundle <<<"$S_OUT")" "$BUNDLE"
}

@test "kill: signal names and numbers as runc takes them" {
	dual_args /bin/sleep 100
	local sig
	for sig in KILL SIGKILL 9; do
		dual run -d --bundle @BUNDLE @ID
		same_result
		dual kill @ID "$sig"
		same_result
		dual_wait_stopped
		dual delete @ID
		same_result
	done
	dual kill no-such-container TERM
	both_fail
	same_status
}

@test "delete --force of a running container" {
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual delete --force @ID
	same_result
	dual state @ID
	both_fail
}

# ---- exec ----

@test "exec: output and exit code; a runtime failure exits 255" {
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual exec @ID /bin/sh -c 'echo in; exit 3'
	same_result
	assert_eq "$S_STATUS" 3
	dual exec @ID /no/such/binary
	both_fail
	same_status
	assert_eq "$S_STATUS" 255
	dual exec no-such-container /bin/true
	both_fail
	same_status
}

@test "exec --process from a pipe" {
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	jq '.process | .args = ["/bin/sh", "-c", "echo from-process"]' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/p.json"
	DUAL_STDIN=$BATS_TEST_TMPDIR/p.json dual exec --process /dev/stdin @ID
	same_result
	assert_eq "$S_OUT" from-process
}

# ---- pause, resume, ps, list, update ----

@test "pause / resume / ps / list" {
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual pause @ID
	same_result
	dual_state
	assert_eq "$(jq -r .status <<<"$S_STATE")" paused
	assert_eq "$(jq -r .status <<<"$R_STATE")" paused
	dual resume @ID
	same_result
	dual ps @ID
	same_status
	assert_eq "$(head -1 <<<"$S_OUT" | awk '{print $1, $2}')" "$(head -1 <<<"$R_OUT" | awk '{print $1, $2}')"
	dual ps --format json @ID
	same_status
	assert_eq "$(jq length <<<"$S_OUT")" "$(jq length <<<"$R_OUT")"
	dual list -q
	same_status
	assert_has_line "$S_OUT" "$S_ID"
	assert_has_line "$R_OUT" "$RUNC_ID"
	dual list --format json
	same_status
	assert_eq "$(jq -c '.[0] | keys' <<<"$S_OUT")" "$(jq -c '.[0] | keys' <<<"$R_OUT")"
}

@test "update: pids and cpuset flags as runc takes them" {
	requires cgroup_v1
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual update --pids-limit 20 --cpuset-cpus 0 @ID
	same_result
}

# ---- console socket, version, help, spec ----

@test "--console-socket with terminal false is refused" {
	dual create --console-socket "$BATS_TEST_TMPDIR/no.sock" --bundle @BUNDLE @ID
	both_fail
	same_status
	assert_contains "$S_ERR" "console"
}

@test "version and help succeed, quietly" {
	dual --version
	same_status
	quiet
	dual --help
	same_status
	quiet
}

# spec_norm FILE: the config without what differs on purpose (docs/differences.md):
# ociVersion, the hostname, the powercap mask and the cgroup namespace.
spec_norm() {
	jq -S 'del(.ociVersion, .hostname) |
		.linux.maskedPaths -= ["/sys/devices/virtual/powercap"] |
		.linux.namespaces -= [{type: "cgroup"}]' "$1"
}

@test "spec and spec --rootless: the same config as runc spec writes" {
	local d=$BATS_TEST_TMPDIR/spec flags
	for flags in "" "--rootless"; do
		rm -rf "$d" && mkdir -p "$d/r" "$d/s"
		(cd "$d/r" && runc spec $flags) || fail "runc spec $flags"
		(cd "$d/s" && "$DIFF_STRAIT" spec $flags) || fail "strait spec $flags"
		local r s
		r=$(spec_norm "$d/r/config.json")
		s=$(spec_norm "$d/s/config.json")
		[ "$r" = "$s" ] || fail "spec $flags differs: $(diff <(echo "$r") <(echo "$s"))"
		assert_eq "$(jq -r .hostname "$d/s/config.json")" strait
	done
	# --bundle / -b DIR, and never over an existing config.json
	rm -rf "$d" && mkdir -p "$d/$RUNC_ID" "$d/$S_ID"
	dual spec --bundle "$d/@ID"
	same_result
	[ -s "$d/$S_ID/config.json" ] && [ -s "$d/$RUNC_ID/config.json" ] || fail "no config.json"
	dual spec -b "$d/@ID"
	both_fail
	dual spec -b "$d/no/such/@ID"
	both_fail
}

@test "exec into a created container, then start" {
	dual_args /bin/sleep 100
	dual create --bundle @BUNDLE @ID
	same_result
	dual exec @ID /bin/sh -c 'echo in-created'
	same_result
	assert_eq "$S_OUT" in-created
	dual_state
	assert_eq "$(jq -r .status <<<"$S_STATE")" created
	assert_eq "$(jq -r .status <<<"$R_STATE")" created
	dual start @ID
	same_result
}

@test "exec -d --pid-file, and the pid file of create" {
	dual_args /bin/sleep 100
	dual create --pid-file "$BATS_TEST_TMPDIR/@ID.pid" --bundle @BUNDLE @ID
	same_result
	dual_state
	assert_eq "$(cat "$BATS_TEST_TMPDIR/$S_ID.pid")" "$(jq -r .pid <<<"$S_STATE")"
	assert_eq "$(cat "$BATS_TEST_TMPDIR/$RUNC_ID.pid")" "$(jq -r .pid <<<"$R_STATE")"
	dual start @ID
	same_result
	dual exec -d --pid-file "$BATS_TEST_TMPDIR/@ID.exec.pid" @ID /bin/sleep 50
	same_result
	local p
	for p in "$S_ID" "$RUNC_ID"; do
		kill -0 "$(cat "$BATS_TEST_TMPDIR/$p.exec.pid")" || fail "$p: exec pid not alive"
	done
}

@test "update: every resource flag of runc's, and bad values refused by both" {
	requires cgroup_v1
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual update --memory 64M --memory-reservation 32M --cpu-share 512 --cpu-quota 50000 \
		--cpu-period 100000 --cpuset-cpus 0 --cpuset-mems 0 --pids-limit 20 @ID
	same_result
	local f c
	for f in memory/memory.limit_in_bytes memory/memory.soft_limit_in_bytes cpu/cpu.shares \
		cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us pids/pids.max cpuset/cpuset.cpus; do
		c=${f%%/*}
		assert_eq "$(cat "$(cg_dir_of "$c" "$S_ID")/${f#*/}")" "$(cat "$(cg_dir_of "$c" "$RUNC_ID")/${f#*/}")" "$f"
	done
	assert_eq "$(cat "$(cg_dir_of pids "$S_ID")/pids.max")" 20
	echo '{"pids": {"limit": 30}}' >"$BATS_TEST_TMPDIR/r.json"
	DUAL_STDIN=$BATS_TEST_TMPDIR/r.json dual update -r - @ID
	same_result
	assert_eq "$(cat "$(cg_dir_of pids "$S_ID")/pids.max")" 30
	dual update --pids-limit many @ID
	both_fail
	dual update --cpu-quota 1x @ID
	both_fail
	# real-time scheduling: this kernel has no CONFIG_RT_GROUP_SCHED, then both refuse
	if [ ! -e /sys/fs/cgroup/cpu/cpu.rt_runtime_us ]; then
		dual update --cpu-rt-period 1000000 --cpu-rt-runtime 950 @ID
		both_fail
	fi
}

@test "--version: runc's lines, in runc's order (name version, commit, spec, toolchain, libseccomp)" {
	dual --version
	same_status
	quiet
	assert_eq "$(sed 's/:.*//; s/ .*//' <<<"$S_OUT" | sed 's/^c$/go/; s/^strait$/runc/' | tr '\n' ' ')" \
		"$(sed 's/:.*//; s/ .*//' <<<"$R_OUT" | tr '\n' ' ')"
	assert_eq "$(sed -n 's/^libseccomp: //p' <<<"$S_OUT")" "$(sed -n 's/^libseccomp: //p' <<<"$R_OUT")"
	assert_eq "$(head -1 <<<"$S_OUT" | cut -d' ' -f2)" version
}

@test "--help lists the commands runc has (that strait implements), and the global options" {
	dual --help
	same_status
	local c
	for c in create delete events exec kill list pause ps resume run spec start state update features; do
		grep -qE "^ +$c +" <<<"$S_OUT" || fail "strait --help lacks $c"
	done
	for c in --root --log --log-format --debug --systemd-cgroup; do
		assert_contains "$S_OUT" -- "$c"
		assert_contains "$R_OUT" -- "$c"
	done
}

@test "--debug: stderr holds only runc-shaped level=debug lines, for both" {
	dual --debug run --bundle @BUNDLE @ID
	same_status
	local who err
	for who in R S; do
		eval "err=\$${who}_ERR"
		[ -n "$err" ] || fail "$who: --debug printed nothing"
		if grep -vE '^time="[^"]+" level=debug msg=".*"( [a-z]+=.*)?$' <<<"$err" | grep -q .; then
			fail "$who: a line not in runc's debug shape: $err"
		fi
	done
}

# hooks_config: host-side hooks of every kind that record their cwd and environment in
# $BATS_TEST_TMPDIR/<container id>.<kind>, the id read from the state on stdin.
hooks_config() {
	local k script
	for k in prestart createRuntime poststart poststop; do
		script="id=\$(sed 's/.*\"id\": *\"\\([^\"]*\\)\".*/\\1/'); { pwd; env | sort; } >$BATS_TEST_TMPDIR/\$id.$k"
		dual_config ".hooks.$k = [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \$s], env: [\"HOOK=$k\"]}]" --arg s "$script"
	done
}

@test "hooks: the same working directory and environment as runc gives them" {
	hooks_config
	dual run --bundle @BUNDLE @ID
	same_result
	local k s r
	for k in prestart createRuntime poststart poststop; do
		[ -e "$BATS_TEST_TMPDIR/$S_ID.$k" ] || fail "strait: no $k record"
		[ -e "$BATS_TEST_TMPDIR/$RUNC_ID.$k" ] || fail "runc: no $k record"
		s=$(sed "s|$BUNDLE|BUNDLE|g" "$BATS_TEST_TMPDIR/$S_ID.$k")
		r=$(sed "s|$RUNC_BUNDLE|BUNDLE|g" "$BATS_TEST_TMPDIR/$RUNC_ID.$k")
		[ "$s" = "$r" ] || fail "$k differs: $(diff <(echo "$r") <(echo "$s"))"
	done
}

@test "mounts: a read-only /dev still gets its submounts and device nodes, read-only after them" {
	dual_config '.mounts |= map(if .destination == "/dev" then .options += ["ro"] else . end)'
	dual_args /bin/sh -c 'awk "\$5 ~ /^\/dev/ {print \$5, substr(\$6, 1, 2)}" /proc/self/mountinfo | sort; ls /dev/null /dev/zero /dev/pts/ptmx >/dev/null && echo nodes; touch /dev/x 2>/dev/null || echo dev-ro'
	dual run --bundle @BUNDLE @ID
	same_result
	assert_has_line "$S_OUT" "/dev ro"
	assert_has_line "$S_OUT" nodes
	assert_has_line "$S_OUT" dev-ro
}

@test "poststart runs after the workload's execve and before start returns, for both" {
	# the hook records the init's /proc/PID/cmdline (PID from the state on stdin):
	# the workload's when it has exec'd, the runtime's before
	local script='pid=$(sed "s/.*\"pid\": *\([0-9]*\).*/\1/"); tr "\0" " " </proc/$pid/cmdline >'"$BATS_TEST_TMPDIR"'/poststart.$pid'
	dual_config '.hooks.poststart = [{path: "/bin/sh", args: ["sh", "-c", $s]}]' --arg s "$script"
	dual_args /bin/sleep 100
	dual create --bundle @BUNDLE @ID
	same_result
	dual start @ID
	same_result
	# start has returned: both records exist already
	dual_state
	local who pid
	for who in R S; do
		eval "pid=\$(jq -r .pid <<<\"\$${who}_STATE\")"
		[ -e "$BATS_TEST_TMPDIR/poststart.$pid" ] || fail "$who: no poststart record when start returned"
	done
	# strait: after execve, always. runc 1.1.5 runs poststart while its init is still
	# "runc init" (a deliberate difference, docs/differences.md).
	pid=$(jq -r .pid <<<"$S_STATE")
	assert_eq "$(cat "$BATS_TEST_TMPDIR/poststart.$pid")" "/bin/sleep 100 "
}

@test "exec --cgroup: into an existing sub-cgroup, per controller or for all (v1)" {
	requires cgroup_v1
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	local id c d
	for id in "$S_ID" "$RUNC_ID"; do
		mkdir "$(cg_dir_of pids "$id")/sub"
	done
	dual exec --cgroup pids:sub @ID /bin/sh -c 'grep -E ":pids:" /proc/self/cgroup'
	same_status
	quiet
	# the default cgroup paths differ on purpose: compare below them
	assert_eq "${S_OUT##*/}" sub
	assert_eq "${R_OUT##*/}" sub
	dual exec --cgroup pids:nosuch @ID /bin/true
	both_fail
	same_status
	dual exec --cgroup sub @ID /bin/true
	both_fail
	for id in "$S_ID" "$RUNC_ID"; do
		for c in /sys/fs/cgroup/*/; do
			d=$(cg_dir_of "$(basename "$c")" "$id")
			[ -n "$d" ] || continue
			mkdir -p "$d/sub"
			# a new v1 cpuset is empty, and takes no task until it has cpus and mems
			if [ -e "$d/cpuset.cpus" ]; then
				cat "$d/cpuset.cpus" >"$d/sub/cpuset.cpus"
				cat "$d/cpuset.mems" >"$d/sub/cpuset.mems"
			fi
		done
	done
	dual exec --cgroup sub @ID /bin/sh -c 'grep -E ":(pids|memory|cpuset):" /proc/self/cgroup | sed "s|.*/||" | sort -u'
	same_result
	assert_eq "$S_OUT" sub
	# the sub-cgroups go away with the container (runc and strait remove them)
	for id in "$S_ID" "$RUNC_ID"; do
		for c in /sys/fs/cgroup/*/; do
			d=$(cg_dir_of "$(basename "$c")" "$id")
			[ -z "$d" ] || rmdir "$d/sub" 2>/dev/null || true
		done
	done
}

@test "user namespace: a bind source the mapped root cannot reach still works (opened by the runtime)" {
	requires userns
	userns_access
	local priv=$BATS_TEST_TMPDIR/private
	mkdir -p "$priv/data" && chmod 700 "$priv" && echo reached >"$priv/data/f"
	chown -R 100000:100000 "$BUNDLE/rootfs" "$RUNC_BUNDLE/rootfs"
	dual_config '.linux.namespaces += [{type: "user"}] |
		.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}] |
		.linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}] |
		.mounts |= map(select(.destination != "/sys/fs/cgroup")) |
		.mounts += [{destination: "/mnt", type: "bind", source: $s, options: ["rbind", "ro"]}]' \
		--arg s "$priv/data"
	dual_args /bin/sh -c 'cat /mnt/f; touch /mnt/g 2>/dev/null || echo ro'
	dual run --bundle @BUNDLE @ID
	same_result
	assert_eq "$S_OUT" "reached
ro"
}

@test "--no-pivot: a nested user namespace cannot mount a fresh, unmasked /proc" {
	requires userns
	# A new proc in a nested user namespace is allowed only while a fully visible one
	# exists in the mount namespace; after MS_MOVE + chroot the host's /proc would
	# still be there, under the chroot. CAP_SETFCAP lets the container map its root.
	dual_config '.root.readonly = false |
		.process.capabilities |= with_entries(.value += ["CAP_SETFCAP"])'
	dual_args /bin/sh -c 'mkdir -p /p; unshare -U -r -m -p -f mount -t proc proc /p 2>/dev/null && echo mounted || echo refused'
	for flag in --no-pivot ""; do
		dual run $flag --bundle @BUNDLE @ID
		same_result
		assert_eq "$S_OUT" refused
	done
	# the mount points the container sees are those of a pivoted root
	dual_args /bin/sh -c 'awk "{print \$5}" /proc/self/mountinfo | sort'
	dual run --bundle @BUNDLE @ID
	local pivoted=$S_OUT
	dual run --no-pivot --bundle @BUNDLE @ID
	same_result
	assert_eq "$S_OUT" "$pivoted"
}

# stats_shape: the leaf paths of an events object (array indices as []), without the
# keys runc leaves out when zero (they come and go with the workload's timing) and
# without the blkio lists (present once the cgroup did I/O).
stats_shape() {
	jq -c '[paths(scalars) as $p | {p: ($p | map(if type == "number" then "[]" else . end) | join(".")), v: getpath($p)}]
		| map(select(.v != 0 or (.p | test("(total|cache|usage|max|current|limit|periods|throttledPeriods|throttledTime)$") | not)))
		| map(.p | select(test("^data\\.blkio\\.") | not)) | unique'
}

@test "events --stats: the same keys, in the same order, as runc's" {
	requires cgroup_v1
	dual_args /bin/sh -c 'cat /bin/busybox >/dev/null; exec sleep 100'
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual events --stats @ID
	same_status
	quiet
	assert_eq "$(grep -c '' <<<"$S_OUT")" 1
	assert_eq "$(stats_shape <<<"$S_OUT")" "$(stats_shape <<<"$R_OUT")"
	local order='[.type, .id, (.data | keys_unsorted), (.data.cpu.usage | keys_unsorted | map(select(. != "total"))),
		(.data.memory | keys_unsorted | map(select(. != "cache"))), (.data.cpuset | keys_unsorted)]'
	assert_eq "$(jq -c "$order" <<<"$S_OUT")" "$(jq -c "$order" <<<"$R_OUT" | sed "s/$RUNC_ID/$S_ID/")"
	# keys runc leaves out when zero are never printed as 0
	jq -e '[paths(scalars) as $p | select(getpath($p) == 0) | $p | map(tostring) | join(".")
		| select(test("(usage\\.total|throttling\\..*|memory\\.cache|memory\\.[A-Za-z]+\\.(usage|max)|pids\\..*|blkio\\..*|hugetlb\\.[^.]+\\.usage)$"))]
		| length == 0' <<<"$S_OUT" >/dev/null || fail "zero values runc omits: $S_OUT"
	# the same memory.stat keys, sorted; the blkio entries in the same shape
	assert_eq "$(jq -c '.data.memory.raw | keys_unsorted' <<<"$S_OUT")" "$(jq -c '.data.memory.raw | keys' <<<"$R_OUT")"
	assert_eq "$(jq -c '.data.cpuset.cpus, .data.cpuset.mems' <<<"$S_OUT")" \
		"$(jq -c '.data.cpuset.cpus, .data.cpuset.mems' <<<"$R_OUT")"
	assert_eq "$(jq -c '[.data.blkio[]?[] | keys_unsorted] | unique' <<<"$S_OUT")" \
		"$(jq -c '[.data.blkio[]?[] | keys_unsorted] | unique' <<<"$R_OUT")"
	# limits set by update read back the same
	dual update --memory 64M --pids-limit 20 @ID
	same_result
	dual events --stats @ID
	same_status
	quiet
	local lim='[.data.memory.usage.limit, .data.pids.limit, .data.pids.current]'
	assert_eq "$(jq -c "$lim" <<<"$S_OUT")" "$(jq -c "$lim" <<<"$R_OUT")"
	# a stopped container: both fail
	dual kill @ID KILL
	dual_wait_stopped
	dual events --stats @ID
	both_fail
}

@test "events --interval: the first line after one interval, then one per interval" {
	requires cgroup_v1
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	# both at once, for the same 2 s (a stopped container is a listed difference:
	# runc keeps printing, strait ends the stream)
	local r=$BATS_TEST_TMPDIR/r.events s=$BATS_TEST_TMPDIR/s.events rs ss
	timeout 2 "$DIFF_RUNC" --root "$RUNC_ROOT" events --interval 300ms "$RUNC_ID" >"$r" 2>&1 </dev/null 3>&- &
	local rp=$!
	timeout 2 "$DIFF_STRAIT" --root "$ROOT" events --interval 300ms "$S_ID" >"$s" 2>&1 </dev/null 3>&- &
	local sp=$!
	wait $rp && rs=0 || rs=$?
	wait $sp && ss=0 || ss=$?
	assert_eq "$ss" "$rs" "exit status (124: still streaming at the timeout)"
	local rn sn
	rn=$(grep -c '"type":"stats"' "$r") sn=$(grep -c '"type":"stats"' "$s")
	[ "$(grep -vc '"type":"stats"' "$s")" = 0 ] || fail "not only stats lines: $(cat "$s")"
	[ "$rn" -ge 4 ] && [ $((sn - rn)) -le 1 ] && [ $((rn - sn)) -le 1 ] ||
		fail "stats lines in 2 s: runc $rn, strait $sn"
	# a bad interval: both refuse
	dual events --interval nonsense @ID
	both_fail
}

@test "ps: the table, json, ps options, and errors as runc has them" {
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual ps @ID
	same_status
	quiet
	assert_eq "$(head -1 <<<"$S_OUT")" "$(head -1 <<<"$R_OUT")"
	assert_eq "$(sed 1d <<<"$S_OUT" | awk '{print $1, $3, $8, $9}')" "$(sed 1d <<<"$R_OUT" | awk '{print $1, $3, $8, $9}')"
	dual ps -f table @ID -o pid,ppid,comm
	same_status
	assert_eq "$(head -1 <<<"$S_OUT")" "$(head -1 <<<"$R_OUT")"
	assert_eq "$(awk '{print $3}' <<<"$S_OUT")" "$(awk '{print $3}' <<<"$R_OUT")"
	dual ps --format json @ID
	same_status
	quiet
	assert_eq "$(jq -c 'map(type)' <<<"$S_OUT")" "$(jq -c 'map(type)' <<<"$R_OUT")"
	# ps options without a PID column: both refuse (runc: "couldn't find PID field")
	dual ps @ID -o comm
	both_fail
	# ps itself fails: both fail, each with a single line on stderr
	dual ps @ID --no-such-ps-option
	both_fail
	assert_eq "$(grep -c '' <<<"$S_ERR")" 1 "one line: $S_ERR"
	dual ps -f xml @ID
	both_fail
	dual ps no-such-container
	both_fail
}

# both_rt CMD: runs CMD with bash for each runtime (RT set to "<runtime> --root ROOT",
# ID to the container's, B to its bundle), with fds 3 and 4 opened on files of the test's: R_* and S_*
# as dual sets them.
both_rt() {
	local who rt id b
	for who in R S; do
		if [ $who = R ]; then rt="$DIFF_RUNC --root $RUNC_ROOT" id=$RUNC_ID b=$RUNC_BUNDLE
		else rt="$DIFF_STRAIT --root $ROOT" id=$S_ID b=$BUNDLE; fi
		echo three >"$BATS_TEST_TMPDIR/fd3" && echo four >"$BATS_TEST_TMPDIR/fd4"
		local out=$BATS_TEST_TMPDIR/$who.both.out err=$BATS_TEST_TMPDIR/$who.both.err st
		RT=$rt ID=$id B=$b timeout -k 5 60 bash -c "$1" 3<"$BATS_TEST_TMPDIR/fd3" 4<"$BATS_TEST_TMPDIR/fd4" \
			</dev/null >"$out" 2>"$err" && st=0 || st=$?
		eval "${who}_STATUS=\$st ${who}_OUT=\$(cat \"\$out\") ${who}_ERR=\$(cat \"\$err\")"
	done
}

@test "exec --preserve-fds N: fds 3..N+2 reach the process, the rest do not, as with runc" {
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	both_rt '$RT exec --preserve-fds 1 $ID /bin/sh -c "cat <&3; ls /proc/self/fd | sort -n | tr \"\n\" \" \""'
	same_result
	assert_eq "$S_OUT" "three
0 1 2 3 4 "
	both_rt '$RT exec --preserve-fds 2 $ID /bin/sh -c "cat <&4"'
	same_result
	assert_eq "$S_OUT" four
	both_rt '$RT exec $ID /bin/sh -c "cat <&3"'
	same_status
	[ "$S_STATUS" != 0 ] || fail "fd 3 passed without --preserve-fds: $(show)"
	both_rt '$RT exec --preserve-fds nope $ID /bin/true'
	both_fail
}

@test "run --preserve-fds: the fds reach the container's process too" {
	dual_args /bin/sh -c 'cat <&3; cat <&4'
	both_rt '$RT run --preserve-fds 2 --bundle $B $ID'
	same_result
	assert_eq "$S_OUT" "three
four"
	both_rt '$RT run --bundle $B $ID'
	same_status
	[ "$S_STATUS" != 0 ] || fail "fd 3 passed without --preserve-fds: $(show)"
}

@test "errors clients match are in runc's words: a symlinked /proc, a missing seccomp listener" {
	rm -rf "$BUNDLE/rootfs/proc" "$RUNC_BUNDLE/rootfs/proc"
	ln -s /tmp "$BUNDLE/rootfs/proc"
	ln -s /tmp "$RUNC_BUNDLE/rootfs/proc"
	dual run --bundle @BUNDLE @ID
	both_fail
	assert_contains "$R_ERR" 'filesystem \"proc\" must be mounted on ordinary directory'
	assert_contains "$S_ERR" 'filesystem "proc" must be mounted on ordinary directory'
	rm "$BUNDLE/rootfs/proc" "$RUNC_BUNDLE/rootfs/proc"
	mkdir "$BUNDLE/rootfs/proc" "$RUNC_BUNDLE/rootfs/proc"
	dual_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p,
		architectures: ["SCMP_ARCH_X86_64"], syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}' \
		--arg p "$BATS_TEST_TMPDIR/nobody.sock"
	dual run --bundle @BUNDLE @ID
	both_fail
	local words="failed to connect with seccomp agent specified in the seccomp profile: dial unix $BATS_TEST_TMPDIR/nobody.sock: connect"
	assert_contains "$R_ERR" "$words"
	assert_contains "$S_ERR" "$words"
	assert_eq "$(grep -c '' <<<"$S_ERR")" 1
}

@test "exec: -e, --cwd, -u, --additional-gids, --cap, --no-new-privs give the same process" {
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	local show='id; pwd; echo "$A"; grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Groups):" /proc/self/status'
	dual exec -e A=b -e A2=c --cwd /tmp @ID /bin/sh -c "$show"
	same_result
	dual exec --env A=b --cwd /tmp @ID /bin/sh -c "$show"
	same_result
	dual exec -u 1000:1000 -g 5 -g 7 @ID /bin/sh -c "$show"
	same_result
	dual exec -c CAP_NET_RAW -c CAP_SYS_TIME --no-new-privs @ID /bin/sh -c "$show"
	same_result
	dual exec --additional-gids 5 --additional-gids 7 --cap CAP_NET_RAW @ID /bin/sh -c "$show"
	same_result
	assert_contains "$S_OUT" "CapInh:	0000000000000000"
	dual exec -u 1000 @ID /bin/sh -c "$show"
	same_result
	# bad values: both fail as a runtime failure (255)
	dual exec -u nobody @ID /bin/true
	same_status
	assert_eq "$S_STATUS" 255
	dual exec --cwd /no/such/dir @ID /bin/true
	same_status
	assert_eq "$S_STATUS" 255
}

@test "exec --apparmor / --process-label without that LSM on the host: both fail (255)" {
	requires no_apparmor no_selinux
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual exec --apparmor some-profile @ID /bin/true
	same_status
	assert_eq "$S_STATUS" 255
	dual exec --process-label system_u:system_r:container_t:s0 @ID /bin/true
	same_status
	assert_eq "$S_STATUS" 255
}

@test "exec into a paused container: refused, and --ignore-paused lets it in" {
	requires cgroup_v1
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual pause @ID
	same_result
	dual exec @ID /bin/true
	both_fail
	same_status
	# with --ignore-paused the exec goes in, and completes once the container thaws
	local r=$BATS_TEST_TMPDIR/r.ign s=$BATS_TEST_TMPDIR/s.ign rs ss
	timeout 20 "$DIFF_RUNC" --root "$RUNC_ROOT" exec --ignore-paused "$RUNC_ID" /bin/echo in >"$r" 2>&1 </dev/null 3>&- &
	local rp=$!
	timeout 20 "$DIFF_STRAIT" --root "$ROOT" exec --ignore-paused "$S_ID" /bin/echo in >"$s" 2>&1 </dev/null 3>&- &
	local sp=$!
	sleep 0.5
	dual resume @ID
	same_result
	wait $rp && rs=0 || rs=$?
	wait $sp && ss=0 || ss=$?
	assert_eq "$ss:$(cat "$s")" "$rs:$(cat "$r")"
	assert_eq "$ss:$(cat "$s")" "0:in"
	dual exec -d @ID /bin/sleep 5
	same_result
	dual ps --format json @ID
	same_status
	assert_eq "$(jq length <<<"$S_OUT")" "$(jq length <<<"$R_OUT")"
	assert_eq "$(jq length <<<"$S_OUT")" 2
}

@test "kill --all, and kill of stopped, missing and bad-signal cases" {
	dual_args /bin/sh -c 'sleep 100 & exec sleep 100'
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual kill --all @ID KILL
	same_result
	dual_wait_stopped
	dual kill @ID TERM
	same_status
	dual kill --all @ID KILL
	same_status
	dual kill no-such-container
	same_status
	dual kill @ID NOSUCHSIGNAL
	both_fail
}

@test "delete: running without --force, created, stopped, missing, and --force of missing" {
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual delete @ID
	both_fail
	dual kill @ID KILL
	dual_wait_stopped
	dual delete @ID
	same_result
	dual delete @ID
	both_fail
	dual delete --force @ID
	same_result
	dual create --bundle @BUNDLE @ID
	same_result
	dual delete @ID
	same_result
	dual state @ID
	both_fail
	assert_clean
}

@test "run flags: -d/--detach, --pid-file, --keep, --no-new-keyring, --no-subreaper" {
	dual_args /bin/sleep 100
	dual run --detach --pid-file @BUNDLE/pid --bundle @BUNDLE @ID
	same_result
	[ "$(cat "$BUNDLE/pid")" -gt 1 ] && [ "$(cat "$RUNC_BUNDLE/pid")" -gt 1 ]
	dual kill @ID KILL
	dual_wait_stopped
	dual delete @ID
	dual_args /bin/sh -c 'exit 3'
	dual run --keep --bundle @BUNDLE @ID
	same_result
	assert_eq "$S_STATUS" 3
	dual_state
	assert_eq "$(jq -r .status <<<"$S_STATE")" stopped
	assert_eq "$(jq -r .status <<<"$R_STATE")" stopped
	dual delete @ID
	same_result
	dual_args /bin/true
	dual run --no-new-keyring --no-subreaper --bundle @BUNDLE @ID
	same_result
}

@test "global options: --log with text and json formats, --criu, --rootless, --systemd-cgroup" {
	dual --log @BUNDLE/log --log-format json state no-such-container
	both_fail
	local rl sl
	rl=$(cat "$RUNC_BUNDLE/log") sl=$(cat "$BUNDLE/log")
	assert_eq "$(jq -c 'keys_unsorted, .level' <<<"$sl")" "$(jq -c 'keys_unsorted, .level' <<<"$rl")"
	jq -e '.time | test("^[0-9-]+T[0-9:]+Z$")' <<<"$sl" >/dev/null || fail "time: $sl"
	rm "$BUNDLE/log" "$RUNC_BUNDLE/log"
	dual --log @BUNDLE/log state no-such-container
	both_fail
	rl=$(cat "$RUNC_BUNDLE/log") sl=$(cat "$BUNDLE/log")
	assert_eq "$(sed 's/msg=.*//; s/time="[^"]*"/time/' <<<"$sl")" "$(sed 's/msg=.*//; s/time="[^"]*"/time/' <<<"$rl")"
	# success writes nothing to the log at the default level
	rm "$BUNDLE/log" "$RUNC_BUNDLE/log"
	dual --log @BUNDLE/log --criu /usr/sbin/criu --rootless false run --bundle @BUNDLE @ID
	same_result
	[ ! -s "$BUNDLE/log" ] && [ ! -s "$RUNC_BUNDLE/log" ] || fail "log written on success"
	dual --systemd-cgroup run --bundle @BUNDLE @ID
	both_fail
}

@test "checkpoint and restore: both fail without CRIU (strait has none)" {
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	dual checkpoint @ID
	both_fail
	dual restore --bundle @BUNDLE @ID
	both_fail
	dual state @ID
	same_status
	assert_eq "$(jq -r .status <<<"$S_OUT")" running
}

@test "list: the table as runc prints it, and an empty list" {
	dual list
	same_result
	dual_args /bin/sleep 100
	dual create --bundle @BUNDLE @ID
	same_result
	dual list
	same_status
	# the same columns; ID, PID and STATUS as wide (the IDs have the same length; the
	# bundle paths do not)
	assert_eq "$(head -1 <<<"$S_OUT" | tr -s ' ')" "$(head -1 <<<"$R_OUT" | tr -s ' ')"
	assert_eq "$(head -1 <<<"$S_OUT" | cut -c1-36)" "$(head -1 <<<"$R_OUT" | cut -c1-36)"
	assert_eq "$(sed 1d <<<"$S_OUT" | awk '{print $3, $6}')" "$(sed 1d <<<"$R_OUT" | awk '{print $3, $6}')"
	dual list -f json
	same_status
	assert_eq "$(jq -c '.[0] | keys_unsorted' <<<"$S_OUT")" "$(jq -c '.[0] | keys_unsorted' <<<"$R_OUT")"
}

@test "start, state and create: the error cases both refuse" {
	dual start no-such-container
	both_fail
	dual state no-such-container
	both_fail
	dual_args /bin/sleep 100
	dual create --bundle @BUNDLE @ID
	same_result
	dual create --bundle @BUNDLE @ID
	both_fail
	dual start @ID
	same_result
	dual start @ID
	both_fail
	dual create --bundle @BUNDLE/no-such-dir x@ID
	both_fail
}

# recvtty WHO: starts the console socket receiver (@BUNDLE.sock) of runc's (R) or
# strait's (S) bundle;
# what the container writes on its terminal lands in $BATS_TEST_TMPDIR/WHO.tty.
recvtty() {
	local sock=$BUNDLE.sock
	[ "$1" = S ] || sock=$RUNC_BUNDLE.sock
	rm -f "$sock"
	python3 "$TESTS_DIR/differential/recvtty.py" "$sock" "$BATS_TEST_TMPDIR/$1.tty" 3>&- &
	eval "${1}_RECV=\$!"
	local n=0
	while [ ! -S "$sock" ] && [ $n -lt 100 ]; do sleep 0.02; n=$((n + 1)); done
}

@test "terminal: create --console-socket, start; exec -t -d --console-socket: the same terminal" {
	dual_config '.process.terminal = true'
	dual_args /bin/sh -c 'tty; test -t 0 && test -t 1 && test -t 2 && echo all-ttys; sleep 1'
	recvtty R
	recvtty S
	dual create --console-socket @BUNDLE.sock --bundle @BUNDLE @ID
	same_result
	dual start @ID
	same_result
	wait "$R_RECV" "$S_RECV"
	assert_eq "$(tr -d '\r' <"$BATS_TEST_TMPDIR/S.tty")" "$(tr -d '\r' <"$BATS_TEST_TMPDIR/R.tty")"
	assert_contains "$(cat "$BATS_TEST_TMPDIR/S.tty")" all-ttys /dev/pts/0
	dual_wait_stopped
	dual delete @ID
	# exec with a terminal into a running container
	dual_config '.process.terminal = false'
	dual_args /bin/sleep 100
	dual run -d --bundle @BUNDLE @ID
	same_result
	recvtty R
	recvtty S
	dual exec -t -d --console-socket @BUNDLE.sock @ID /bin/sh -c 'tty; test -t 0 && echo in-tty'
	same_result
	wait "$R_RECV" "$S_RECV"
	assert_eq "$(tr -d '\r' <"$BATS_TEST_TMPDIR/S.tty" | sed 's,/dev/pts/[0-9]*,PTS,')" \
		"$(tr -d '\r' <"$BATS_TEST_TMPDIR/R.tty" | sed 's,/dev/pts/[0-9]*,PTS,')"
	assert_contains "$(cat "$BATS_TEST_TMPDIR/S.tty")" in-tty
}
