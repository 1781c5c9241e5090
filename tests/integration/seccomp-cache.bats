#!/usr/bin/env bats
# The compiled-filter cache under <root>/@seccomp-cache: hits, keys (every field of
# the profile counts), corrupt entries (detected and rebuilt, never loaded) and
# concurrent starts of one new profile.

load helpers
load seccomp-helpers

setup() {
	sc_setup
	strait_only "the seccomp cache is strait's"
	CACHE=$ROOT/@seccomp-cache
}
teardown() { sc_teardown; }

# create_status: creates $CID, prints its record, deletes it.
create_status() {
	create_ok
	sc_status
	runtime delete --force "$CID" >/dev/null
}

entries() {
	find "$CACHE" -maxdepth 1 -type f -name '*.bpf' | sort
}

@test "cache: the second start of a profile is a cache hit" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/sctest sys 24
	assert_eq "$(create_status | jq -r .cacheHit)" false
	assert_eq "$(entries | wc -l)" 1
	assert_eq "$(stat -c %a "$CACHE")" 700
	assert_eq "$(create_status | jq -r .cacheHit)" true
	assert_eq "$(entries | wc -l)" 1
	# and the cached filter is the right one
	sc_run /bin/sctest sys 24 -- sys "$(nr getpid)"
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=1234\nret=1'
	assert_eq "$(warning_lines)" 0 "$stderr"
}

@test "cache: every field counts in the key" {
	set_args /bin/sctest sys 24
	local variants=(
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}'
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO", errnoRet: 2}]}'
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO"}]}'
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_TRAP"}]}'
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO", args: [{index: 0, value: 1, op: "SCMP_CMP_EQ"}]}]}'
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO", args: [{index: 0, value: 2, op: "SCMP_CMP_EQ"}]}]}'
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO", args: [{index: 0, value: 2, op: "SCMP_CMP_MASKED_EQ", valueTwo: 2}]}]}'
		'{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO", args: [{index: 1, value: 2, op: "SCMP_CMP_EQ"}]}]}'
		'{defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_X86"], syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO"}]}'
		'{defaultAction: "SCMP_ACT_ALLOW", flags: ["SECCOMP_FILTER_FLAG_LOG"], syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO"}]}'
		'{defaultAction: "SCMP_ACT_LOG", syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO"}]}'
	)
	local v i=0 sums=()
	for v in "${variants[@]}"; do
		set_profile "$v"
		local st
		st=$(create_status)
		assert_eq "$(jq -r .cacheHit <<<"$st")" false "variant $i is new: $v"
		sums+=("$(jq -r .sha256 <<<"$st")")
		i=$((i + 1))
		assert_eq "$(entries | wc -l)" $i
	done
	assert_eq "$(printf '%s\n' "${sums[@]}" | sort -u | wc -l)" ${#variants[@]} "distinct sha256"
	# and each is found again
	for v in "${variants[@]}"; do
		set_profile "$v"
		assert_eq "$(create_status | jq -r .cacheHit)" true "$v"
	done
}

@test "cache: key order and whitespace of config.json do not matter" {
	set_args /bin/sctest sys 24
	set_profile '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["sched_yield"], action: "SCMP_ACT_ERRNO", errnoRet: 3}]}'
	assert_eq "$(create_status | jq -r .cacheHit)" false
	set_profile '{syscalls: [{errnoRet: 3, action: "SCMP_ACT_ERRNO", names: ["sched_yield"]}], defaultAction: "SCMP_ACT_ALLOW"}'
	assert_eq "$(create_status | jq -r .cacheHit)" true
}

# corrupt_case HOW: damages the one cache entry (HOW is a shell command with $E the
# entry), then a run must work, warn once, and put the original entry back.
corrupt_case() {
	local e orig
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	sc_run /bin/sctest sys 24
	[ "$status" = 0 ] || fail "$stderr"
	e=$(entries)
	[ -n "$e" ] || fail "no cache entry"
	orig=$BATS_TEST_TMPDIR/orig.bpf
	cp "$e" "$orig"
	E=$e eval "$1"
	! cmp -s "$e" "$orig" || fail "the entry was not changed by: $1"
	sc_run /bin/sctest sys 24 -- sys "$(nr getpid)"
	[ "$status" = 0 ] || fail "$1: status $status: $stderr"
	assert_eq "$output" $'errno=1234\nret=1' "$1"
	assert_eq "$(warning_lines)" 1 "$1: $stderr"
	assert_contains "$stderr" "seccomp cache"
	cmp "$e" "$orig" || fail "$1: the entry was not rebuilt"
	assert_eq "$(entries | wc -l)" 1
	set_args /bin/true
	assert_eq "$(create_status | jq -r .cacheHit)" true
}

