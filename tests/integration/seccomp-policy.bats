#!/usr/bin/env bats
# The seccomp decision: privileged containers (Kubernetes semantics) under the three
# privileged-seccomp settings, the three seccomp-policy values, where operator
# settings come from (strait.conf, --config, STRAIT_CONFIG, global flags), and the
# record (`seccomp status`, `state` annotations, `features`). strait-only throughout.

load helpers
load seccomp-helpers

setup() {
	sc_setup
	strait_only "operator settings and the decision record are strait's"
}
teardown() { sc_teardown; }

# g ARGS...: the runtime with global options before the command, e.g.
# `g --seccomp-policy restricted create`; the command gets --bundle and $CID.
g() {
	local opts=()
	while [[ $1 == --* ]]; do
		opts+=("$1" "$2")
		shift 2
	done
	"$RUNTIME" --root "$ROOT" "${opts[@]}" "$1" --bundle "$BUNDLE" "${@:2}" "$CID" </dev/null
}

seccomp_line() {
	grep -E '^Seccomp:' <<<"$output" | cut -f2
}

# ---- privileged containers ----

@test "privileged: the profile is not applied (unconfined), one warning, recorded" {
	make_privileged
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/sh -c '/bin/sctest sys 24; grep ^Seccomp: /proc/self/status'
	create_ok
	assert_eq "$(warning_lines)" 1 "$stderr"
	assert_contains "$stderr" "privileged"
	local st
	st=$(sc_status)
	assert_eq "$(jq -r .mode <<<"$st")" unconfined-privileged
	assert_eq "$(jq -r .privileged <<<"$st")" true
	assert_eq "$(jq -r .source <<<"$st")" config
	assert_eq "$(jq -r .sha256 <<<"$st")" null
	assert_eq "$(jq -r .privilegedSeccomp <<<"$st")" unconfined
	assert_eq "$(runtime state "$CID" | jq -c '.annotations // {}')" '{}'
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" $'ret=0\nSeccomp:\t0'
}

@test "privileged: run behaves like create" {
	make_privileged
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	sc_run /bin/sctest sys 24
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" "ret=0"
	assert_eq "$(warning_lines)" 1 "$stderr"
}

@test "privileged: seccomp-policy=runtime-default does not confine it either" {
	make_privileged
	update_config 'del(.linux.seccomp)'
	echo "seccomp-policy = runtime-default" >"$SC_CONF"
	set_args /bin/sh -c 'grep ^Seccomp: /proc/self/status'
	create_ok
	assert_eq "$(sc_status | jq -r .mode)" unconfined-privileged
	assert_eq "$(sc_status | jq -r .privileged)" true
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" $'Seccomp:\t0'
}

@test "privileged: one capability short of all is not privileged: the profile applies" {
	update_config ".process.capabilities.bounding = ($(all_caps) - [\"CAP_CHECKPOINT_RESTORE\"])"
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/sctest sys 24
	create_ok
	assert_eq "$(warning_lines)" 0 "$stderr"
	assert_eq "$(sc_status | jq -r .mode)" enforce
	assert_eq "$(sc_status | jq -r .privileged)" false
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" "errno=1234"
}

@test "privileged: the runtime's own bounding set (without CAP_SYS_RESOURCE here) is privileged, rule recorded" {
	update_config '.process.capabilities.bounding = $c' --argjson c "$(own_caps_json)"
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/sh -c '/bin/sctest sys 24; grep ^Seccomp: /proc/self/status'
	create_ok
	local st
	st=$(sc_status)
	assert_eq "$(jq -r .mode <<<"$st")" unconfined-privileged
	assert_eq "$(jq -r .privileged <<<"$st")" true
	assert_contains "$(jq -r .privilegedRule <<<"$st")" \
		"holds every capability of the runtime's own bounding set (CapBnd $(awk '/^CapBnd:/ {print $2}' /proc/self/status))"
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" $'ret=0\nSeccomp:\t0'
}

@test "privileged: the runtime's own set less one capability is not privileged" {
	update_config '.process.capabilities.bounding = ($c - ["CAP_SYS_PTRACE"])' --argjson c "$(own_caps_json)"
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/sctest sys 24
	create_ok
	assert_eq "$(sc_status | jq -r .privileged)" false
	assert_eq "$(sc_status | jq -r .privilegedRule)" null
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" "errno=1234"
}

