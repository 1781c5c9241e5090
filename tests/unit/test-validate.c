/* validate.c: every semantic rule of spec_validate() with its exact message, and
 * lc_id_validate(). Configs are parsed by spec_parse() first, as the runtime does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include "spec.h"
#include "strait.h"
#include "tap.h"

/* A minimal config that passes; tests splice one section into it. */
#define BASE "'ociVersion': '1.3.0', 'root': {'path': 'rootfs'}"
#define PROC "'process': {'args': ['sh'], 'cwd': '/'}"

static char *
J(const char *s)
{
	char *d = strdup(s);
	for (char *p = d; *p; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

static struct lc_spec *
parse(const char *text)
{
	struct lc_err err = { 0 };
	struct lc_spec *s = NULL;
	char *j = J(text);

	if (spec_parse(j, strlen(j), "config.json", "/b", &s, &err) < 0)
		printf("# parse failed: %s\n", err.msg);
	free(j);
	return s;
}

/* Returns spec_validate's message for text ("" when it passes, "parse" when it does not
 * even parse). */
static const char *
verr(const char *text)
{
	static struct lc_err err;
	struct lc_spec *s = parse(text);
	int r;

	memset(&err, 0, sizeof(err));
	if (!s)
		return "parse";
	r = spec_validate(s, &err);
	spec_free(s);
	if (r == 0)
		return "";
	if (r != -EINVAL)
		printf("# unexpected return %d\n", r);
	return err.msg;
}

static void
test_basic(void)
{
	is_str(verr("{" BASE ", " PROC "}"), "", "minimal config passes");
	is_str(verr("{" BASE "}"), "", "no process is fine for validation");
	is_str(verr("{'root': {'path': 'r'}}"), "config.json: ociVersion: missing required field",
	       "ociVersion");
	is_str(verr("{'ociVersion': '1.3.0'}"), "config.json: root.path: missing required field",
	       "root");
	is_str(verr("{" BASE ", 'process': {'cwd': '/'}}"),
	       "config.json: process.args: must not be empty", "args missing");
	is_str(verr("{" BASE ", 'process': {'args': [], 'cwd': '/'}}"),
	       "config.json: process.args: must not be empty", "args empty");
	is_str(verr("{" BASE ", 'process': {'args': [''], 'cwd': '/'}}"),
	       "config.json: process.args[0]: must not be an empty string", "args[0] empty");
	is_str(verr("{" BASE ", 'process': {'args': ['sh'], 'cwd': 'tmp'}}"),
	       "config.json: process.cwd: \"tmp\" is not an absolute path", "cwd relative");
	is_str(verr("{" BASE ", 'process': {'args': ['sh'], 'cwd': '/', 'oomScoreAdj': 1001}}"),
	       "config.json: process.oomScoreAdj: 1001 is outside [-1000, 1000]", "oomScoreAdj");
	is_str(verr("{" BASE ", 'process': {'args': ['sh'], 'cwd': '/', 'user': {'uid': 0, "
		    "'gid': 0, 'umask': 4095}}}"),
	       "config.json: process.user.umask: 07777 is not a permission mask", "umask");
	is_str(verr("{" BASE ", 'process': {'args': ['sh'], 'cwd': '/', 'rlimits': ["
		    "{'type': 'RLIMIT_NOFILE', 'soft': 1, 'hard': 2}, "
		    "{'type': 'RLIMIT_CORE', 'soft': 1, 'hard': 2}, "
		    "{'type': 'RLIMIT_NOFILE', 'soft': 1, 'hard': 2}]}}"),
	       "config.json: process.rlimits[2].type: duplicate rlimit \"RLIMIT_NOFILE\"",
	       "duplicate rlimit");
	is_str(verr("{" BASE ", 'process': {'args': ['sh'], 'cwd': '/', 'rlimits': ["
		    "{'type': 'RLIMIT_NOFILE', 'soft': 3, 'hard': 2}]}}"),
	       "config.json: process.rlimits[0]: soft limit 3 is above hard limit 2",
	       "soft above hard");
}

static void
test_paths_hooks(void)
{
	is_str(verr("{" BASE ", 'mounts': [{'destination': '/a'}, {'destination': 'b'}]}"),
	       "config.json: mounts[1].destination: \"b\" is not an absolute path", "mount dest");
	is_str(verr("{" BASE ", 'linux': {'maskedPaths': ['/ok', 'proc/kcore']}}"),
	       "config.json: linux.maskedPaths[1]: \"proc/kcore\" is not an absolute path",
	       "maskedPaths");
	is_str(verr("{" BASE ", 'linux': {'readonlyPaths': ['']}}"),
	       "config.json: linux.readonlyPaths[0]: \"\" is not an absolute path",
	       "readonlyPaths");
	is_str(verr("{" BASE ", 'hooks': {'poststart': [{'path': '/ok'}, {'path': 'rel'}]}}"),
	       "config.json: hooks.poststart[1].path: \"rel\" is not an absolute path",
	       "hook path");
	is_str(verr("{" BASE ", 'hooks': {'createRuntime': [{'path': '/x', 'timeout': 0}]}}"),
	       "config.json: hooks.createRuntime[0].timeout: must be positive, got 0",
	       "hook timeout 0");
	is_str(verr("{" BASE ", 'hooks': {'prestart': [{'path': '/x', 'timeout': -3}]}}"),
	       "config.json: hooks.prestart[0].timeout: must be positive, got -3",
	       "hook timeout negative");
	is_str(verr("{" BASE ", 'hooks': {'prestart': [{'path': '/x', 'timeout': 1}]}}"), "",
	       "hook timeout 1");
	is_str(verr("{" BASE ", 'linux': {'devices': [{'path': 'dev/x', 'type': 'p'}]}}"),
	       "config.json: linux.devices[0].path: \"dev/x\" is not an absolute path",
	       "device path");
	/* a long value is cut and a control character escaped: still one line */
	const char *m = verr("{" BASE ", 'linux': {'maskedPaths': ['a\\nb']}}");
	is_str(m, "config.json: linux.maskedPaths[0]: \"a\\x0ab\" is not an absolute path",
	       "escaped value");
}

static void
test_namespaces(void)
{
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'network', 'path': 'x'}]}}"),
	       "config.json: linux.namespaces: path \"x\" of the network namespace is not "
	       "absolute",
	       "relative namespace path");
	is_str(verr("{" BASE ", 'linux': {'uidMappings': [{'containerID': 0, 'hostID': 1000, "
		    "'size': 1}]}}"),
	       "config.json: linux.uidMappings: mappings need a user namespace in "
	       "linux.namespaces",
	       "uidMappings without userns");
	is_str(verr("{" BASE ", 'linux': {'gidMappings': [{'containerID': 0, 'hostID': 1000, "
		    "'size': 1}]}}"),
	       "config.json: linux.gidMappings: mappings need a user namespace in "
	       "linux.namespaces",
	       "gidMappings without userns");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'user'}], 'uidMappings': "
		    "[{'containerID': 0, 'hostID': 1000, 'size': 1}]}}"),
	       "config.json: linux.gidMappings: a new user namespace needs uid and gid mappings",
	       "userns without gid mappings");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'user'}], 'uidMappings': "
		    "[{'containerID': 0, 'hostID': 1000, 'size': 1}], 'gidMappings': "
		    "[{'containerID': 0, 'hostID': 1000, 'size': 0}]}}"),
	       "config.json: linux.gidMappings[0].size: must not be 0", "empty mapping");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'user'}], 'uidMappings': "
		    "[{'containerID': 0, 'hostID': 1000, 'size': 1}], 'gidMappings': "
		    "[{'containerID': 0, 'hostID': 1000, 'size': 1}]}}"),
	       "", "userns with mappings");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'user', 'path': "
		    "'/proc/1/ns/user'}]}}"),
	       "", "joined userns needs no mappings");
	is_str(verr("{" BASE ", 'linux': {'timeOffsets': {'monotonic': {'secs': 1}}}}"),
	       "config.json: linux.timeOffsets: need a new time namespace in linux.namespaces",
	       "timeOffsets without time ns");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'time', 'path': "
		    "'/proc/1/ns/time'}], 'timeOffsets': {'monotonic': {'secs': 1}}}}"),
	       "config.json: linux.timeOffsets: need a new time namespace in linux.namespaces",
	       "timeOffsets with a joined time ns");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'time'}], 'timeOffsets': "
		    "{'boottime': {'secs': 1, 'nanosecs': 1000000000}}}}"),
	       "config.json: linux.timeOffsets: nanosecs 1000000000 is not below 1000000000",
	       "nanosecs range");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'time'}], 'timeOffsets': "
		    "{'boottime': {'secs': -5, 'nanosecs': 999999999}}}}"),
	       "", "timeOffsets with a new time ns");
	is_str(verr("{" BASE ", 'hostname': 'h'}"),
	       "config.json: hostname: \"h\" needs a uts namespace in linux.namespaces",
	       "hostname without uts");
	is_str(verr("{" BASE ", 'domainname': 'd', 'linux': {'namespaces': [{'type': 'pid'}]}}"),
	       "config.json: domainname: \"d\" needs a uts namespace in linux.namespaces",
	       "domainname without uts");
	is_str(verr("{" BASE ", 'hostname': 'h', 'domainname': 'd', 'linux': {'namespaces': "
		    "[{'type': 'uts'}]}}"),
	       "", "hostname with uts");
}