@test "cache: a truncated entry is rebuilt" {
	corrupt_case 'truncate -s 40 "$E"'
	corrupt_case 'truncate -s 0 "$E"'
	corrupt_case 'truncate -s -8 "$E"'
}

@test "cache: a flipped bit in the program is detected and rebuilt" {
	# the last bytes are the BPF program
	corrupt_case 'size=$(stat -c %s "$E"); b=$(od -An -tu1 -j $((size - 3)) -N1 "$E" | tr -d " ");
		printf "$(printf "\\\\%03o" $((b ^ 1)))" |
		dd of="$E" bs=1 seek=$((size - 3)) conv=notrunc status=none'
}

@test "cache: garbage, and a valid entry of another profile, are not loaded" {
	corrupt_case 'head -c 4096 /dev/urandom >"$E"'
	# the entry of another profile under this one's name
	local other=$BATS_TEST_TMPDIR/other
	mkdir -p "$other"
	allow_profile "$(rule sched_yield SCMP_ACT_ALLOW)" "$(rule getpid SCMP_ACT_ERRNO 1)"
	"$RUNTIME" --root "$other" run --bundle "$BUNDLE" "$CID-o" </dev/null >/dev/null 2>&1 ||
		fail "run in $other failed"
	OTHER_ENTRY=$(find "$other/@seccomp-cache" -name '*.bpf')
	[ -f "$OTHER_ENTRY" ] || fail "no entry in $other"
	corrupt_case 'cp "$OTHER_ENTRY" "$E"'
	rm -rf "$other"
}

@test "cache: an unusable cache directory is a warning, not a failure" {
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	: >"$CACHE" # a file where the directory should be
	sc_run /bin/sctest sys 24
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" "errno=1234"
	assert_eq "$(warning_lines)" 1 "$stderr"
	rm -f "$CACHE"
}

@test "cache: 10 concurrent starts of one new profile all succeed" {
	local i n=10 pids=() b
	allow_profile "$(rule sched_yield SCMP_ACT_ERRNO 1234)"
	set_args /bin/sctest sys 24 -- sys "$(nr getpid)"
	# one config per container (own cgroup), one shared rootfs
	for i in $(seq 1 $n); do
		b=$BATS_TEST_TMPDIR/b$i
		mkdir -p "$b"
		jq --arg r "$BUNDLE/rootfs" --arg cg "/strait-test/$CID-$i" \
			'.root.path = $r | .linux.cgroupsPath = $cg' "$BUNDLE/config.json" >"$b/config.json"
		EXTRA_IDS+=("$CID-$i")
	done
	for i in $(seq 1 $n); do
		"$RUNTIME" --root "$ROOT" run --bundle "$BATS_TEST_TMPDIR/b$i" "$CID-$i" </dev/null \
			>"$BATS_TEST_TMPDIR/out$i" 2>"$BATS_TEST_TMPDIR/err$i" &
		pids+=($!)
	done
	local failed=0
	for i in $(seq 1 $n); do
		if ! wait "${pids[$((i - 1))]}"; then
			failed=1
			echo "run $i failed: $(cat "$BATS_TEST_TMPDIR/err$i")" >&2
		fi
		assert_eq "$(cat "$BATS_TEST_TMPDIR/out$i")" $'errno=1234\nret=1' "run $i" || failed=1
		[ ! -s "$BATS_TEST_TMPDIR/err$i" ] || { echo "run $i: $(cat "$BATS_TEST_TMPDIR/err$i")" >&2; failed=1; }
	done
	[ $failed = 0 ] || fail "concurrent runs failed"
	assert_eq "$(entries | wc -l)" 1
	assert_eq "$(find "$CACHE" -mindepth 1 ! -name '*.bpf' | wc -l)" 0 "temporary files left"
	assert_clean "${EXTRA_IDS[@]}"
	set_args /bin/true
	assert_eq "$(create_status | jq -r .cacheHit)" true
}

@test "cache: the built-in profile is cached too" {
	update_config 'del(.linux.seccomp)'
	echo "seccomp-policy = runtime-default" >"$SC_CONF"
	set_args /bin/true
	assert_eq "$(create_status | jq -r .cacheHit)" false
	assert_eq "$(create_status | jq -r .cacheHit)" true
}