@test "privileged: exec into a privileged container is unconfined too" {
	update_config '.process.capabilities.bounding = $c' --argjson c "$(own_caps_json)"
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/probe sleep
	run_detached_ok
	wait_status "$CID" running
	run --separate-stderr runtime exec "$CID" /bin/sh -c '/bin/sctest sys 24; grep ^Seccomp: /proc/self/status'
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" $'ret=0\nSeccomp:\t0'
}

@test "privileged: privileged-seccomp=refuse fails create, nothing left (flag, file, env)" {
	make_privileged
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/sctest sys 24
	runq g --privileged-seccomp refuse create
	assert_error "privileged-seccomp=refuse" "privileged"
	assert_clean
	runq g --privileged-seccomp refuse run
	assert_error "privileged-seccomp=refuse"
	assert_clean
	# the same from strait.conf (STRAIT_CONFIG) ...
	echo "privileged-seccomp = refuse" >"$SC_CONF"
	runq g create
	assert_error "privileged-seccomp=refuse"
	assert_clean
	# ... and from --config
	local conf=$BATS_TEST_TMPDIR/other.conf
	printf '# operator settings\n\n  privileged-seccomp=refuse  \n' >"$conf"
	: >"$SC_CONF"
	runq g --config "$conf" create
	assert_error "privileged-seccomp=refuse"
	assert_clean
	# without a profile too: refuse is about the container, not its profile
	update_config 'del(.linux.seccomp)'
	runq g --privileged-seccomp refuse create
	assert_error "privileged-seccomp=refuse"
	assert_clean
}

@test "privileged: privileged-seccomp=audit runs the logging twin: nothing blocked, evidence kept" {
	make_privileged
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/sctest sys 24 -- sys "$(nr getpid)"
	local ev=$BATS_TEST_TMPDIR/evidence.json
	runq g --privileged-seccomp audit run --keep --seccomp-evidence "$ev"
	if [[ $stderr == *"observe mode"* ]]; then
		# a build without observe mode says so, and leaves nothing behind
		assert_error "privileged-seccomp=audit" "observe mode"
		assert_clean
		return 0
	fi
	[ "$status" = 0 ] || fail "status $status: $stderr"
	assert_eq "$output" $'ret=0\nret=1'
	assert_eq "$(warning_lines)" 1 "$stderr"
	assert_contains "$stderr" "audit"
	local st
	st=$(sc_status)
	assert_eq "$(jq -r .mode <<<"$st")" audit
	assert_eq "$(jq -r .privileged <<<"$st")" true
	assert_eq "$(jq -r .privilegedSeccomp <<<"$st")" audit
	# what enforcement would have done is in the evidence
	jq -e '.records[] | select(.syscall == "sched_yield" and .action == "SCMP_ACT_ERRNO"
		and .errnoRet == 1234)' "$ev" >/dev/null || fail "evidence: $(cat "$ev")"
	assert_eq "$(jq '[.records[] | select(.syscall == "getpid")] | length' "$ev")" 0
	runtime delete --force "$CID"
	# without a recorder to keep the evidence, create fails and leaves nothing
	runq g --privileged-seccomp audit create
	[ "$status" != 0 ] || fail "create succeeded without a recorder"
	assert_contains "$(tail -n 1 <<<"$stderr")" "strait: " "recorder"
	assert_clean
}

@test "privileged: settings do not touch non-privileged containers" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/sctest sys 24
	local s
	for s in refuse audit unconfined; do
		runq g --privileged-seccomp $s run
		[ "$status" = 0 ] || fail "$s: $stderr"
		assert_eq "$output" "errno=1234" "$s"
	done
}

@test "privileged: the container's annotations cannot weaken privileged-seccomp" {
	make_privileged
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	update_config '.annotations = {"org.strait.privileged-seccomp": "unconfined",
		"org.strait.seccomp.decision.privilegedSeccomp": "unconfined",
		"privileged-seccomp": "unconfined", "seccomp-policy": "permissive"}'
	echo "privileged-seccomp = refuse" >"$SC_CONF"
	set_args /bin/sctest sys 24
	runq g create
	assert_error "privileged-seccomp=refuse"
	assert_clean
}

# ---- seccomp-policy ----

@test "policy permissive (default): no linux.seccomp, no filter" {
	update_config 'del(.linux.seccomp)'
	set_args /bin/sh -c 'grep ^Seccomp: /proc/self/status'
	create_ok
	local st
	st=$(sc_status)
	assert_eq "$(jq -r .source <<<"$st")" none
	assert_eq "$(jq -r .mode <<<"$st")" unconfined
	assert_eq "$(jq -r .seccompPolicy <<<"$st")" permissive
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" $'Seccomp:\t0'
}