static void
test_sysctl(void)
{
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'network'}, {'type': 'ipc'}, "
		    "{'type': 'uts'}], 'sysctl': {'kernel.foo': '1'}}}"),
	       "config.json: linux.sysctl: \"kernel.foo\" is not namespaced", "not namespaced");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'network'}], 'sysctl': "
		    "{'net.ipv4.ip_forward': '1', 'vm.swappiness': '1'}}}"),
	       "config.json: linux.sysctl: \"vm.swappiness\" is not namespaced", "vm.*");
	is_str(verr("{" BASE ", 'linux': {'sysctl': {'net.ipv4.ip_forward': '1'}}}"),
	       "config.json: linux.sysctl: \"net.ipv4.ip_forward\" needs a network namespace in "
	       "linux.namespaces",
	       "net.* without network ns");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'network'}], 'sysctl': "
		    "{'kernel.shmmax': '1'}}}"),
	       "config.json: linux.sysctl: \"kernel.shmmax\" needs an ipc namespace in "
	       "linux.namespaces",
	       "kernel.shm* without ipc ns");
	is_str(verr("{" BASE ", 'linux': {'sysctl': {'kernel.hostname': 'x'}}}"),
	       "config.json: linux.sysctl: \"kernel.hostname\" needs a uts namespace in "
	       "linux.namespaces",
	       "kernel.hostname without uts");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'network'}, {'type': 'ipc'}, "
		    "{'type': 'uts'}], 'sysctl': {'net.ipv4.ip_forward': '1', 'kernel.msgmax': "
		    "'1', 'kernel.sem': '1 2 3 4', 'fs.mqueue.queues_max': '1', "
		    "'kernel.domainname': 'x'}}}"),
	       "", "namespaced sysctls pass");
	is_str(verr("{" BASE ", 'linux': {'namespaces': [{'type': 'network'}], 'sysctl': "
		    "{'net/../../kernel/core_pattern': '|x'}}}"),
	       "config.json: linux.sysctl: \"net/../../kernel/core_pattern\" is not namespaced",
	       "path tricks refused");
}

