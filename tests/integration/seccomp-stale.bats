#!/usr/bin/env bats
# Profiles that know when they are stale (issue 12, part 2): evidence records what it
# was gathered on (versions, the entrypoint and every executable with its sha256, the
# image identity), generate carries that into the report and the profile
# (straitProvenance), the decision record names the report, and
# `strait seccomp check --against BUNDLE|ID` says which facts changed, exit 3 when any.

load helpers
load seccomp-helpers
load observe-helpers

setup() {
	strait_only "evidence facts are strait's"
	obs_setup
	update_config '.annotations = {"org.opencontainers.image.ref.name": "busybox:proof",
		"org.opencontainers.image.revision": "r1", "unrelated": "x"}'
}
teardown() { obs_teardown; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

# observe EV: the workload in log mode from the empty allow-list into EV.
observe() {
	obs_profile "$OBS_EMPTY_PROFILE"
	obs_reset_rootfs
	runq rrun --seccomp-mode=log --seccomp-evidence "$1"
	[ "$status" = 0 ] || fail "observed run failed ($status): $stderr"
}

# generate_from EV OUT: a profile from EV, report in OUT.report.
generate_from() {
	runq "$RUNTIME" seccomp generate -o "$2" --report "$2.report" "$1"
	[ "$status" = 0 ] || fail "generate failed: $stderr"
}

@test "facts: the entrypoint and each executable that ran with their sha256, and the image identity" {
	local ev=$BATS_TEST_TMPDIR/ev.json bb
	observe "$ev"
	bb=$(sha "$BUNDLE/rootfs/bin/busybox")
	assert_eq "$(jq -c .facts.entrypoint "$ev")" \
		"{\"path\":\"/work.sh\",\"sha256\":\"$(sha "$BUNDLE/rootfs/work.sh")\"}"
	# the script's interpreter and the tools it ran, each once
	assert_eq "$(jq -r --arg p /bin/busybox '.facts.executables[] | select(.path == $p) | .sha256' "$ev")" "$bb"
	assert_eq "$(jq -r '.facts.executables[] | select(.path == "/bin/cat") | .sha256' "$ev")" "$bb"
	assert_eq "$(jq '[.facts.executables[].path] | length == (unique | length)' "$ev")" true
	assert_eq "$(jq -c .facts.image "$ev")" \
		'{"org.opencontainers.image.ref.name":"busybox:proof","org.opencontainers.image.revision":"r1"}'
	assert_eq "$(jq -r .versions.kernel "$ev")" "$(uname -r)"

	# enforce mode records the entrypoint too (through the hand-off execve)
	obs_profile '{"defaultAction": "SCMP_ACT_ALLOW"}'
	obs_reset_rootfs
	runq rrun --seccomp-denials=record --seccomp-evidence "$ev.rec"
	[ "$status" = 0 ] || fail "record run failed: $stderr"
	assert_eq "$(jq -r .facts.entrypoint.sha256 "$ev.rec")" "$(sha "$BUNDLE/rootfs/work.sh")"
}

@test "facts: an executable is hashed inside the container's root, never on the host" {
	local ev=$BATS_TEST_TMPDIR/ev.json
	# /usr/bin/jq exists on the host, not in the busybox rootfs
	ln -s /usr/bin/jq "$BUNDLE/rootfs/bin/esc"
	mkdir -p "$BUNDLE/rootfs/usr/bin"
	obs_profile "$OBS_EMPTY_PROFILE"
	set_args /bin/sh -c '/bin/esc; /bin/true; echo done'
	runq rrun --seccomp-mode=log --seccomp-evidence "$ev"
	assert_eq "$output" done
	assert_eq "$(jq -c '.facts.executables[] | select(.path == "/bin/esc")' "$ev")" \
		'{"path":"/bin/esc","sha256":null}'
	assert_not_contains "$(cat "$ev")" "$(sha /usr/bin/jq)"
	# the same name inside the root is hashed
	cp "$BUNDLE/rootfs/bin/busybox" "$BUNDLE/rootfs/usr/bin/jq"
	runq rrun --seccomp-mode=log --seccomp-evidence "$ev"
	assert_eq "$(jq -r '.facts.executables[] | select(.path == "/bin/esc") | .sha256' "$ev")" \
		"$(sha "$BUNDLE/rootfs/bin/busybox")"
}

@test "generate: the report's facts, the profile's straitProvenance, and the decision record names the report" {
	local ev=$BATS_TEST_TMPDIR/ev.json gen=$BATS_TEST_TMPDIR/gen.json
	observe "$ev"
	generate_from "$ev" "$gen"
	assert_contains "$(cat "$gen.report")" "facts (what the runs were recorded on"
	assert_contains "$(cat "$gen.report")" "    /work.sh sha256 $(sha "$BUNDLE/rootfs/work.sh")"
	assert_contains "$(cat "$gen.report")" "image: org.opencontainers.image.ref.name=busybox:proof"
	assert_eq "$(jq -r .straitProvenance.reportSha256 "$gen")" "$(sha "$gen.report")"
	assert_eq "$(jq -r .straitProvenance.runs "$gen")" 1
	assert_eq "$(jq -r '.straitProvenance.facts.entrypoints[0].path' "$gen")" /work.sh
	# the provenance is not the profile: the same rules have the same sha256
	jq 'del(.straitProvenance)' "$gen" >"$gen.bare"
	obs_profile_file "$gen.bare"
	runq rrun --keep
	local bare_sha
	bare_sha=$(sc_status | jq -r .sha256)
	assert_eq "$(sc_status | jq -r .provenance)" null
	runtime delete "$CID"
	obs_profile_file "$gen"
	obs_reset_rootfs
	runq rrun --keep
	[ "$status" = 0 ] || fail "enforced run failed: $stderr"
	assert_eq "$(sc_status | jq -r .sha256)" "$bare_sha"
	assert_eq "$(sc_status | jq -r .provenance.reportSha256)" "$(sha "$gen.report")"
	assert_eq "$(sc_status | jq -r .provenance.lastRun)" "$(jq -r .end "$ev")"
	runtime delete "$CID"
	# merge keeps no provenance (its inputs' runs are not its own)
	runq "$RUNTIME" seccomp merge --union -o "$gen.merged" "$gen" "$gen"
	assert_eq "$(jq -r .straitProvenance "$gen.merged")" null
}

@test "check --against BUNDLE: unchanged is fresh (0); a changed entrypoint binary, executable or image is stale (3)" {
	local ev=$BATS_TEST_TMPDIR/ev.json gen=$BATS_TEST_TMPDIR/gen.json
	observe "$ev"
	generate_from "$ev" "$gen"
	runq "$RUNTIME" seccomp check --against "$BUNDLE" "$gen"
	assert_eq "$status" 0
	assert_has_line "$output" "against: bundle $BUNDLE"
	assert_contains "$output" "summary: 0 of"
	assert_not_contains "$output" "stale:"
	# from the evidence itself, the same
	runq "$RUNTIME" seccomp check --against "$BUNDLE" "$gen" "$ev"
	assert_eq "$status" 0

	# a new entrypoint binary
	echo "# patched" >>"$BUNDLE/rootfs/work.sh"
	runq "$RUNTIME" seccomp check --against "$BUNDLE" "$gen"
	assert_eq "$status" 3
	assert_has_line "$output" "stale: entrypoint /work.sh: sha256 $(sha "$BUNDLE/rootfs/work.sh") now, recorded $(jq -r .facts.entrypoint.sha256 "$ev")"
	assert_contains "$output" "summary: 1 of"
	# a tool the workload ran, replaced
	cp "$BUNDLE/rootfs/bin/busybox" "$BATS_TEST_TMPDIR/bb"
	rm "$BUNDLE/rootfs/bin/busybox"
	{ cat "$BATS_TEST_TMPDIR/bb"; echo; } >"$BUNDLE/rootfs/bin/busybox"
	chmod 755 "$BUNDLE/rootfs/bin/busybox"
	runq "$RUNTIME" seccomp check --against "$BUNDLE" "$gen"
	assert_eq "$status" 3
	assert_contains "$output" "stale: executable /bin/busybox: sha256 $(sha "$BUNDLE/rootfs/bin/busybox") now"
	# another image
	update_config '.annotations["org.opencontainers.image.revision"] = "r2"'
	runq "$RUNTIME" seccomp check --against "$BUNDLE" "$gen"
	assert_has_line "$output" 'stale: image org.opencontainers.image.revision: "r2" now, not among the recorded (2 image facts)'
}

@test "check --against ID: a running container, read through /proc/PID; its entrypoint also by the image it runs" {
	local ev=$BATS_TEST_TMPDIR/ev.json gen=$BATS_TEST_TMPDIR/gen.json
	obs_profile "$OBS_EMPTY_PROFILE"
	set_args /bin/sleep 0.2
	runq rrun --seccomp-mode=log --seccomp-evidence "$ev"
	[ "$status" = 0 ] || fail "observed run failed: $stderr"
	generate_from "$ev" "$gen"
	obs_profile '{"defaultAction": "SCMP_ACT_ALLOW"}'
	set_args /bin/sleep 30
	create_ok
	# created: the process is still strait's; the rootfs is compared
	runq runtime seccomp check --against "$CID" "$gen"
	assert_eq "$status" 0 "$output $stderr"
	assert_has_line "$output" "against: container $CID (created)"
	runtime start "$CID"
	wait_status "$CID" running
	runq runtime seccomp check --against "$CID" "$gen"
	assert_eq "$status" 0 "$output $stderr"
	assert_has_line "$output" "against: container $CID (running, its files through /proc/PID/root)"
	# a new file under the name: the running process keeps its image, the name is stale
	cp "$BUNDLE/rootfs/bin/busybox" "$BATS_TEST_TMPDIR/bb"
	echo >>"$BATS_TEST_TMPDIR/bb"
	mv "$BATS_TEST_TMPDIR/bb" "$BUNDLE/rootfs/bin/busybox.new"
	mv "$BUNDLE/rootfs/bin/busybox.new" "$BUNDLE/rootfs/bin/busybox"
	runq runtime seccomp check --against "$CID" "$gen"
	assert_eq "$status" 3
	assert_contains "$output" "stale: executable /bin/busybox:"
	assert_not_contains "$output" "stale: entrypoint"
	runtime delete --force "$CID"
}

@test "check --against ID: a running script entrypoint is compared as the file it names, not its interpreter" {
	local ev=$BATS_TEST_TMPDIR/ev.json gen=$BATS_TEST_TMPDIR/gen.json
	printf '#!/bin/sh\n[ "$1" = wait ] && sleep 30\nexit 0\n' >"$BUNDLE/rootfs/ws.sh"
	chmod 755 "$BUNDLE/rootfs/ws.sh"
	obs_profile "$OBS_EMPTY_PROFILE"
	set_args /ws.sh
	runq rrun --seccomp-mode=log --seccomp-evidence "$ev"
	[ "$status" = 0 ] || fail "observed run failed: $stderr"
	assert_eq "$(jq -r .facts.entrypoint.path "$ev")" /ws.sh
	generate_from "$ev" "$gen"
	obs_profile '{"defaultAction": "SCMP_ACT_ALLOW"}'
	set_args /ws.sh wait
	create_ok
	runtime start "$CID"
	wait_status "$CID" running
	# its process runs /bin/sh (busybox); the entrypoint is still the unchanged script
	runq runtime seccomp check --against "$CID" "$gen"
	assert_eq "$status" 0 "$output $stderr"
	assert_not_contains "$output" "stale:"
	echo "# changed" >>"$BUNDLE/rootfs/ws.sh"
	runq runtime seccomp check --against "$CID" "$gen"
	assert_eq "$status" 3 "$output"
	assert_contains "$output" "stale: entrypoint /ws.sh: sha256"
	runtime delete --force "$CID"
}

@test "check --against: nothing to compare, or no such target, is one line and exit 2" {
	local ev=$BATS_TEST_TMPDIR/ev.json gen=$BATS_TEST_TMPDIR/gen.json
	echo "$OBS_EMPTY_PROFILE" >"$BATS_TEST_TMPDIR/plain.json"
	runq "$RUNTIME" seccomp check --against "$BUNDLE" "$BATS_TEST_TMPDIR/plain.json"
	assert_eq "$status" 2
	assert_error "plain.json" "straitProvenance"
	observe "$ev"
	generate_from "$ev" "$gen"
	runq runtime seccomp check --against nosuch "$gen"
	assert_eq "$status" 2
	assert_error "nosuch"
}

@test "check --against NAME: a bare name that is both a directory here and a container is refused; ./NAME is the bundle" {
	strait_only "strait's seccomp tools"
	local ev=$BATS_TEST_TMPDIR/ev.json gen=$BATS_TEST_TMPDIR/gen.json
	observe "$ev"
	generate_from "$ev" "$gen"
	obs_profile '{"defaultAction": "SCMP_ACT_ALLOW"}'
	set_args /bin/probe sleep
	create_ok
	mkdir "$BATS_TEST_TMPDIR/cwd"
	ln -s "$BUNDLE" "$BATS_TEST_TMPDIR/cwd/$CID"
	cd "$BATS_TEST_TMPDIR/cwd"
	runq runtime seccomp check --against "$CID" "$gen"
	assert_eq "$status" 2
	assert_error "--against $CID: both a bundle directory here and a container; write ./$CID for the bundle"
	runq runtime seccomp check --against "./$CID" "$gen"
	assert_has_line "$output" "against: bundle ./$CID"
	rm "$BATS_TEST_TMPDIR/cwd/$CID"
	runq runtime seccomp check --against "$CID" "$gen"
	assert_has_line "$output" "against: container $CID (created)"
	runtime delete --force "$CID"
}
