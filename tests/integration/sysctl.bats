#!/usr/bin/env bats
# linux.sysctl: namespaced keys are applied inside the container only; keys that are
# not namespaced (or whose namespace the container does not own) are refused, naming
# the key. Refused keys are given the host's current value, so that a runtime that
# wrongly applies one changes nothing.

load helpers

# set_sysctl KEY VALUE...: sets linux.sysctl from KEY VALUE pairs.
set_sysctl() {
	local j='{}'
	while [ $# -gt 0 ]; do
		j=$(jq -c --arg k "$1" --arg v "$2" '. + {($k): $v}' <<<"$j")
		shift 2
	done
	update_config '.linux.sysctl = $s' --argjson s "$j"
}

host_sysctl() {
	cat "/proc/sys/${1//.//}"
}

@test "namespaced sysctls (net, ipc) are applied inside, not on the host" {
	local fwd shm
	fwd=$(host_sysctl net.ipv4.ip_forward)
	shm=$(host_sysctl kernel.shm_rmid_forced)
	set_sysctl net.ipv4.ip_forward $((1 - fwd)) kernel.shm_rmid_forced $((1 - shm)) \
		fs.mqueue.msg_max 20 kernel.msgmax 4096
	set_args cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced \
		/proc/sys/fs/mqueue/msg_max /proc/sys/kernel/msgmax
	run --separate-stderr rrun
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_eq "$output" "$((1 - fwd))
$((1 - shm))
20
4096"
	assert_eq "$(host_sysctl net.ipv4.ip_forward)" "$fwd"
	assert_eq "$(host_sysctl kernel.shm_rmid_forced)" "$shm"
}

@test "a sysctl that is not namespaced is refused, naming the key" {
	set_sysctl vm.swappiness "$(host_sysctl vm.swappiness)"
	runq rcreate
	assert_error vm.swappiness
	assert_clean
}

@test "a kernel.* sysctl outside the ipc set is refused" {
	set_sysctl kernel.sched_child_runs_first "$(host_sysctl kernel.sched_child_runs_first 2>/dev/null || echo 0)"
	runq rcreate
	assert_error kernel.sched_child_runs_first
	assert_clean
}

@test "a net.* sysctl without a network namespace is refused" {
	update_config '.linux.namespaces -= [{type: "network"}] |
		.mounts |= map(select(.destination != "/sys"))'
	set_sysctl net.ipv4.ip_forward "$(host_sysctl net.ipv4.ip_forward)"
	runq rcreate
	assert_error net.ipv4.ip_forward
	assert_clean
}

@test "an ipc sysctl without an ipc namespace is refused" {
	update_config '.linux.namespaces -= [{type: "ipc"}]'
	set_sysctl kernel.msgmax "$(host_sysctl kernel.msgmax)"
	runq rcreate
	assert_error kernel.msgmax
	assert_clean
}

@test "a namespaced key that does not exist fails cleanly, naming it" {
	set_sysctl net.ipv4.no_such_setting 1
	runq rrun
	assert_error net.ipv4.no_such_setting
	assert_clean
}
