# Helpers for observe.bats (load after helpers and seccomp-helpers).
#
# The proof workload (/work.sh in every bundle) does file I/O, fork and exec, and
# serves a page with busybox httpd on 127.0.0.1 that busybox wget fetches; with
# OBS_EXTRA=1 in its environment it also takes a branch (mkfifo) that a recording
# without it never exercises. obs_setup points STRAIT_CONFIG at an empty per-test
# strait.conf ($OBS_CONF), so a host /etc/strait/strait.conf cannot change outcomes.

# The empty allow-list: every syscall denied with EPERM, on the three x86 ABIs.
OBS_EMPTY_PROFILE='{"defaultAction": "SCMP_ACT_ERRNO",
	"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	"syscalls": []}'

# What the workload prints when every step worked.
OBS_OK_OUTPUT='workload: ok
hello from observe
hello from cgi'

obs_setup() {
	common_setup
	OBS_CONF=$BATS_TEST_TMPDIR/strait.conf
	: >"$OBS_CONF"
	export STRAIT_CONFIG=$OBS_CONF
	RECORDER_PID=
	REC_TMP=
	obs_install_workload "$BUNDLE"
	set_args /work.sh
}

obs_teardown() {
	stop_recorder || true
	[ -z "${REC_TMP:-}" ] || rm -rf "$REC_TMP"
	# The compiled-filter cache lives in the state root but is not a container.
	[ -n "${ROOT:-}" ] && rm -rf "$ROOT/@seccomp-cache"
	common_teardown
}

# obs_install_workload BUNDLE: writes the proof workload to BUNDLE/rootfs/work.sh and
# its CGI to BUNDLE/rootfs/www/cgi-bin/slow.
obs_install_workload() {
	mkdir -p "$1/rootfs/www/cgi-bin"
	# It sends its headers at once and its body 0.1 s later, so that wget always
	# waits for the body (poll). With a static page wget only polls when the body has
	# not arrived yet, which one recording may see and the next run need.
	cat >"$1/rootfs/www/cgi-bin/slow" <<'EOF'
#!/bin/sh
echo "Content-Type: text/plain"
echo
sleep 0.1
echo "hello from cgi"
EOF
	cat >"$1/rootfs/work.sh" <<'EOF'
#!/bin/sh
# file I/O, fork + exec, an HTTP server on loopback fetched with wget
set -e
echo "hello from observe" >/www/index.html
mkdir /tmp/work
for i in 1 2 3; do echo "line $i" >>/tmp/work/data; done
/bin/cat /tmp/work/data >/tmp/work/data.copy
[ "$(wc -l </tmp/work/data.copy)" -eq 3 ]
# httpd binds before it daemonizes, so the server is up when it returns
httpd -p 127.0.0.1:8080 -h /www
wget -q -O /tmp/got http://127.0.0.1:8080/index.html
cmp /tmp/got /www/index.html
wget -q -O /tmp/cgi http://127.0.0.1:8080/cgi-bin/slow
# wait until httpd's connection handlers have exited, so that every run records all
# of them (pidof lists the server, and a handler while it lives)
while [ "$(pidof httpd | wc -w)" -gt 1 ]; do :; done
if [ -n "${OBS_EXTRA:-}" ]; then
	if mkfifo /tmp/fifo 2>/tmp/fifo.err; then
		echo "mkfifo: ok"
	else
		echo "mkfifo: failed"
		cat /tmp/fifo.err
	fi
fi
echo "workload: ok"
cat /tmp/got /tmp/cgi
EOF
	chmod 755 "$1/rootfs/work.sh" "$1/rootfs/www/cgi-bin/slow"
}

# obs_reset_rootfs: removes what a previous run of the workload left in /tmp.
obs_reset_rootfs() {
	rm -rf "${BUNDLE:?}/rootfs/tmp/"*
}

# obs_profile JSON / obs_profile_file FILE: sets linux.seccomp.
obs_profile() {
	update_config '.linux.seccomp = $p' --argjson p "$1"
}
obs_profile_file() {
	obs_profile "$(cat "$1")"
}

