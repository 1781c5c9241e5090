/* spec.c / spec-linux.c / spec-default.c: a full-featured config (fixtures/full-config.json)
 * into every struct field, each error message (exact text), bundle loading, exec's process
 * file, the docker default profile, and `strait spec` output.
 *
 * The default config is checked against the OCI schema when python3-jsonschema and the
 * schema directory are present, with the equivalent of:
 *   python3 -c 'import json,sys,pathlib; from jsonschema import Draft4Validator, RefResolver;
 *     d=pathlib.Path(sys.argv[1]); s=json.load(open(d/"config-schema.json"));
 *     Draft4Validator(s, resolver=RefResolver(d.resolve().as_uri()+"/", s)).validate(
 *     json.load(open(sys.argv[2])))' tests/data/oci-schema config.json
 * (set OCI_SCHEMA_DIR to point elsewhere). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "json.h"
#include "spec.h"
#include "tables.h"
#include "tap.h"

#ifndef FIXTURE_DIR
#define FIXTURE_DIR "tests/unit/fixtures"
#endif
#ifndef DATA_DIR
#define DATA_DIR "tests/data"
#endif
#define DOCKER_PROFILE DATA_DIR "/profiles/docker-default-oci.json"
#define DEFAULT_SCHEMA_DIR DATA_DIR "/oci-schema"

static char *
read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			*ret_len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* Small fixtures are written with ' for " to stay readable. */
static char *
J(const char *s)
{
	char *d = strdup(s);
	for (char *p = d; *p; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

/* Parses a config written with single quotes; returns the error text ("" on success). */
static const char *
parse_err(const char *text)
{
	static struct lc_err err;
	struct lc_spec *s = NULL;
	char *j = J(text);
	int r;

	memset(&err, 0, sizeof(err));
	r = spec_parse(j, strlen(j), "config.json", "/bundle", &s, &err);
	free(j);
	if (r >= 0) {
		spec_free(s);
		return "";
	}
	if (r != -EINVAL)
		printf("# unexpected return %d\n", r);
	return err.msg;
}

static bool
has_opt(const struct spec_mount *m, const char *opt)
{
	for (size_t i = 0; i < m->n_options; i++)
		if (strcmp(m->options[i], opt) == 0)
			return true;
	return false;
}

#define CAP(x) (UINT64_C(1) << (x))

static void
check_process(const struct spec_process *p)
{
	ok(p->present && p->terminal, "process present, terminal");
	ok(p->has_console_size && p->console_height == 25 && p->console_width == 80, "consoleSize");
	is_int(p->user.uid, 1000, "uid");
	is_int(p->user.gid, 1001, "gid");
	ok(p->user.has_umask && p->user.umask == 022, "umask");
	is_int(p->user.n_additional_gids, 2, "additionalGids count");
	ok(p->user.additional_gids[0] == 5 && p->user.additional_gids[1] == 4294967295u,
	   "additionalGids values");
	is_str(p->user.username, "someone", "username");
	is_int(p->n_args, 3, "args count");
	is_str(p->args[2], "echo hi", "args[2]");
	ok(p->args[3] == NULL, "args NULL-terminated");
	is_int(p->n_env, 2, "env count");
	is_str(p->env[1], "TERM=xterm", "env[1]");
	is_str(p->cwd, "/work", "cwd");
	ok(p->has_caps, "has_caps");
	ok(p->caps[CAPSET_BOUNDING] == (CAP(0) | CAP(21) | CAP(40)), "bounding bitmask");
	ok(p->caps[CAPSET_EFFECTIVE] == CAP(5), "effective bitmask");
	ok(p->caps[CAPSET_INHERITABLE] == 0, "inheritable empty");
	ok(p->caps[CAPSET_PERMITTED] == (CAP(5) | CAP(13)), "permitted bitmask");
	ok(p->caps[CAPSET_AMBIENT] == CAP(5), "ambient bitmask");
	is_int(p->n_rlimits, 2, "rlimits count");
	ok(p->rlimits[0].resource == RLIMIT_NOFILE && p->rlimits[0].soft == 1024 &&
		   p->rlimits[0].hard == 4096,
	   "RLIMIT_NOFILE 1024/4096");
	ok(p->rlimits[1].resource == RLIMIT_CORE && p->rlimits[1].soft == UINT64_MAX &&
		   p->rlimits[1].hard == UINT64_MAX,
	   "RLIMIT_CORE unlimited, exact");
	ok(p->no_new_privileges, "noNewPrivileges");
	ok(p->has_oom_score_adj && p->oom_score_adj == -500, "oomScoreAdj");
	is_str(p->apparmor_profile, "strait-default", "apparmorProfile");
	is_str(p->selinux_label, "system_u:system_r:container_t:s0", "selinuxLabel");
}

static void
check_mounts(const struct lc_spec *s)
{
	const struct spec_mount *m;

	is_int(s->n_mounts, 6, "mounts count");
	m = &s->mounts[0];
	ok(!m->bind && !m->flags && !m->data && m->propagation == PROP_NONE, "proc: plain");
	is_str(m->source, "proc", "non-bind source is not a path");
	m = &s->mounts[1];
	ok(m->flags == (MS_NOSUID | MS_STRICTATIME), "tmpfs flags");
	is_str(m->data, "mode=755,size=65536k", "tmpfs data keeps unknown options in order");
	is_int(m->n_options, 4, "original options kept");
	m = &s->mounts[2];
	ok(m->bind && m->rbind, "rbind is a recursive bind");
	ok(m->flags ==
		   (MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME),
	   "rbind flags: %#lx", m->flags);
	ok(m->propagation == PROP_RSLAVE && m->rro, "rslave, rro");
	is_str(m->source, "/bundle/data/dir", "relative bind source resolved in the bundle");
	ok(m->data == NULL, "no data");
	m = &s->mounts[3];
	ok(m->bind && !m->rbind, "bind");
	ok(m->flags == MS_BIND, "ro then rw: not read-only; flags %#lx", m->flags);
	ok(m->clear_flags == (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME),
	   "rw suid dev exec atime clear flags: %#lx", m->clear_flags);
	ok(m->propagation == PROP_PRIVATE && !m->rro, "private, rrw");
	is_str(m->source, "/abs/src", "absolute source unchanged");
	ok(m->type == NULL, "no type");
	m = &s->mounts[4];
	/* sync/async, mand/nomand, diratime/nodiratime: the later one wins */
	ok(m->flags == (MS_DIRSYNC | MS_REMOUNT | MS_NOATIME | MS_NODIRATIME),
	   "later flag options override: %#lx", m->flags);
	ok(m->clear_flags == (MS_SYNCHRONOUS | MS_MANDLOCK | MS_RELATIME | MS_STRICTATIME),
	   "cleared: %#lx", m->clear_flags);
	ok(m->propagation == PROP_SHARED && m->tmpcopyup, "shared, tmpcopyup");
	is_str(m->data, "uid=0,gid=0", "tmpfs data");
	m = &s->mounts[5];
	ok(m->idmap && m->ridmap && m->bind, "idmap, ridmap");
	ok(m->propagation == PROP_RUNBINDABLE, "last propagation wins");
	ok(m->n_uid_mappings == 1 && m->uid_mappings[0].host_id == 100000 &&
		   m->uid_mappings[0].size == 65536,
	   "mount uidMappings");
	ok(m->n_gid_mappings == 1 && m->gid_mappings[0].host_id == 200000, "mount gidMappings");
	ok(has_opt(m, "idmap"), "options kept as strings");
}

static void
check_hooks_annotations(const struct lc_spec *s)
{
	is_int(s->n_hooks[HOOK_PRESTART], 1, "prestart count");
	is_str(s->hooks[HOOK_PRESTART][0].path, "/bin/pre", "prestart path");
	is_str(s->hooks[HOOK_PRESTART][0].args[1], "a", "prestart args");
	is_str(s->hooks[HOOK_PRESTART][0].env[0], "X=1", "prestart env");
	ok(s->hooks[HOOK_PRESTART][0].has_timeout && s->hooks[HOOK_PRESTART][0].timeout == 5,
	   "prestart timeout");
	is_int(s->n_hooks[HOOK_CREATE_RUNTIME], 2, "createRuntime count");
	is_str(s->hooks[HOOK_CREATE_RUNTIME][1].path, "/bin/cr2", "createRuntime[1]");
	ok(!s->hooks[HOOK_CREATE_RUNTIME][0].has_timeout, "no timeout");
	ok(s->hooks[HOOK_CREATE_RUNTIME][0].args == NULL, "no args");
	is_str(s->hooks[HOOK_CREATE_CONTAINER][0].path, "/bin/cc", "createContainer");
	is_str(s->hooks[HOOK_START_CONTAINER][0].path, "/bin/sc", "startContainer");
	is_str(s->hooks[HOOK_POSTSTART][0].path, "/bin/ps", "poststart");
	is_str(s->hooks[HOOK_POSTSTOP][0].path, "/bin/pst", "poststop");
	is_int(s->n_annotations, 2, "annotations count");
	is_str(spec_annotation(s, "org.example.key"), "value", "annotation lookup");
	is_str(spec_annotation(s, "run.oci.seccomp_fail_unknown_syscall"), "1", "annotation 2");
	ok(spec_annotation(s, "nope") == NULL, "missing annotation");
}

static void
check_linux(const struct spec_linux *l)
{
	const struct spec_resources *r = &l->resources;

	for (int t = 0; t < NS__COUNT; t++)
		ok(l->ns[t].present, "namespace %s present", table_ns_name((enum ns_type)t));
	is_str(l->ns[NS_NET].path, "/var/run/netns/x", "network ns path");
	ok(l->ns[NS_PID].path == NULL, "pid ns new");
	ok(l->n_uid_mappings == 2 && l->uid_mappings[1].container_id == 1 &&
		   l->uid_mappings[1].host_id == 100000 && l->uid_mappings[1].size == 65535,
	   "uidMappings");
	ok(l->n_gid_mappings == 1 && l->gid_mappings[0].host_id == 1000, "gidMappings");
	is_int(l->n_time_offsets, 2, "timeOffsets count");
	ok(l->time_offsets[0].clock == CLOCK_MONOTONIC && l->time_offsets[0].secs == -86400 &&
		   l->time_offsets[0].nanosecs == 500,
	   "monotonic offset");
	ok(l->time_offsets[1].clock == CLOCK_BOOTTIME && l->time_offsets[1].secs == 3600,
	   "boottime offset");
	is_int(l->n_devices, 2, "devices count");
	ok(l->devices[0].type == 'c' && l->devices[0].major == 10 && l->devices[0].minor == 229,
	   "device numbers");
	ok(l->devices[0].has_file_mode && l->devices[0].file_mode == 0666, "device fileMode");
	ok(l->devices[0].has_uid && l->devices[0].has_gid, "device uid/gid");
	ok(l->devices[1].type == 'p' && !l->devices[1].has_file_mode, "fifo device");
	is_str(l->cgroups_path, "/strait/full", "cgroupsPath");
	ok(r->present, "resources present");
	ok(r->has_mem_limit && r->mem_limit == 536870912, "memory limit");
	ok(r->has_mem_reservation && r->mem_reservation == 268435456, "memory reservation");
	ok(r->has_mem_swap && r->mem_swap == -1, "memory swap -1");
	ok(r->has_mem_kernel && r->mem_kernel == 0, "memory kernel");
	ok(r->has_mem_swappiness && r->mem_swappiness == 10, "swappiness");
	ok(r->disable_oom_killer, "disableOOMKiller");
	ok(r->has_pids_limit && r->pids_limit == 100, "pids limit");
	ok(r->has_cpu_shares && r->cpu_shares == 512, "cpu shares");
	ok(r->has_cpu_quota && r->cpu_quota == 50000, "cpu quota");
	ok(r->has_cpu_period && r->cpu_period == 100000, "cpu period");
	ok(r->has_cpu_rt_runtime && r->cpu_rt_runtime == 0, "rt runtime");
	ok(r->has_cpu_rt_period && r->cpu_rt_period == 1000000, "rt period");
	is_str(r->cpu_cpus, "0-1", "cpus");
	is_str(r->cpu_mems, "0", "mems");
	ok(r->has_blkio_weight && r->blkio_weight == 500, "blkio weight");
	ok(r->has_blkio_leaf_weight && r->blkio_leaf_weight == 300, "blkio leaf weight");
	ok(r->n_blkio_weight_devs == 1 && r->blkio_weight_devs[0].major == 8 &&
		   r->blkio_weight_devs[0].has_weight && r->blkio_weight_devs[0].weight == 600 &&
		   !r->blkio_weight_devs[0].has_leaf_weight,
	   "weightDevice");
	ok(r->n_blkio_throttle[BLKIO_READ_BPS] == 1 && r->blkio_throttle[BLKIO_READ_BPS][0].rate == 1048576,
	   "throttleReadBpsDevice");
	ok(r->n_blkio_throttle[BLKIO_WRITE_IOPS] == 1 &&
		   r->blkio_throttle[BLKIO_WRITE_IOPS][0].minor == 16 &&
		   r->blkio_throttle[BLKIO_WRITE_IOPS][0].rate == 300,
	   "throttleWriteIOPSDevice");
	ok(!r->n_blkio_throttle[BLKIO_WRITE_BPS] && !r->n_blkio_throttle[BLKIO_READ_IOPS], "absent lists");
	ok(r->n_hugepages == 1 && !strcmp(r->hugepages[0].page_size, "2MB") && r->hugepages[0].limit == 0,
	   "hugepageLimits");
	ok(r->has_net_classid && r->net_classid == 1048577, "network.classID");
	ok(r->n_net_priorities == 1 && !strcmp(r->net_priorities[0].name, "eth0") &&
		   r->net_priorities[0].priority == 5,
	   "network.priorities");
	ok(r->n_rdma == 1 && !strcmp(r->rdma[0].device, "mlx5_1") && r->rdma[0].has_handles &&
		   r->rdma[0].handles == 3 && r->rdma[0].objects == 10000,
	   "rdma");
	is_int(r->n_devices, 3, "device rules");
	ok(!r->devices[0].allow && r->devices[0].type == 'a' && r->devices[0].major == -1 &&
		   r->devices[0].minor == -1 && strcmp(r->devices[0].access, "rwm") == 0,
	   "deny all");
	ok(r->devices[1].allow && r->devices[1].type == 'c' && r->devices[1].major == 1 &&
		   r->devices[1].minor == 3 && strcmp(r->devices[1].access, "rw") == 0,
	   "allow c 1:3 rw");
	ok(r->devices[2].type == 'b' && r->devices[2].minor == -1 &&
		   strcmp(r->devices[2].access, "rwm") == 0,
	   "b 8:* rwm");
	ok(r->unified && strcmp(r->unified[0], "memory.high") == 0 &&
		   strcmp(r->unified[1], "400M") == 0 &&
		   strcmp(r->unified[3], "default 100") == 0 && r->unified[4] == NULL,
	   "unified pairs");
	is_int(l->n_sysctl, 3, "sysctl count");
	is_str(l->sysctl[0].key, "net.ipv4.ip_forward", "sysctl key");
	is_str(l->sysctl[0].value, "1", "sysctl value");
	ok(l->n_masked_paths == 2 && strcmp(l->masked_paths[1], "/sys/firmware") == 0,
	   "maskedPaths");
	ok(l->n_readonly_paths == 1 && strcmp(l->readonly_paths[0], "/proc/sys") == 0,
	   "readonlyPaths");
	ok(l->has_rootfs_propagation && l->rootfs_propagation == MS_SLAVE, "rootfsPropagation");
	is_str(l->mount_label, "system_u:object_r:container_file_t:s0", "mountLabel");
	ok(l->has_personality && l->personality == (PER_LINUX32 | ADDR_NO_RANDOMIZE),
	   "personality");
}

static void
check_seccomp(const struct spec_seccomp *sc)
{
	ok(sc->present, "seccomp present");
	is_int(sc->default_action, SCMP_ACT_ERRNO_, "defaultAction");
	ok(sc->has_default_errno_ret && sc->default_errno_ret == 38, "defaultErrnoRet");
	ok(sc->n_architectures == 3 && strcmp(sc->architectures[2], "SCMP_ARCH_X32") == 0,
	   "architectures");
	ok(sc->n_flags == 2 && strcmp(sc->flags[1], "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0,
	   "flags");
	is_str(sc->listener_path, "/run/listener.sock", "listenerPath");
	is_str(sc->listener_metadata, "meta", "listenerMetadata");
	is_int(sc->n_rules, 10, "rules");
	ok(sc->rules[0].n_names == 2 && strcmp(sc->rules[0].names[1], "write") == 0, "rule names");
	is_int(sc->rules[0].action, SCMP_ACT_ALLOW_, "ALLOW");
	is_int(sc->rules[1].n_args, 2, "args count");
	ok(sc->rules[1].args[0].value == UINT64_MAX && sc->rules[1].args[0].op == SCMP_OP_EQ,
	   "arg value UINT64_MAX exact");
	ok(sc->rules[1].args[1].index == 5 && sc->rules[1].args[1].value == 255 &&
		   sc->rules[1].args[1].value_two == UINT64_MAX - 1 &&
		   sc->rules[1].args[1].op == SCMP_OP_MASKED_EQ,
	   "MASKED_EQ with valueTwo");
	ok(sc->rules[2].action == SCMP_ACT_ERRNO_ && sc->rules[2].has_errno_ret &&
		   sc->rules[2].errno_ret == 1,
	   "ERRNO errnoRet 1");
	ok(!sc->rules[0].has_errno_ret, "no errnoRet");
	is_int(sc->rules[3].action, SCMP_ACT_KILL_THREAD_, "KILL");
	is_int(sc->rules[4].action, SCMP_ACT_KILL_PROCESS_, "KILL_PROCESS");
	is_int(sc->rules[5].action, SCMP_ACT_KILL_THREAD_, "KILL_THREAD");
	is_int(sc->rules[6].action, SCMP_ACT_TRAP_, "TRAP");
	ok(sc->rules[7].action == SCMP_ACT_TRACE_ && sc->rules[7].errno_ret == 2, "TRACE");
	is_int(sc->rules[8].action, SCMP_ACT_LOG_, "LOG");
	is_int(sc->rules[9].action, SCMP_ACT_NOTIFY_, "NOTIFY");
	ok(sc->rules[9].args[0].op == SCMP_OP_NE && sc->rules[9].args[1].op == SCMP_OP_LT &&
		   sc->rules[9].args[2].op == SCMP_OP_LE && sc->rules[9].args[3].op == SCMP_OP_GE &&
		   sc->rules[9].args[4].op == SCMP_OP_GT,
	   "all operators");
}

static void
test_full(void)
{
	struct lc_err err = { 0 };
	struct lc_spec *s = NULL;
	size_t len = 0;
	char *text = read_file(FIXTURE_DIR "/full-config.json", &len);

	ok(text != NULL, "fixture %s readable", FIXTURE_DIR "/full-config.json");
	if (!text)
		return;
	int r = spec_parse(text, len, "config.json", "/bundle", &s, &err);
	is_int(r, 0, "full config parses: %s", err.msg);
	free(text);
	if (r < 0)
		return;
	is_str(s->oci_version, "1.3.0", "ociVersion");
	is_str(s->bundle, "/bundle", "bundle");
	is_str(s->root_path, "/bundle/rootfs", "root.path resolved in the bundle");
	ok(s->root_readonly, "root.readonly");
	is_str(s->hostname, "full", "hostname");
	is_str(s->domainname, "example.org", "domainname");
	check_process(&s->process);
	check_mounts(s);
	check_hooks_annotations(s);
	check_linux(&s->linux_);
	check_seccomp(&s->linux_.seccomp);
	ok(s->raw && json_get(json_get(s->raw, "x-unknown-extension"), "kept"),
	   "unknown fields stay in raw");
	ok(json_get(json_get(s->raw, "linux"), "intelRdt") != NULL, "unsupported fields in raw");
	spec_free(s);
}

static void
test_errors(void)
{
	is_str(parse_err("{'process': {'cwd': '/', 'args': 3}}"),
	       "config.json: process.args: expected array of strings, got number 3", "args type");
	is_str(parse_err("{'process': {'cwd': '/', 'args': ['a', true]}}"),
	       "config.json: process.args[1]: expected string, got boolean true", "args element");
	is_str(parse_err("{'linux': {'namespaces': [{'type': 'pid'}, {'type': 'foo'}]}}"),
	       "config.json: linux.namespaces[1].type: unknown namespace \"foo\"", "namespace");
	is_str(parse_err("{'linux': {'namespaces': [{'type': 'pid'}, {'type': 'pid'}]}}"),
	       "config.json: linux.namespaces[1].type: duplicate namespace \"pid\"",
	       "duplicate namespace");
	is_str(parse_err("{'linux': {'namespaces': [{}]}}"),
	       "config.json: linux.namespaces[0].type: missing required field", "namespace type");
	is_str(parse_err("{'process': {'cwd': '/', 'capabilities': {'bounding': "
			 "['CAP_KILL', 'CAP_CHOWN', 'CAP_FOO']}}}"),
	       "config.json: process.capabilities.bounding[2]: unknown capability \"CAP_FOO\"",
	       "capability");
	is_str(parse_err("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', "
			 "'syscalls': [{'names': ['x'], 'action': 'SCMP_ACT_FOO'}]}}}"),
	       "config.json: linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_FOO\"",
	       "seccomp action");
	is_str(parse_err("{'linux': {'seccomp': {'defaultAction': 'ALLOW'}}}"),
	       "config.json: linux.seccomp.defaultAction: unknown action \"ALLOW\"",
	       "default action");
	is_str(parse_err("{'linux': {'seccomp': {}}}"),
	       "config.json: linux.seccomp.defaultAction: missing required field",
	       "defaultAction required");
	is_str(parse_err("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': "
			 "[{'names': ['x'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, "
			 "'value': 1, 'op': 'SCMP_CMP_FOO'}]}]}}}"),
	       "config.json: linux.seccomp.syscalls[0].args[0].op: unknown operator "
	       "\"SCMP_CMP_FOO\"",
	       "seccomp operator");
	is_str(parse_err("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': "
			 "[{'names': ['x'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, "
			 "'op': 'SCMP_CMP_EQ'}]}]}}}"),
	       "config.json: linux.seccomp.syscalls[0].args[0].value: missing required field",
	       "seccomp arg value required");
	is_str(parse_err("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': "
			 "[{'names': ['x'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, "
			 "'value': 18446744073709551616, 'op': 'SCMP_CMP_EQ'}]}]}}}"),
	       "config.json: linux.seccomp.syscalls[0].args[0].value: expected unsigned 64-bit "
	       "integer, got number 18446744073709551616",
	       "seccomp value above UINT64_MAX");
	is_str(parse_err("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', "
			 "'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_VAX']}}}"),
	       "config.json: linux.seccomp.architectures[1]: unknown architecture "
	       "\"SCMP_ARCH_VAX\"",
	       "seccomp arch");
	is_str(parse_err("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', "
			 "'flags': ['SECCOMP_FILTER_FLAG_FOO']}}}"),
	       "config.json: linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FOO\"",
	       "seccomp flag");
	is_str(parse_err("{'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', "
			 "'syscalls': [{'action': 'SCMP_ACT_ALLOW'}]}}}"),
	       "config.json: linux.seccomp.syscalls[0].names: missing required field",
	       "syscall names required");
	is_str(parse_err("{'process': {'args': ['sh']}}"),
	       "config.json: process.cwd: missing required field", "cwd required");
	is_str(parse_err("{'process': {'cwd': '/', 'user': {'uid': -1, 'gid': 0}}}"),
	       "config.json: process.user.uid: expected integer in [0, 4294967295], got number -1",
	       "uid range");
	is_str(parse_err("{'process': {'cwd': '/', 'user': {'uid': 0}}}"),
	       "config.json: process.user.gid: missing required field", "gid required");
	is_str(parse_err("{'process': {'cwd': '/', 'user': {'uid': '0', 'gid': 0}}}"),
	       "config.json: process.user.uid: expected integer in [0, 4294967295], got string "
	       "\"0\"",
	       "uid as string");
	is_str(parse_err("{'process': {'cwd': '/', 'rlimits': [{'type': 'RLIMIT_FOO', 'soft': 1, "
			 "'hard': 1}]}}"),
	       "config.json: process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"", "rlimit");
	is_str(parse_err("{'process': {'cwd': '/', 'rlimits': [{'type': 'RLIMIT_CORE', "
			 "'soft': 1}]}}"),
	       "config.json: process.rlimits[0].hard: missing required field", "rlimit hard");
	is_str(parse_err("{'process': {'cwd': '/', 'rlimits': [{'type': 'RLIMIT_CORE', "
			 "'soft': -1, 'hard': 1}]}}"),
	       "config.json: process.rlimits[0].soft: expected unsigned 64-bit integer, got "
	       "number -1",
	       "rlimit soft negative");
	is_str(parse_err("{'process': {'cwd': '/', 'terminal': 'yes'}}"),
	       "config.json: process.terminal: expected boolean, got string \"yes\"", "terminal");
	is_str(parse_err("{'process': {'cwd': '/', 'oomScoreAdj': 1.5}}"),
	       "config.json: process.oomScoreAdj: expected integer in [-2147483648, 2147483647], "
	       "got number 1.5",
	       "oomScoreAdj fraction");
	is_str(parse_err("{'root': {'readonly': true}}"),
	       "config.json: root.path: missing required field", "root.path required");
	is_str(parse_err("{'mounts': [{'destination': '/a'}, {'type': 'tmpfs'}]}"),
	       "config.json: mounts[1].destination: missing required field", "destination");
	is_str(parse_err("{'mounts': [{'destination': '/a', 'options': 'ro'}]}"),
	       "config.json: mounts[0].options: expected array of strings, got string \"ro\"",
	       "options type");
	is_str(parse_err("{'mounts': {}}"),
	       "config.json: mounts: expected array of mounts, got object", "mounts type");
	is_str(parse_err("{'hooks': {'poststop': [{'args': []}]}}"),
	       "config.json: hooks.poststop[0].path: missing required field", "hook path");
	is_str(parse_err("{'hooks': {'prestart': [{'path': '/x', 'timeout': 'x'}]}}"),
	       "config.json: hooks.prestart[0].timeout: expected integer in [-2147483648, "
	       "2147483647], got string \"x\"",
	       "hook timeout type");
	is_str(parse_err("{'annotations': {'a': 'b', 'c': 1}}"),
	       "config.json: annotations[\"c\"]: expected string, got number 1", "annotation");
	is_str(parse_err("{'linux': {'uidMappings': [{'containerID': 0, 'hostID': 0}]}}"),
	       "config.json: linux.uidMappings[0].size: missing required field", "id map size");
	is_str(parse_err("{'linux': {'timeOffsets': {'realtime': {'secs': 1}}}}"),
	       "config.json: linux.timeOffsets: unknown clock (expected monotonic or boottime) "
	       "\"realtime\"",
	       "time offset clock");
	is_str(parse_err("{'linux': {'devices': [{'path': '/dev/x', 'type': 'x'}]}}"),
	       "config.json: linux.devices[0].type: unknown device type \"x\"", "device type");
	is_str(parse_err("{'linux': {'devices': [{'path': '/dev/x', 'type': 'c', 'major': 1}]}}"),
	       "config.json: linux.devices[0].minor: missing required field for device type "
	       "\"c\"",
	       "device minor");
	is_str(parse_err("{'linux': {'resources': {'devices': [{'access': 'rwm'}]}}}"),
	       "config.json: linux.resources.devices[0].allow: missing required field",
	       "device rule allow");
	is_str(parse_err(
		       "{'linux': {'resources': {'devices': [{'allow': true, 'access': 'rwx'}]}}}"),
	       "config.json: linux.resources.devices[0].access: invalid access \"rwx\" (expected "
	       "letters from \"rwm\")",
	       "device rule access");
	is_str(parse_err("{'linux': {'resources': {'memory': {'limit': '1g'}}}}"),
	       "config.json: linux.resources.memory.limit: expected 64-bit integer, got string "
	       "\"1g\"",
	       "memory limit type");
	is_str(parse_err("{'linux': {'resources': {'hugepageLimits': [{'pageSize': '2M', 'limit': 1}]}}}"),
	       "config.json: linux.resources.hugepageLimits[0].pageSize: invalid page size \"2M\" "
	       "(expected a number and KB, MB or GB, e.g. \"2MB\")",
	       "hugepage size format");
	is_str(parse_err("{'linux': {'resources': {'hugepageLimits': [{'pageSize': '2MB'}]}}}"),
	       "config.json: linux.resources.hugepageLimits[0].limit: missing required field",
	       "hugepage limit required");
	is_str(parse_err("{'linux': {'resources': {'blockIO': {'throttleReadBpsDevice': [{'major': 8, 'rate': 1}]}}}}"),
	       "config.json: linux.resources.blockIO.throttleReadBpsDevice[0].minor: missing required field",
	       "throttle minor required");
	is_str(parse_err("{'linux': {'resources': {'network': {'priorities': [{'name': 'eth0'}]}}}}"),
	       "config.json: linux.resources.network.priorities[0].priority: missing required field",
	       "priority required");
	has_str(parse_err("{'linux': {'resources': {'rdma': {'mlx5_1': {'hcaHandles': -1}}}}}"),
		"config.json: linux.resources.rdma[\"mlx5_1\"].hcaHandles: expected", "rdma handles");
	is_str(parse_err("{'linux': {'resources': {'blockIO': {'weight': 70000}}}}"),
	       "config.json: linux.resources.blockIO.weight: expected integer in [0, 65535], got "
	       "number 70000",
	       "blkio weight range");
	is_str(parse_err("{'linux': {'sysctl': {'net.x': 1}}}"),
	       "config.json: linux.sysctl[\"net.x\"]: expected string, got number 1", "sysctl");
	is_str(parse_err("{'linux': {'rootfsPropagation': 'sideways'}}"),
	       "config.json: linux.rootfsPropagation: unknown propagation \"sideways\"",
	       "propagation");
	is_str(parse_err("{'linux': {'rootfsPropagation': 'nosuid'}}"),
	       "config.json: linux.rootfsPropagation: unknown propagation \"nosuid\"",
	       "a mount flag is not a propagation");
	is_str(parse_err("{'linux': {'personality': {'domain': 'LINUX64'}}}"),
	       "config.json: linux.personality.domain: unknown personality domain \"LINUX64\"",
	       "personality domain");
	is_str(parse_err("{'linux': {'personality': {'domain': 'LINUX', 'flags': ['NOPE']}}}"),
	       "config.json: linux.personality.flags[0]: unknown personality flag \"NOPE\"",
	       "personality flag");
	is_str(parse_err("{'linux': []}"), "config.json: linux: expected object, got array",
	       "linux type");
	is_str(parse_err("[1]"), "config.json: expected a JSON object at the top level, got array",
	       "top level");
	is_str(parse_err("{'ociVersion': 1}"),
	       "config.json: ociVersion: expected string, got number 1", "ociVersion type");
	is_str(parse_err("{'hostname': 'a\\nb', 'domainname': 5}"),
	       "config.json: domainname: expected string, got number 5", "domainname type");
	/* a value with a newline stays on one line in the message */
	is_str(parse_err("{'linux': {'namespaces': [{'type': 'a\\nb'}]}}"),
	       "config.json: linux.namespaces[0].type: unknown namespace \"a\\x0ab\"",
	       "control characters are escaped");

	const char *m = parse_err("{'process': ");
	has_str(m, "config.json: invalid JSON: parse error: premature EOF", "invalid JSON");
	ok(strchr(m, '\n') == NULL, "invalid JSON message is one line");
	m = parse_err("{'a': 1,}");
	has_str(m, "config.json: invalid JSON: parse error:", "trailing comma");
	is_str(parse_err("{'ociVersion': '1.3.0', 'process': null, 'linux': null}"), "",
	       "null optional sections are absent");
}

static char tmpdir[] = "/tmp/test-spec.XXXXXX";

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void
test_load(void)
{
	struct lc_err err = { 0 };
	struct lc_spec *s = NULL;
	char path[PATH_MAX], cfg[PATH_MAX], want[PATH_MAX + 64], link[PATH_MAX];

	ok(mkdtemp(tmpdir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/nonexistent", tmpdir);
	is_int(spec_load(path, &s, &err), -ENOENT, "missing bundle");
	snprintf(want, sizeof(want), "bundle %s: No such file or directory", path);
	is_str(err.msg, want, "missing bundle message");

	snprintf(path, sizeof(path), "%s/b", tmpdir);
	mkdir(path, 0755);
	memset(&err, 0, sizeof(err));
	is_int(spec_load(path, &s, &err), -ENOENT, "missing config.json");
	snprintf(want, sizeof(want), "%s/config.json: No such file or directory", path);
	is_str(err.msg, want, "missing config.json message");

	snprintf(cfg, sizeof(cfg), "%s/config.json", path);
	mkdir(cfg, 0755);
	memset(&err, 0, sizeof(err));
	is_int(spec_load(path, &s, &err), -EINVAL, "config.json is a directory");
	snprintf(want, sizeof(want), "%s: not a regular file", cfg);
	is_str(err.msg, want, "directory message");
	rmdir(cfg);

	write_file(cfg, "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"}, "
			"\"process\": {\"cwd\": \"/\", \"args\": 7}}");
	memset(&err, 0, sizeof(err));
	is_int(spec_load(path, &s, &err), -EINVAL, "bad config");
	is_str(err.msg, "config.json: process.args: expected array of strings, got number 7",
	       "load reports config.json errors");

	write_file(cfg, "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"}, "
			"\"mounts\": [{\"destination\": \"/m\", \"source\": \"../x\", "
			"\"options\": [\"bind\"]}]}");
	/* a symlinked, relative bundle path is made canonical */
	snprintf(link, sizeof(link), "%s/link", tmpdir);
	symlink("b", link);
	char cwd[PATH_MAX];
	ok(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
	ok(chdir(tmpdir) == 0, "chdir");
	memset(&err, 0, sizeof(err));
	is_int(spec_load("link/", &s, &err), 0, "load through a relative symlink: %s", err.msg);
	ok(chdir(cwd) == 0, "chdir back");
	if (s) {
		char *real = realpath(path, NULL);
		is_str(s->bundle, real, "bundle is canonical");
		snprintf(want, sizeof(want), "%s/rootfs", real);
		is_str(s->root_path, want, "root.path is absolute");
		snprintf(want, sizeof(want), "%s/../x", real);
		is_str(s->mounts[0].source, want, "bind source resolved against the bundle");
		free(real);
		spec_free(s);
		s = NULL;
	}
	unlink(cfg);
	unlink(link);
	rmdir(path);
	is_int(rmdir(tmpdir), 0, "nothing left in the temp dir");
}

static void
test_process_file(void)
{
	struct lc_err err = { 0 };
	struct spec_process p = { 0 };
	char *j = J("{'args': ['ls', '-l'], 'cwd': '/tmp', 'env': ['A=1'], 'terminal': false, "
		    "'user': {'uid': 7, 'gid': 8}, 'capabilities': {'bounding': ['CAP_KILL']}}");

	is_int(spec_parse_process(j, strlen(j), "process.json", &p, &err), 0, "process file");
	ok(p.present && p.n_args == 2 && strcmp(p.args[1], "-l") == 0, "args");
	is_str(p.cwd, "/tmp", "cwd");
	ok(p.user.uid == 7 && p.user.gid == 8, "user");
	ok(p.has_caps && p.caps[CAPSET_BOUNDING] == CAP(5), "caps");
	spec_process_free(&p);
	ok(p.args == NULL && !p.present, "spec_process_free resets the struct");
	free(j);

	j = J("{'args': ['ls'], 'cwd': '/', 'capabilities': {'ambient': ['CAP_NOPE']}}");
	is_int(spec_parse_process(j, strlen(j), "process.json", &p, &err), -EINVAL, "bad caps");
	is_str(err.msg, "process.json: capabilities.ambient[0]: unknown capability \"CAP_NOPE\"",
	       "process file errors name the file and the field");
	free(j);
	is_int(spec_parse_process("[]", 2, "p.json", &p, &err), -EINVAL, "not an object");
	is_str(err.msg, "p.json: expected object, got array", "not an object message");
	is_int(spec_parse_process("{", 1, "p.json", &p, &err), -EINVAL, "invalid JSON");
	has_str(err.msg, "p.json: invalid JSON: ", "invalid JSON message");
}

/* The seccomp section of a realistic profile, wrapped in a config. Every parsed rule is
 * compared with the JSON it came from. */
static void
test_docker_profile(void)
{
	struct lc_err err = { 0 };
	struct lc_spec *s = NULL;
	size_t len = 0;
	char *prof = read_file(DOCKER_PROFILE, &len);

	if (!prof) {
		ok(0, "docker profile %s not found", DOCKER_PROFILE);
		return;
	}
	size_t cap = len + 128;
	char *cfg = malloc(cap);
	snprintf(cfg, cap,
		 "{\"ociVersion\": \"1.3.0\", \"root\": {\"path\": \"rootfs\"}, "
		 "\"linux\": {\"seccomp\": %s}}",
		 prof);
	free(prof);
	int r = spec_parse(cfg, strlen(cfg), "config.json", "/b", &s, &err);
	free(cfg);
	is_int(r, 0, "docker profile parses: %s", err.msg);
	if (r < 0)
		return;
	is_int(spec_validate(s, &err), 0, "docker profile validates: %s", err.msg);

	const struct spec_seccomp *sc = &s->linux_.seccomp;
	const struct json_val *raw = json_get(json_get(s->raw, "linux"), "seccomp");
	const struct json_val *rules = json_get(raw, "syscalls");
	is_str(table_seccomp_action_name(sc->default_action),
	       json_string(json_get(raw, "defaultAction")), "defaultAction");
	is_int(sc->n_architectures, json_len(json_get(raw, "architectures")), "architectures");
	is_int(sc->n_rules, json_len(rules), "rule count");
	size_t names = 0, args = 0, mismatch = 0;
	for (size_t i = 0; i < sc->n_rules && i < json_len(rules); i++) {
		const struct spec_seccomp_rule *rule = &sc->rules[i];
		const struct json_val *jr = json_at(rules, i), *ja = json_get(jr, "args");
		const char *act = json_string(json_get(jr, "action"));
		uint64_t e = 0;
		if (strcmp(table_seccomp_action_name(rule->action), act) != 0)
			mismatch++;
		if (rule->n_names != json_len(json_get(jr, "names")))
			mismatch++;
		for (size_t n = 0; n < rule->n_names; n++)
			if (strcmp(rule->names[n], json_string(json_at(json_get(jr, "names"), n))))
				mismatch++;
		if (rule->has_errno_ret != (json_get(jr, "errnoRet") != NULL) ||
		    (rule->has_errno_ret &&
		     (json_uint64(json_get(jr, "errnoRet"), &e) < 0 || e != rule->errno_ret)))
			mismatch++;
		if (rule->n_args != json_len(ja))
			mismatch++;
		for (size_t a = 0; a < rule->n_args && a < json_len(ja); a++) {
			uint64_t v = 0, idx = 0;
			json_uint64(json_get(json_at(ja, a), "value"), &v);
			json_uint64(json_get(json_at(ja, a), "index"), &idx);
			if (v != rule->args[a].value || idx != rule->args[a].index ||
			    strcmp(table_seccomp_op_name(rule->args[a].op),
				   json_string(json_get(json_at(ja, a), "op"))))
				mismatch++;
		}
		names += rule->n_names;
		args += rule->n_args;
	}
	is_int(mismatch, 0, "every rule matches its JSON (%zu names, %zu args)", names, args);
	ok(names > 300, "a realistic number of syscall names: %zu", names);
	spec_free(s);
}

static int
hook_profile(char **ret, struct lc_err *err)
{
	*ret = strdup("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, "
		      "\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	return *ret ? 0 : -ENOMEM;
}

static int
hook_broken(char **ret, struct lc_err *err)
{
	*ret = strdup("{\"defaultAction\": ");
	return *ret ? 0 : -ENOMEM;
}

/* Runs the schema check of the file comment when python3-jsonschema and the schema exist;
 * returns -1 to skip. */
static int
schema_check(const char *json)
{
	const char *dir = getenv("OCI_SCHEMA_DIR") ? getenv("OCI_SCHEMA_DIR") : DEFAULT_SCHEMA_DIR;
	char file[] = "/tmp/test-spec-default.XXXXXX", cmd[2048], schema[PATH_MAX];
	int fd, rc;

	snprintf(schema, sizeof(schema), "%s/config-schema.json", dir);
	if (access(schema, R_OK) < 0 ||
	    system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
		return -1;
	fd = mkstemp(file);
	if (fd < 0)
		return 1;
	if (write(fd, json, strlen(json)) != (ssize_t)strlen(json)) {
		close(fd);
		unlink(file);
		return 1;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "python3 -W ignore -c 'import json,sys,pathlib\n"
		 "from jsonschema import Draft4Validator, RefResolver\n"
		 "d=pathlib.Path(sys.argv[1]); s=json.load(open(d/\"config-schema.json\"))\n"
		 "v=Draft4Validator(s, resolver=RefResolver(d.resolve().as_uri()+\"/\", s))\n"
		 "errs=list(v.iter_errors(json.load(open(sys.argv[2]))))\n"
		 "[print(\"#  \", list(e.path), e.message) for e in errs]\n"
		 "sys.exit(1 if errs else 0)' '%s' '%s'",
		 dir, file);
	rc = system(cmd);
	unlink(file);
	return rc == 0 ? 0 : 1;
}

static void
test_default(void)
{
	struct lc_err err = { 0 };
	struct lc_spec *s = NULL;
	char *json = NULL;

	for (int rootless = 0; rootless <= 1; rootless++) {
		const char *what = rootless ? "rootless" : "default";
		is_int(spec_default_json(rootless, &json, &err), 0, "%s config: %s", what, err.msg);
		if (!json)
			return;
		int sc = schema_check(json);
		if (sc < 0)
			ok(1, "%s config schema # SKIP no python3-jsonschema or schema", what);
		else
			is_int(sc, 0, "%s config validates against the OCI config schema", what);
		is_int(spec_parse(json, strlen(json), "config.json", "/b", &s, &err), 0,
		       "%s config parses: %s", what, err.msg);
		if (!s) {
			free(json);
			return;
		}
		is_int(spec_validate(s, &err), 0, "%s config passes spec_validate: %s", what,
		       err.msg);
		is_str(s->oci_version, "1.3.0", "ociVersion 1.3.0");
		ok(s->process.terminal && s->process.n_args == 1 &&
			   strcmp(s->process.args[0], "sh") == 0,
		   "sh on a terminal, as runc spec writes");
		ok(s->process.no_new_privileges, "noNewPrivileges");
		ok(s->process.caps[CAPSET_BOUNDING] == (CAP(29) | CAP(5) | CAP(10)) &&
			   s->process.caps[CAPSET_INHERITABLE] == 0 &&
			   s->process.caps[CAPSET_AMBIENT] == s->process.caps[CAPSET_BOUNDING],
		   "runc's capability set: ambient listed, nothing inheritable (so none raised)");
		ok(s->process.n_rlimits == 1 && s->process.rlimits[0].soft == 1024, "NOFILE 1024");
		ok(s->root_readonly && strcmp(s->root_path, "/b/rootfs") == 0, "root rootfs ro");
		is_str(s->hostname, "strait", "hostname");
		is_int(s->n_mounts, 7, "seven mounts");
		ok(s->linux_.ns[NS_NET].present == !rootless, "network namespace unless rootless");
		ok(s->linux_.ns[NS_USER].present == rootless, "user namespace when rootless");
		ok(s->linux_.ns[NS_CGROUP].present && s->linux_.ns[NS_PID].present, "cgroup, pid");
		ok(s->linux_.n_masked_paths >= 10 && s->linux_.n_readonly_paths == 5, "paths");
		ok(!s->linux_.seccomp.present, "no seccomp without the hook");
		bool gid5 = false;
		for (size_t i = 0; i < s->mounts[2].n_options; i++)
			gid5 |= strcmp(s->mounts[2].options[i], "gid=5") == 0;
		ok(gid5 == !rootless, "devpts gid=5 only when not rootless");
		if (rootless) {
			ok(s->linux_.n_uid_mappings == 1 &&
				   s->linux_.uid_mappings[0].host_id == geteuid() &&
				   s->linux_.gid_mappings[0].host_id == getegid(),
			   "mappings for the current user");
			ok(s->mounts[5].rbind && strcmp(s->mounts[5].source, "/sys") == 0,
			   "sysfs is an rbind");
		} else {
			ok(strcmp(s->mounts[5].type, "sysfs") == 0, "sysfs mount");
			ok(s->linux_.resources.n_devices == 1 &&
				   !s->linux_.resources.devices[0].allow,
			   "devices denied by default");
		}
		spec_free(s);
		s = NULL;
		free(json);
		json = NULL;
	}

	spec_default_seccomp_json = hook_profile;
	is_int(spec_default_json(false, &json, &err), 0, "default config with a seccomp hook");
	if (json && spec_parse(json, strlen(json), "config.json", "/b", &s, &err) == 0) {
		ok(s->linux_.seccomp.present && s->linux_.seccomp.n_rules == 1 &&
			   s->linux_.seccomp.default_errno_ret == 1,
		   "the hook's profile is embedded as linux.seccomp");
		spec_free(s);
	} else {
		ok(0, "the hook's profile is embedded: %s", err.msg);
	}
	free(json);
	json = NULL;
	spec_default_seccomp_json = hook_broken;
	is_int(spec_default_json(false, &json, &err), -EINVAL, "a broken hook profile fails");
	has_str(err.msg, "built-in seccomp profile: invalid JSON", "broken hook message");
	ok(json == NULL, "no output on failure");
	spec_default_seccomp_json = NULL;
}

int
main(void)
{
	test_full();
	test_errors();
	test_load();
	test_process_file();
	test_docker_profile();
	test_default();
	return tap_done();
}