@test "policy runtime-default: a container without linux.seccomp gets the built-in profile" {
	update_config 'del(.linux.seccomp)'
	add_caps CAP_SYS_ADMIN
	set_args /bin/sh -c "grep ^Seccomp: /proc/self/status; /bin/sctest sys $(nr mount) 0 0 0 0 0 -- sys $(nr sched_yield)"
	runq g --seccomp-policy runtime-default create
	[ "$status" = 0 ] || fail "$stderr"
	CTR_OUT=$RUNQ_OUT
	local st
	st=$(sc_status)
	assert_eq "$(jq -r .source <<<"$st")" runtime-default
	assert_eq "$(jq -r .mode <<<"$st")" enforce
	assert_eq "$(jq -r .profileVersion <<<"$st")" \
		"$("$RUNTIME" features | jq -r '.annotations["org.strait.seccomp.defaultProfileVersion"]')"
	# the recorded hash is the hash of the profile `seccomp default` prints
	[[ $(jq -r .sha256 <<<"$st") =~ ^[0-9a-f]{64}$ ]] || fail "sha256: $st"
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" $'Seccomp:\t2\nerrno=1\nret=0'
}

@test "policy runtime-default: a container's own profile wins" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	echo "seccomp-policy = runtime-default" >"$SC_CONF"
	set_args /bin/sctest sys 24
	create_ok
	assert_eq "$(sc_status | jq -r .source)" config
	assert_eq "$(sc_status | jq -r .seccompPolicy)" runtime-default
	runtime start "$CID"
	wait_status "$CID" stopped
	assert_eq "$(cat "$CTR_OUT")" "errno=1234"
}

@test "policy restricted: refuses a container without a profile, nothing left" {
	update_config 'del(.linux.seccomp)'
	runq g --seccomp-policy restricted create
	assert_error "seccomp-policy=restricted" "linux.seccomp"
	assert_clean
	echo "seccomp-policy = restricted" >"$SC_CONF"
	runq g run
	assert_error "seccomp-policy=restricted"
	assert_clean
}

@test "policy restricted: a container with a profile runs under it" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/sctest sys 24
	runq g --seccomp-policy restricted run
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" "errno=1234"
}

@test "policy restricted: refuses any privileged container" {
	make_privileged
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	local s
	for s in unconfined refuse; do
		runq g --seccomp-policy restricted --privileged-seccomp $s create
		assert_error "seccomp-policy=restricted" "privileged"
		assert_clean
	done
}

@test "policy: the global flag overrides strait.conf" {
	update_config 'del(.linux.seccomp)'
	echo "seccomp-policy = restricted" >"$SC_CONF"
	set_args /bin/true
	runq g --seccomp-policy permissive run
	[ "$status" = 0 ] || fail "$stderr"
}

@test "config: bad values and keys name the file, line and value" {
	set_args /bin/true
	printf '# strait\nseccomp-policy = lenient\n' >"$SC_CONF"
	runq g run
	assert_error "$SC_CONF:2" "seccomp-policy" "lenient"
	assert_clean
	printf 'seccomp-polcy = restricted\n' >"$SC_CONF"
	runq g run
	assert_error "$SC_CONF:1" "seccomp-polcy"
	printf 'privileged-seccomp = maybe\n' >"$SC_CONF"
	runq g run
	assert_error "$SC_CONF:1" "privileged-seccomp" "maybe"
	printf 'seccomp-policy restricted\n' >"$SC_CONF"
	runq g run
	assert_error "$SC_CONF:1" "key = value"
	: >"$SC_CONF"
	runq g --seccomp-policy lenient run
	assert_error "--seccomp-policy" "lenient"
	runq g --privileged-seccomp maybe run
	assert_error "--privileged-seccomp" "maybe"
	assert_clean
}

@test "config: a --config or STRAIT_CONFIG file that does not exist is an error" {
	set_args /bin/true
	runq g --config "$BATS_TEST_TMPDIR/missing.conf" run
	assert_error "$BATS_TEST_TMPDIR/missing.conf"
	STRAIT_CONFIG=$BATS_TEST_TMPDIR/missing2.conf runq g run
	assert_error "$BATS_TEST_TMPDIR/missing2.conf"
	assert_clean
}

@test "config: --config wins over STRAIT_CONFIG" {
	update_config 'del(.linux.seccomp)'
	set_args /bin/true
	echo "seccomp-policy = restricted" >"$SC_CONF"
	echo "seccomp-policy = permissive" >"$BATS_TEST_TMPDIR/p.conf"
	runq g --config "$BATS_TEST_TMPDIR/p.conf" run
	[ "$status" = 0 ] || fail "$stderr"
}