#define SECCOMP(rest) "{" BASE ", 'linux': {'seccomp': {'defaultAction': " rest "}}}"

static void
test_seccomp(void)
{
	is_str(verr(SECCOMP("'SCMP_ACT_ERRNO', 'defaultErrnoRet': 1, 'syscalls': [{'names': "
			    "['read'], 'action': 'SCMP_ACT_ALLOW'}, {'names': ['ptrace'], "
			    "'action': 'SCMP_ACT_TRACE', 'errnoRet': 38}]")),
	       "", "valid profile");
	is_str(verr(SECCOMP("'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
			    "'SCMP_ACT_ALLOW', 'errnoRet': 1}]")),
	       "config.json: linux.seccomp.syscalls[0].errnoRet: not allowed with action "
	       "SCMP_ACT_ALLOW (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno)",
	       "errnoRet on ALLOW");
	is_str(verr(SECCOMP("'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': "
			    "'SCMP_ACT_ERRNO'}, {'names': ['x'], 'action': 'SCMP_ACT_KILL', "
			    "'errnoRet': 1}]")),
	       "config.json: linux.seccomp.syscalls[1].errnoRet: not allowed with action "
	       "SCMP_ACT_KILL_THREAD (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno)",
	       "errnoRet on KILL");
	is_str(verr(SECCOMP("'SCMP_ACT_LOG', 'defaultErrnoRet': 1")),
	       "config.json: linux.seccomp.defaultErrnoRet: not allowed with defaultAction "
	       "SCMP_ACT_LOG (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno)",
	       "defaultErrnoRet on LOG");
	is_str(verr(SECCOMP("'SCMP_ACT_ALLOW', 'listenerMetadata': 'm'")),
	       "config.json: linux.seccomp.listenerMetadata: set without listenerPath",
	       "listenerMetadata without listenerPath");
	is_str(verr(SECCOMP("'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['mkdir'], 'action': "
			    "'SCMP_ACT_NOTIFY'}]")),
	       "config.json: linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs "
	       "linux.seccomp.listenerPath",
	       "NOTIFY without listenerPath");
	is_str(verr(SECCOMP("'SCMP_ACT_ALLOW', 'listenerPath': '/l.sock', 'listenerMetadata': "
			    "'m', 'syscalls': [{'names': ['mkdir'], 'action': "
			    "'SCMP_ACT_NOTIFY'}]")),
	       "", "NOTIFY with listenerPath");
	is_str(verr(SECCOMP("'SCMP_ACT_NOTIFY', 'listenerPath': '/l.sock'")),
	       "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default "
	       "action",
	       "NOTIFY as the default");
	is_str(verr(SECCOMP("'SCMP_ACT_ALLOW', 'listenerPath': '/l.sock', 'syscalls': [{'names': "
			    "['read', 'write'], 'action': 'SCMP_ACT_NOTIFY'}]")),
	       "config.json: linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for "
	       "the write syscall",
	       "NOTIFY on write, in runc's words");
	is_str(verr(SECCOMP("'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['x'], 'action': "
			    "'SCMP_ACT_ERRNO', 'args': [{'index': 5, 'value': 0, 'op': "
			    "'SCMP_CMP_EQ'}, {'index': 6, 'value': 0, 'op': 'SCMP_CMP_EQ'}]}]")),
	       "config.json: linux.seccomp.syscalls[0].args[1].index: 6 is above 5 (syscalls "
	       "have 6 arguments)",
	       "arg index 6");
	is_str(verr(SECCOMP("'SCMP_ACT_ALLOW', 'syscalls': [{'names': [], 'action': "
			    "'SCMP_ACT_ERRNO'}]")),
	       "config.json: linux.seccomp.syscalls[0].names: must not be empty", "no names");
	is_str(verr(SECCOMP("'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read', ''], 'action': "
			    "'SCMP_ACT_ERRNO'}]")),
	       "config.json: linux.seccomp.syscalls[0].names[1]: empty name", "empty name");
}

