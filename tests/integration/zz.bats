load helpers
@test "dbg" {
	set_args /bin/probe sleep
	create_ok
	pid=$(state_field $CID pid)
	tr '\0' '\n' < /proc/$pid/environ
	ps -ef | grep -v grep | grep runc
	false
}
