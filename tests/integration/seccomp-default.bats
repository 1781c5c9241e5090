#!/usr/bin/env bats
# strait's built-in RuntimeDefault profile: how it is printed and embedded, that
# common workloads run under it (busybox tools and servers; the host's compilers,
# language runtimes and package tools through a read-only bind of /usr), that the
# dangerous families are denied (each call compared with the same call unconfined),
# and how it differs from Docker's default profile (printed, for review).

load helpers
load seccomp-helpers

setup() {
	sc_setup
	strait_only "the built-in profile is strait's"
}
teardown() { sc_teardown; }

use_default_profile() {
	update_config 'del(.linux.seccomp)'
	echo "seccomp-policy = runtime-default" >"$SC_CONF"
}

use_no_profile() {
	update_config 'del(.linux.seccomp)'
	echo "seccomp-policy = permissive" >"$SC_CONF"
}

@test "default profile: printed, schema-valid, versioned, and embedded by spec" {
	local p
	p=$("$RUNTIME" seccomp default)
	jq -e . <<<"$p" >/dev/null || fail "not JSON"
	assert_eq "$(jq -r .defaultAction <<<"$p")" SCMP_ACT_ERRNO
	assert_eq "$(jq -c '.architectures | sort' <<<"$p")" '["SCMP_ARCH_X32","SCMP_ARCH_X86","SCMP_ARCH_X86_64"]'
	# as linux.seccomp of a complete config, it validates against the OCI schema
	jq --argjson s "$p" '.linux.seccomp = $s' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/c.json"
	validate_json config-schema.json "$BATS_TEST_TMPDIR/c.json" || fail "schema"
	# strait spec --seccomp-default embeds the same profile; plain spec, as runc's, none
	mkdir "$BATS_TEST_TMPDIR/spec" && cd "$BATS_TEST_TMPDIR/spec"
	"$RUNTIME" spec --seccomp-default
	assert_eq "$(jq -S .linux.seccomp config.json)" "$(jq -S . <<<"$p")"
	rm config.json
	"$RUNTIME" spec
	assert_eq "$(jq -c .linux.seccomp config.json)" null
	# and a container with it records the same hash as one given no profile under
	# seccomp-policy=runtime-default
	cd - >/dev/null
	set_args /bin/true
	set_profile "$p"
	create_ok
	local h1 h2
	h1=$(sc_status | jq -r .sha256)
	runtime delete --force "$CID"
	use_default_profile
	create_ok
	h2=$(sc_status | jq -r .sha256)
	assert_eq "$h2" "$h1"
	assert_eq "$(sc_status | jq -r .profileVersion)" \
		"$("$RUNTIME" features | jq -r '.annotations["org.strait.seccomp.defaultProfileVersion"]')"
}

# A day's work for busybox: shell, files, archives, text tools, a web server and
# client over loopback, processes, threads (clone3 -> ENOSYS -> clone fallback).
BUSYBOX_SCRIPT='
set -e
rm -rf /tmp/w && mkdir -p /tmp/w/www && cd /tmp/w
echo hello > www/index.html
httpd -p 127.0.0.1:8080 -h /tmp/w/www
wget -q -O got.html http://127.0.0.1:8080/index.html
cat got.html
tar czf a.tgz www && mkdir x && tar xzf a.tgz -C x && cat x/www/index.html
seq 1 100 | sort -rn | head -n 1
echo "b a" | awk "{print \$2}"
sed s/l/L/g www/index.html
find . -name index.html | wc -l
md5sum www/index.html | cut -c1-8
gzip -c www/index.html | gunzip
pidof httpd | wc -w
ps -o comm | grep -c "^httpd"
ln -s www/index.html link && cat link && chmod 600 got.html && cp got.html c && mv c d && rm d
dd if=/dev/zero of=z bs=1k count=4 2>/dev/null && stat -c %s z
timeout 5 sleep 0.1
(sleep 0.1; echo sub) & wait
nproc >/dev/null && df / >/dev/null && free >/dev/null && uptime >/dev/null && date +%Y >/dev/null
id -u; hostname; uname -s
killall httpd
/bin/sctest thread 24
echo done'

BUSYBOX_EXPECTED='hello
hello
100
a
heLLo
2
b1946ac9
hello
1
1
hello
4096
sub
0
strait-test
Linux
ret=0
main-alive=1
done'

