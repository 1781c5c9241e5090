#!/usr/bin/env bats
# annotations: carried from config.json into the state (and the hooks' state).

load helpers

@test "annotations are carried into state" {
	update_config '.annotations = {"org.example.key": "value", "com.example/empty": "",
		"org.example.spaces": "a b  c", "org.example.unicode": "caf\u00e9"}'
	set_args /bin/probe sleep
	create_ok
	run --separate-stderr runtime state "$CID"
	[ "$status" -eq 0 ] || fail "$stderr"
	validate_json state-schema.json - <<<"$output"
	# The runtime may add its own annotations; the config's are all there, unchanged.
	jq -e '.annotations | ."org.example.key" == "value" and ."com.example/empty" == "" and
		."org.example.spaces" == "a b  c" and ."org.example.unicode" == "caf\u00e9"' \
		<<<"$output" >/dev/null || fail "annotations: $output"
	runtime start "$CID"
	wait_status "$CID" running
	jq -e '.annotations."org.example.key" == "value"' <<<"$(runtime state "$CID")" >/dev/null
}

@test "annotations reach the hooks' state" {
	update_config '.annotations = {"org.example.hook": "seen"} |
		.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "cat >\"$0\"", $f]}]' \
		--arg f "$BATS_TEST_TMPDIR/hookstate"
	set_args /bin/true
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	jq -e '.annotations."org.example.hook" == "seen"' "$BATS_TEST_TMPDIR/hookstate" >/dev/null ||
		fail "hook state: $(cat "$BATS_TEST_TMPDIR/hookstate")"
}

@test "no annotations: state still validates" {
	update_config 'del(.annotations)'
	set_args /bin/probe sleep
	create_ok
	runtime state "$CID" | validate_json state-schema.json -
}

@test "annotations with a wrong type are refused" {
	update_config '.annotations = {"org.example.n": 5}'
	runq rcreate
	assert_error config.json annotations org.example.n
	assert_clean
}
