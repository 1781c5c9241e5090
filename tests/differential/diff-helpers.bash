# Differential testing: the same bundle and the same command line under runc (Debian's
# 1.1.5, the reference) and under strait, compared on what a client can observe: exit
# code, stdout, stderr (empty on success), state JSON, what the container sees, and
# what is left behind. Each runtime gets its own state root and its own copy of one
# bundle, made by `runc spec` (terminal off, the test rootfs).
#
# dual CMD ARGS...: runs `<runtime> --root ROOT CMD ARGS...` for both, with the string
# @ID replaced by each runtime's container ID and @BUNDLE by its bundle. Sets
# R_STATUS R_OUT R_ERR (runc) and S_STATUS S_OUT S_ERR (strait). Output goes to files,
# so a container holding stdout open never blocks the test.


DIFF_RUNC=$(command -v runc || true)
DIFF_STRAIT=${STRAIT:-$TOP/build/strait}

diff_setup() {
	[ -n "$DIFF_RUNC" ] || skip "needs runc"
	common_setup
	RUNC_ID=r$CID S_ID=s$CID
	EXTRA_IDS=("$RUNC_ID" "$S_ID")
	RUNC_ROOT=$BATS_TEST_TMPDIR/runc-root
	RUNC_BUNDLE=$BATS_TEST_TMPDIR/runc-bundle
	mkdir -p "$RUNC_ROOT"
	(cd "$BUNDLE" && rm -f config.json && runc spec) || fail "runc spec"
	# The marker lets teardown find leftovers of either runtime.
	update_config '.process.terminal = false | .process.args = ["/bin/true"] |
		.process.env += [("STRAIT_TEST_MARK=" + $m)]' --arg m "$MARK"
	cp -a "$BUNDLE" "$RUNC_BUNDLE"
}

diff_teardown() {
	[ -n "${RUNC_ROOT:-}" ] || return 0
	"$DIFF_RUNC" --root "$RUNC_ROOT" delete -f "$RUNC_ID" >/dev/null 2>&1 || true
	"$DIFF_STRAIT" --root "$ROOT" delete -f "$S_ID" >/dev/null 2>&1 || true
	common_teardown
}

# dual_config JQ [ARGS...]: edits both bundles' config.json the same way.
dual_config() {
	update_config "$@"
	cp "$BUNDLE/config.json" "$RUNC_BUNDLE/config.json"
}

# dual_args ARG...: process.args of both bundles.
dual_args() {
	set_args "$@"
	cp "$BUNDLE/config.json" "$RUNC_BUNDLE/config.json"
}

_dual_one() {
	local who=$1 rt root id bundle a args=()
	shift
	if [ "$who" = R ]; then rt=$DIFF_RUNC root=$RUNC_ROOT id=$RUNC_ID bundle=$RUNC_BUNDLE
	else rt=$DIFF_STRAIT root=$ROOT id=$S_ID bundle=$BUNDLE; fi
	for a in "$@"; do
		a=${a//@ID/$id}
		args+=("${a//@BUNDLE/$bundle}")
	done
	local out=$BATS_TEST_TMPDIR/$who.$DUAL_N.out err=$BATS_TEST_TMPDIR/$who.$DUAL_N.err st
	(cd "$BATS_TEST_TMPDIR" && STRAIT_TEST_MARK=$MARK timeout -k 5 60 "$rt" --root "$root" "${args[@]}" \
		<"${DUAL_STDIN:-/dev/null}" >"$out" 2>"$err") && st=0 || st=$?
	eval "${who}_STATUS=\$st"
	eval "${who}_OUT=\$(cat \"\$out\")"
	eval "${who}_ERR=\$(cat \"\$err\")"
	eval "${who}_OUT_FILE=\$out"
}

DUAL_N=0
dual() {
	DUAL_N=$((DUAL_N + 1))
	_dual_one R "$@"
	_dual_one S "$@"
}

# show: both results, for failure messages.
show() {
	printf 'runc:   status %s\n  stdout: %s\n  stderr: %s\nstrait: status %s\n  stdout: %s\n  stderr: %s\n' \
		"$R_STATUS" "$R_OUT" "$R_ERR" "$S_STATUS" "$S_OUT" "$S_ERR"
}

# same_status / same_stdout / quiet: the usual comparisons.
same_status() { [ "$R_STATUS" = "$S_STATUS" ] || fail "exit codes differ: $(show)"; }
same_stdout() { [ "$R_OUT" = "$S_OUT" ] || fail "stdout differs: $(show)"; }
quiet() { [ -z "$R_ERR" ] && [ -z "$S_ERR" ] || fail "stderr not empty: $(show)"; }
# same_result: the same exit code and stdout, and stderr empty for both on success.
same_result() {
	same_status
	same_stdout
	[ "$R_STATUS" != 0 ] || quiet
}
both_fail() {
	[ "$R_STATUS" != 0 ] && [ "$S_STATUS" != 0 ] || fail "expected both to fail: $(show)"
}

# dual_state: R_STATE / S_STATE, the state JSON of each container.
dual_state() {
	R_STATE=$("$DIFF_RUNC" --root "$RUNC_ROOT" state "$RUNC_ID" 2>/dev/null) || R_STATE=
	S_STATE=$("$DIFF_STRAIT" --root "$ROOT" state "$S_ID" 2>/dev/null) || S_STATE=
}

# dual_wait_stopped: waits until both containers are stopped.
dual_wait_stopped() {
	local n=100
	while [ $n -gt 0 ]; do
		dual_state
		[ "$(jq -r .status <<<"$R_STATE")" = stopped ] &&
			[ "$(jq -r .status <<<"$S_STATE")" = stopped ] && return 0
		sleep 0.05
		n=$((n - 1))
	done
	fail "not both stopped: runc $R_STATE strait $S_STATE"
}

# cg_dir_of CONTROLLER ID: the v1 cgroup directory of a container, wherever the runtime
# put it (runc and strait name the default path differently).
cg_dir_of() {
	find "/sys/fs/cgroup/$1" -type d -name "$2" 2>/dev/null | head -n 1
}
