#!/bin/bash
# The one test command: builds strait in build/ when needed (--enable-werror), runs the
# C unit tests (make check) and then every bats integration suite as root, and ends
# with one summary line "N passed, N failed, N skipped". Exits non-zero on any failure.
#   tests/run-all.sh                 everything
#   tests/run-all.sh FILE.bats...    unit tests + only these suites
# BUILD_DIR overrides the build directory; BATS_TEST_TIMEOUT (default 180 s) bounds
# each integration test.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$top/build}
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/strait-tests.XXXXXX")
passed=0 failed=0 skipped=0

summary() {
	echo
	echo "logs: $log_dir"
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
}

if [ "$(id -u)" != 0 ]; then
	echo "run-all.sh: the integration tests need root (try: sudo $0)" >&2
	failed=1
	summary
fi

# ---- build ----
if [ ! -f "$build/Makefile" ]; then
	echo "== configuring $build"
	if [ ! -x "$top/configure" ]; then
		(cd "$top" && autoreconf -fi) || { failed=1; summary; }
	fi
	mkdir -p "$build"
	(cd "$build" && "$top/configure" --enable-werror -q) || { failed=1; summary; }
fi
echo "== building"
if ! make -C "$build" -s -j"$(nproc)" >"$log_dir/build.log" 2>&1; then
	tail -n 40 "$log_dir/build.log"
	echo "build failed (full log: $log_dir/build.log)"
	failed=1
	summary
fi

# ---- unit tests ----
echo "== unit tests (make check)"
make -C "$build" -s -j"$(nproc)" check AM_COLOR_TESTS=no >"$log_dir/unit.log" 2>&1
unit_rc=$?
grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' "$log_dir/unit.log"
count() { sed -n "s/^# $1: *\([0-9]*\)\$/\1/p" "$log_dir/unit.log" | tail -n 1; }
u_pass=$(count PASS) u_fail=$(count FAIL) u_err=$(count ERROR) u_xpass=$(count XPASS)
u_skip=$(count SKIP) u_xfail=$(count XFAIL)
if [ -z "$u_pass" ]; then
	# No harness summary: the check build itself failed.
	tail -n 40 "$log_dir/unit.log"
	failed=$((failed + 1))
else
	passed=$((passed + u_pass + ${u_xfail:-0}))
	failed=$((failed + ${u_fail:-0} + ${u_err:-0} + ${u_xpass:-0}))
	skipped=$((skipped + ${u_skip:-0}))
	if [ $unit_rc -ne 0 ] && [ $((${u_fail:-0} + ${u_err:-0} + ${u_xpass:-0})) -eq 0 ]; then
		failed=$((failed + 1))
	fi
	for f in "$build"/tests/unit/*.log; do
		[ -f "$f" ] && grep -q '^not ok' "$f" && { echo "--- $f"; grep -E '^(not ok|#)' "$f"; }
	done
fi

# ---- integration tests ----
echo "== integration tests (bats)"
[ $# -gt 0 ] || set -- "$top/tests/integration" "$top/tests/differential"
export STRAIT=${STRAIT:-$build/strait}
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-180}
bats --formatter tap "$@" 2>&1 | tee "$log_dir/integration.tap"
b_pass=$(grep -cE '^ok [0-9]+' "$log_dir/integration.tap" | head -n 1)
b_skip=$(grep -cE '^ok [0-9]+ .* # skip' "$log_dir/integration.tap" | head -n 1)
b_fail=$(grep -cE '^not ok [0-9]+' "$log_dir/integration.tap" | head -n 1)
b_plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log_dir/integration.tap" | head -n 1)
passed=$((passed + b_pass - b_skip))
skipped=$((skipped + b_skip))
failed=$((failed + b_fail))
if [ -z "$b_plan" ] || [ $((b_pass + b_fail)) -ne "$b_plan" ]; then
	echo "bats did not finish its plan (${b_plan:-no plan}, $((b_pass + b_fail)) reported)"
	failed=$((failed + 1))
fi
summary
