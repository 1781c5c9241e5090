load helpers
@test "detached cleaned" {
	set_args /bin/probe sleep
	run --separate-stderr rrun -d
	[ "$status" -eq 0 ]
	wait_status $CID running
	runtime state $CID | validate_json state-schema.json -
}
@test "leak mount detected (should fail)" {
	mkdir $BATS_TEST_TMPDIR/x; mount -t tmpfs none $BATS_TEST_TMPDIR/x
}
@test "leak process detected (should fail)" {
	env STRAIT_TEST_MARK=$MARK sleep 100 3>&- &
}
@test "leak cgroup detected (should fail)" {
	mkdir -p /sys/fs/cgroup/pids/zz/$CID
}