# obs_extra: turns on the workload's extra (mkfifo) branch.
obs_extra() {
	update_config '.process.env += ["OBS_EXTRA=1"]'
}

# ---- evidence ----

# ev_syscalls FILE: the recorded syscall names, one per line, sorted, unique.
ev_syscalls() {
	jq -r '.records[].syscall' "$1" | sort -u
}

# assert_recorded FILE NAME...: every NAME has a record in the evidence.
assert_recorded() {
	local f=$1 n have
	shift
	have=$(ev_syscalls "$f")
	for n in "$@"; do
		grep -qxF -- "$n" <<<"$have" || fail "$n is not in the evidence $f: $(xargs <<<"$have")"
	done
}

# assert_not_recorded FILE NAME...
assert_not_recorded() {
	local f=$1 n have
	shift
	have=$(ev_syscalls "$f")
	for n in "$@"; do
		! grep -qxF -- "$n" <<<"$have" || fail "$n should not be in the evidence $f"
	done
}

# profile_allows FILE: the names the profile allows unconditionally, sorted.
profile_allows() {
	jq -r '.syscalls[]? | select(.action == "SCMP_ACT_ALLOW" and ((.args // []) | length) == 0)
		| .names[]' "$1" | sort -u
}

# ---- the recorder agent ----

# start_recorder: starts `strait seccomp recorder` on $REC_SOCK writing to $REC_DIR
# (its stderr in $REC_LOG) and waits for the socket. Stopped by obs_teardown.
start_recorder() {
	local d=$BATS_TEST_TMPDIR n=200
	# sun_path holds 107 bytes; a deep bats temp dir may not fit.
	if [ ${#d} -gt 80 ]; then
		REC_TMP=$(mktemp -d /tmp/obs-rec.XXXXXX)
		d=$REC_TMP
	fi
	REC_SOCK=$d/rec.sock
	REC_DIR=$BATS_TEST_TMPDIR/evidence
	REC_LOG=$BATS_TEST_TMPDIR/recorder.log
	mkdir -p "$REC_DIR"
	"$RUNTIME" seccomp recorder --socket "$REC_SOCK" --dir "$REC_DIR" \
		</dev/null >"$REC_LOG" 2>&1 3>&- &
	RECORDER_PID=$!
	while [ ! -S "$REC_SOCK" ]; do
		kill -0 "$RECORDER_PID" 2>/dev/null ||
			fail "the recorder exited: $(cat "$REC_LOG")" || return 1
		n=$((n - 1))
		[ $n -gt 0 ] || fail "the recorder did not create $REC_SOCK" || return 1
		sleep 0.025
	done
}

# stop_recorder: SIGTERM (the agent writes every open evidence and exits 0); fails
# unless it exited 0.
stop_recorder() {
	local rc=0
	[ -n "${RECORDER_PID:-}" ] || return 0
	kill -TERM "$RECORDER_PID" 2>/dev/null || true
	wait "$RECORDER_PID" || rc=$?
	RECORDER_PID=
	[ "$rc" = 0 ] || fail "the recorder exited $rc: $(cat "$REC_LOG")"
}

# wait_evidence ID [LABEL] [SECONDS]: waits for the agent's evidence of container ID
# and prints its path ($REC_DIR/ID.LABEL.NANOS.json, or ID.NANOS.json without label).
wait_evidence() {
	local id=$1 label=${2:-} n=$((${3:-10} * 40)) pat f
	if [ -n "$label" ]; then
		pat="$id.$label.[0-9]*.json"
	else
		pat="$id.[0-9]*.json"
	fi
	while [ $n -gt 0 ]; do
		for f in "$REC_DIR"/$pat; do
			[ -s "$f" ] && echo "$f" && return 0
		done
		sleep 0.025
		n=$((n - 1))
	done
	fail "no evidence $REC_DIR/$pat; the agent said: $(cat "$REC_LOG")"
}