@test "default profile: busybox sh, tar, wget, httpd and friends run" {
	use_default_profile
	sc_run /bin/sh -c "$BUSYBOX_SCRIPT"
	[ "$status" = 0 ] || fail "status $status: $output / $stderr"
	assert_eq "$output" "$BUSYBOX_EXPECTED"
	# the same script without a filter gives the same output
	use_no_profile
	sc_run /bin/sh -c "$BUSYBOX_SCRIPT"
	[ "$status" = 0 ] || fail "unconfined: status $status: $stderr"
	assert_eq "$output" "$BUSYBOX_EXPECTED"
}

# host_rootfs: the bundle's root becomes a directory whose /usr and /etc are
# read-only binds of the host's (with the merged-/usr symlinks), for the host's
# compilers and language runtimes.
host_rootfs() {
	local r=$BATS_TEST_TMPDIR/hostfs d
	mkdir -p "$r"/{usr,etc,proc,sys,dev,tmp,root,var/lib/dpkg,var/lib/apt,var/cache/apt}
	chmod 1777 "$r/tmp"
	for d in bin sbin lib lib64 lib32 libx32; do
		[ -L "/$d" ] && ln -s "usr/$d" "$r/$d"
	done
	update_config '.root.path = $r' --arg r "$r"
	for d in /usr /etc /var/lib/dpkg /var/lib/apt /var/cache/apt; do
		[ -d "$d" ] && add_mount "$d" bind "$d" rbind ro nosuid nodev
	done
	update_config '.process.env += ["HOME=/root", "LANG=C.UTF-8"]'
}