static void
test_personality(void)
{
	struct lc_err err = { 0 };
	struct lc_spec *s = parse("{" BASE ", 'linux': {'personality': {'domain': 'LINUX32'}}}");

	ok(s != NULL, "personality parses");
	if (!s)
		return;
	is_int(spec_validate(s, &err), 0, "LINUX32 passes");
	/* only reachable when a caller builds the struct itself */
	s->linux_.personality = PER_BSD;
	is_int(spec_validate(s, &err), -EINVAL, "unknown domain refused");
	is_str(err.msg, "config.json: linux.personality.domain: unknown domain 0x6",
	       "unknown domain message");
	spec_free(s);
}

static void
test_ids(void)
{
	struct lc_err err = { 0 };
	char big[1100];

	is_int(lc_id_validate("abc", &err), 0, "abc");
	is_int(lc_id_validate("A-b_c.d+e9", &err), 0, "all allowed characters");
	is_int(lc_id_validate("...", &err), 0, "... is a plain name");
	memset(big, 'a', 1024);
	big[1024] = '\0';
	is_int(lc_id_validate(big, &err), 0, "1024 bytes");
	big[1024] = 'a';
	big[1025] = '\0';
	is_int(lc_id_validate(big, &err), -EINVAL, "1025 bytes");
	has_str(err.msg, "longer than 1024 bytes", "too long message");
	ok(strlen(err.msg) < 300, "the message does not repeat the whole id");

	is_int(lc_id_validate("", &err), -EINVAL, "empty");
	is_str(err.msg, "invalid container id \"\": must not be empty", "empty message");
	is_int(lc_id_validate(NULL, &err), -EINVAL, "NULL");
	is_int(lc_id_validate(".", &err), -EINVAL, ".");
	is_str(err.msg, "invalid container id \".\": reserved name", ". message");
	is_int(lc_id_validate("..", &err), -EINVAL, "..");
	is_str(err.msg, "invalid container id \"..\": reserved name", ".. message");
	is_int(lc_id_validate("/", &err), -EINVAL, "/");
	is_str(err.msg, "invalid container id \"/\": contains '/'", "/ message");
	is_int(lc_id_validate("../etc", &err), -EINVAL, "../etc");
	is_str(err.msg, "invalid container id \"../etc\": contains '/'", "../etc message");
	is_int(lc_id_validate("a\x01z", &err), -EINVAL, "control character");
	is_str(err.msg, "invalid container id \"a\\x01z\": contains a control character",
	       "control character message");
	is_int(lc_id_validate("a\nb", &err), -EINVAL, "newline");
	is_int(lc_id_validate("a b", &err), -EINVAL, "space");
	is_str(err.msg,
	       "invalid container id \"a b\": contains ' ' (allowed: letters, digits, '_', '+', "
	       "'.', '-')",
	       "space message");
	is_int(lc_id_validate("caf\xc3\xa9", &err), -EINVAL, "non-ASCII");
	has_str(err.msg, "non-ASCII", "non-ASCII message");
	is_int(lc_id_validate("a:b", &err), -EINVAL, "colon");
	is_int(lc_id_validate("x", NULL), 0, "err may be NULL");
	is_int(lc_id_validate("", NULL), -EINVAL, "err may be NULL on failure");
}

int
main(void)
{
	test_basic();
	test_paths_hooks();
	test_namespaces();
	test_sysctl();
	test_seccomp();
	test_personality();
	test_ids();
	return tap_done();
}