# ---- the record ----

@test "record: seccomp status and state annotations agree; state validates" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)" '{"names":["strait_fake"],"action":"SCMP_ACT_ERRNO"}'
	set_args /bin/true
	create_ok
	local st key
	st=$(sc_status)
	for key in source mode privileged sha256 rules unknownSkipped cacheHit seccompPolicy \
		privilegedSeccomp libseccomp kernel; do
		jq -e --arg k "$key" 'has($k)' <<<"$st" >/dev/null || fail "status lacks $key: $st"
	done
	assert_eq "$(jq -r .libseccomp <<<"$st")" "$("$RUNTIME" --version | sed -n 's/^libseccomp: //p')"
	assert_eq "$(jq -r .libseccomp <<<"$st")" \
		"$("$RUNTIME" features | jq -r '.annotations["io.github.seccomp.libseccomp.version"]')"
	assert_eq "$(jq -r .kernel <<<"$st")" "$(uname -r)"
	assert_eq "$(jq -r .rules <<<"$st")" 1
	runtime state "$CID" >"$BATS_TEST_TMPDIR/state.json"
	validate_json state-schema.json "$BATS_TEST_TMPDIR/state.json" || fail "state does not validate"
	# not in the state's annotations (a client sees only its own), but in its own file
	assert_eq "$(jq -c '.annotations // {}' "$BATS_TEST_TMPDIR/state.json")" '{}'
	assert_eq "$(jq -S . "$ROOT/$CID/seccomp-decision.json")" "$(jq -S . <<<"$st")"
}

@test "record: a container's own annotations cannot forge the record, and stay as they were" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	update_config '.annotations = {"org.strait.seccomp.decision.mode": "unconfined",
		"org.strait.seccomp.decision.source": "none", "org.strait.seccomp.decision.sha256": "forged"}'
	set_args /bin/true
	create_ok
	runtime state "$CID" >"$BATS_TEST_TMPDIR/state.json"
	# the config's annotations, exactly (runc does the same)
	assert_eq "$(jq -c .annotations "$BATS_TEST_TMPDIR/state.json")" \
		'{"org.strait.seccomp.decision.mode":"unconfined","org.strait.seccomp.decision.source":"none","org.strait.seccomp.decision.sha256":"forged"}'
	assert_eq "$(sc_status | jq -r .mode)" enforce
	assert_not_contains "$(sc_status)" forged
	assert_eq "$(jq -r .mode "$ROOT/$CID/seccomp-decision.json")" enforce
}

@test "record: seccomp status of a container that does not exist" {
	runq runtime seccomp status nosuchcontainer
	assert_error "nosuchcontainer"
}

@test "features: the seccomp section" {
	local f
	f=$("$RUNTIME" features)
	validate_json features-schema.json <(echo "$f") || fail "features does not validate"
	assert_eq "$(jq -r .linux.seccomp.enabled <<<"$f")" true
	assert_eq "$(jq -c '.linux.seccomp.actions | sort' <<<"$f")" \
		'["SCMP_ACT_ALLOW","SCMP_ACT_ERRNO","SCMP_ACT_KILL","SCMP_ACT_KILL_PROCESS","SCMP_ACT_KILL_THREAD","SCMP_ACT_LOG","SCMP_ACT_NOTIFY","SCMP_ACT_TRACE","SCMP_ACT_TRAP"]'
	assert_eq "$(jq -c '.linux.seccomp.operators | sort' <<<"$f")" \
		'["SCMP_CMP_EQ","SCMP_CMP_GE","SCMP_CMP_GT","SCMP_CMP_LE","SCMP_CMP_LT","SCMP_CMP_MASKED_EQ","SCMP_CMP_NE"]'
	jq -e '.linux.seccomp.archs | index("SCMP_ARCH_X86_64") and index("SCMP_ARCH_X86") and
		index("SCMP_ARCH_X32")' <<<"$f" >/dev/null || fail "archs: $f"
	assert_eq "$(jq -c '.linux.seccomp.knownFlags | sort' <<<"$f")" \
		'["SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW","SECCOMP_FILTER_FLAG_TSYNC","SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]'
	# supported flags: a subset of the known ones
	assert_eq "$(jq -c '.linux.seccomp | .supportedFlags - .knownFlags' <<<"$f")" '[]'
	jq -e '.potentiallyUnsafeConfigAnnotations | index("run.oci.seccomp_fail_unknown_syscall")' \
		<<<"$f" >/dev/null || fail "potentiallyUnsafeConfigAnnotations: $f"
}