@test "default profile: the host's compilers, runtimes and package tools run" {
	[ -L /bin ] && [ -L /lib ] || skip "needs a merged-/usr host"
	host_rootfs
	use_default_profile
	local script='set -e
cd /tmp
printf "#include <stdio.h>\nint main(void){puts(\"cc ok\");return 0;}\n" > t.c
gcc -O2 -pthread -o t t.c && ./t
perl -e "print qq(perl ok\n)"
bash -c "echo bash ok"
if [ -x /usr/bin/python3 ]; then /usr/bin/python3 -c "
import threading, subprocess, socket, json, hashlib, sqlite3, ssl, asyncio
t = threading.Thread(target=lambda: None); t.start(); t.join()
s = socket.socket(); s.bind((\"127.0.0.1\", 0)); s.listen(); s.close()
print(subprocess.run([\"echo\", \"python ok\"], capture_output=True, text=True).stdout.strip())"
else echo python ok; fi
if [ -x /usr/bin/node ]; then node -e "require(\"fs\").readFile(\"/etc/hostname\", () => console.log(\"node ok\"))"; else echo node ok; fi
if [ -x /usr/bin/java ]; then java -Xshare:auto -version >/dev/null 2>&1 && echo java ok; else echo java ok; fi
if command -v git >/dev/null; then
  git init -q repo && cd repo && echo x > f && git add f &&
  git -c user.name=t -c user.email=t@t commit -q -m m && git log --oneline | wc -l && cd ..
else echo 1; fi
if command -v dpkg >/dev/null; then dpkg -s dpkg | grep -c "^Status: install ok installed"; else echo 1; fi
if command -v apt-cache >/dev/null; then
  apt-cache -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= policy dpkg >/dev/null && echo apt ok
else echo apt ok; fi
if command -v make >/dev/null; then printf "all:\n\t@echo make ok\n" > Makefile && make -s; else echo make ok; fi'
	sc_run /bin/sh -c "$script"
	[ "$status" = 0 ] || fail "status $status: $output / $stderr"
	assert_eq "$output" $'cc ok\nperl ok\nbash ok\npython ok\nnode ok\njava ok\n1\n1\napt ok\nmake ok'
}

# Denied calls, with arguments that make each fail harmlessly (or succeed without
# effect) when unconfined: the profile must turn every one into EPERM, and the
# unconfined result must be something else, so that the denial is the filter's and
# not a missing capability's. "name args..." per line.
DENIED_CALLS='mount 0 0 0 0 0
umount2 0 0x80000000
pivot_root 0 0
unshare 0x20000
unshare 0x10000001
setns -1 0
keyctl 0xffff
add_key 0 0 0 0 0
request_key 0 0 0 0
bpf 0xffff 0 0
perf_event_open 0 0 -1 -1 0
kexec_load 0 0 0 0x100
kexec_file_load -1 -1 0 0 0x100
init_module 0 0 0
finit_module -1 0 0
delete_module 0 0
swapon 0 0
swapoff 0
reboot 0 0 0 0
open_by_handle_at -1 0 0
userfaultfd 0xffff
clock_settime -1 0
settimeofday 0 1
clock_adjtime -1 0
fsopen 0 0
fsmount -1 0 0
move_mount -1 0 -1 0 0x80000000
open_tree -1 0 0x80000000
mount_setattr -1 0 0x80000000 0 0
personality 0x400000
personality 0x0041'

# denied_args: the sctest command line for DENIED_CALLS (calls the headers do not
# know are left out).
denied_args() {
	local name args n first=1
	while read -r name args; do
		n=$(nr "$name") || continue
		[ $first = 1 ] || printf '%s\n' --
		first=0
		printf '%s\n' sys "$n" $args
	done <<<"$DENIED_CALLS"
}

@test "default profile: mount, namespaces, keys, bpf, perf, kexec, modules, swap, reboot, time... are denied" {
	use_default_profile
	# capabilities for everything above, but not all of them (not privileged)
	add_caps CAP_SYS_ADMIN CAP_SYS_MODULE CAP_SYS_BOOT CAP_SYS_TIME CAP_SYS_PTRACE \
		CAP_DAC_READ_SEARCH CAP_BPF CAP_PERFMON CAP_SYS_RAWIO CAP_SYSLOG
	local args names
	mapfile -t args < <(denied_args)
	names=$(awk '{print $1}' <<<"$DENIED_CALLS" | while read -r n; do nr "$n" >/dev/null && echo "$n"; done)
	sc_run /bin/sctest "${args[@]}"
	[ "$status" = 0 ] || fail "status $status: $stderr"
	local confined=$output
	use_no_profile
	sc_run /bin/sctest "${args[@]}"
	[ "$status" = 0 ] || fail "unconfined: status $status: $stderr"
	local unconfined=$output
	paste <(echo "$names") <(echo "$confined") <(echo "$unconfined") | {
		bad=0
		while IFS=$'\t' read -r n c u; do
			if [ "$c" != errno=1 ]; then
				echo "$n: $c under the built-in profile (want errno=1)" >&2
				bad=1
			fi
			if [ "$u" = errno=1 ]; then
				echo "$n: EPERM unconfined too: the test proves nothing for it" >&2
				bad=1
			fi
		done
		exit $bad
	} || fail "confined:"$'\n'"$confined"$'\n'"unconfined:"$'\n'"$unconfined"
	assert_eq "$(wc -l <<<"$confined")" "$(wc -l <<<"$names")"
}

@test "default profile: io_uring and clone3 get ENOSYS, usual personality values pass" {
	use_default_profile
	sc_run /bin/sctest sys "$(nr io_uring_setup)" 1 0 -- sys "$(nr clone3)" 0 0 \
		-- sys "$(nr personality)" 0xffffffff -- sys "$(nr personality)" 0 \
		-- sys "$(nr personality)" 0x20008 -- sys "$(nr personality)" 0xffffffff
	[ "$status" = 0 ] || fail "$stderr"
	assert_eq "$output" $'errno=38\nerrno=38\nret=0\nret=0\nret=0\nret=131080'
}

# ---- compared with Docker's default profile ----

# The names each profile allows on x86_64 without conditions, conditionally, or
# denies, for a container with Docker's default capabilities.
DOCKER_CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW",
"CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT",
"CAP_KILL","CAP_AUDIT_WRITE"]'

# docker_rules: Docker's rules that apply to amd64 with DOCKER_CAPS on this kernel.
docker_rules() {
	local kver
	kver=$(uname -r | grep -oE '^[0-9]+\.[0-9]+')
	jq -c --argjson caps "$DOCKER_CAPS" --arg kver "$kver" '
	def kv: split(".") | map(tonumber);
	def arch_ok: ((.includes.arches // null) as $a | $a == null or ($a | index("amd64")))
		and (((.excludes.arches // []) | index("amd64")) | not);
	def caps_ok: ((.includes.caps // []) - $caps | length == 0)
		and ((.excludes.caps // []) as $e | ($e - $caps | length) == ($e | length));
	def kernel_ok: (.includes.minKernel // null) as $m | $m == null or (($kver | kv) >= ($m | kv));
	.syscalls[] | select(arch_ok and caps_ok and kernel_ok)' "$1"
}

# classify: reads rules (JSON lines), prints "name class" with class allow, cond or
# deny (an explicit non-ALLOW rule).
classify() {
	jq -r '
	(if .action == "SCMP_ACT_ALLOW" then (if (.args // []) | length > 0 then "cond" else "allow" end)
	 else "deny" end) as $c | .names[] | "\(.) \($c)"' | sort -u |
		awk '{ c[$1] = (c[$1] == "allow" || $2 == "allow") ? "allow" : (c[$1] ? c[$1] : $2) }
		     END { for (n in c) print n, c[n] }' | sort
}

@test "default profile: compared with Docker's default (differences printed)" {
	local docker=$DATA_DIR/profiles/docker-default.json
	[ -f "$docker" ] || skip "no $docker"
	local d=$BATS_TEST_TMPDIR/cmp
	mkdir -p "$d"
	docker_rules "$docker" | classify >"$d/docker"
	"$RUNTIME" seccomp default | jq -c '.syscalls[]' | classify >"$d/strait"
	[ -s "$d/docker" ] && [ -s "$d/strait" ] || fail "empty classification"
	# names unknown on x86_64 (other arches' syscalls) are left out of the report
	only() { join -v1 <(awk '{print $1}' "$d/$1" | sort) <(awk '{print $1}' "$d/$2" | sort); }
	filter64() { while read -r n; do nr "$n" >/dev/null 2>&1 && echo "$n"; done; }
	local s_only d_only cls
	s_only=$(awk '$2 == "allow" || $2 == "cond" {print $1}' "$d/strait" | sort >"$d/s_ok"
		awk '$2 == "allow" || $2 == "cond" {print $1}' "$d/docker" | sort >"$d/d_ok"
		comm -23 "$d/s_ok" "$d/d_ok" | filter64 | tr '\n' ' ')
	d_only=$(comm -13 "$d/s_ok" "$d/d_ok" | filter64 | tr '\n' ' ')
	cls=$(join "$d/strait" "$d/docker" | awk '$2 != $3 && $2 != "deny" && $3 != "deny" {
		printf "%s(strait %s, docker %s) ", $1, $2, $3 }')
	{
		echo "# strait RuntimeDefault vs docker-default.json (amd64, Docker's default caps):"
		echo "#   allowed by strait only ($(wc -w <<<"$s_only")): $s_only"
		echo "#   allowed by docker only ($(wc -w <<<"$d_only")): $d_only"
		echo "#   conditional in one, unconditional in the other: $cls"
	} >&3
	# Whatever the differences, these families stay denied by strait.
	local n bad=
	for n in mount umount2 pivot_root setns keyctl add_key request_key bpf perf_event_open \
		kexec_load kexec_file_load init_module finit_module delete_module swapon swapoff \
		reboot open_by_handle_at userfaultfd clock_settime settimeofday clock_adjtime \
		adjtimex acct fsopen fsmount fsconfig fspick move_mount open_tree mount_setattr \
		lookup_dcookie quotactl iopl ioperm vhangup; do
		grep -qE "^$n (allow|cond)$" "$d/strait" && bad+="$n "
	done
	[ -z "$bad" ] || fail "the built-in profile allows: $bad"
	# unshare, clone and personality only with conditions
	for n in unshare clone personality; do
		grep -qx "$n cond" "$d/strait" || fail "$n: $(grep "^$n " "$d/strait")"
	done
	# and every name it lists is known to this libseccomp for some arch it covers:
	# an unknown name would show up as a warning
	update_config 'del(.linux.seccomp)'
	echo "seccomp-policy = runtime-default" >"$SC_CONF"
	set_args /bin/true
	create_ok
	assert_eq "$(warning_lines)" 0 "$stderr"
	assert_eq "$(sc_status | jq -c .unknownSkipped)" '[]'
}
