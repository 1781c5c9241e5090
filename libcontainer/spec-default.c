/* The config.json that `strait spec` writes: a busybox-ready runtime-spec 1.3.0 config in
 * the shape runc users know, and its --rootless variant. The built-in seccomp profile
 * belongs to the seccomp module; it plugs in through spec_default_seccomp_json. The
 * output validates against the OCI config schema (see tests/unit/test-spec.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "error.h"
#include "json.h"
#include "spec.h"

int (*spec_default_seccomp_json)(char **ret_json, struct lc_err *err);

static void
gen_strv(struct json_gen *g, const char *key, const char *const *v)
{
	json_gen_key(g, key);
	json_gen_arr_open(g);
	for (; *v; v++)
		json_gen_string(g, *v);
	json_gen_arr_close(g);
}

/* Only what a shell needs. As in runc's template they are also listed as ambient, which
 * without inheritable raises nothing (the kernel's rule; strait says so in the debug
 * log): exec'd programs of a non-root user get no capabilities. */
static const char *const default_caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE",
					    NULL };

static void
gen_process(struct json_gen *g)
{
	static const char *const args[] = { "sh", NULL };
	static const char *const env[] = {
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"TERM=xterm",
		NULL,
	};

	json_gen_key(g, "process");
	json_gen_obj_open(g);
	/* as runc's: clients drive it through --console-socket, or edit it */
	json_gen_key(g, "terminal");
	json_gen_bool(g, true);
	json_gen_key(g, "user");
	json_gen_obj_open(g);
	json_gen_key(g, "uid");
	json_gen_uint(g, 0);
	json_gen_key(g, "gid");
	json_gen_uint(g, 0);
	json_gen_obj_close(g);
	gen_strv(g, "args", args);
	gen_strv(g, "env", env);
	json_gen_key(g, "cwd");
	json_gen_string(g, "/");
	json_gen_key(g, "capabilities");
	json_gen_obj_open(g);
	gen_strv(g, "bounding", default_caps);
	gen_strv(g, "effective", default_caps);
	gen_strv(g, "permitted", default_caps);
	gen_strv(g, "ambient", default_caps);
	json_gen_obj_close(g);
	json_gen_key(g, "rlimits");
	json_gen_arr_open(g);
	json_gen_obj_open(g);
	json_gen_key(g, "type");
	json_gen_string(g, "RLIMIT_NOFILE");
	json_gen_key(g, "hard");
	json_gen_uint(g, 1024);
	json_gen_key(g, "soft");
	json_gen_uint(g, 1024);
	json_gen_obj_close(g);
	json_gen_arr_close(g);
	json_gen_key(g, "noNewPrivileges");
	json_gen_bool(g, true);
	json_gen_obj_close(g);
}

struct default_mount {
	const char *destination, *type, *source;
	const char *options[8];
};

static const struct default_mount default_mounts[] = {
	{ "/proc", "proc", "proc", { NULL } },
	{ "/dev", "tmpfs", "tmpfs", { "nosuid", "strictatime", "mode=755", "size=65536k" } },
	{ "/dev/pts",
	  "devpts",
	  "devpts",
	  { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5" } },
	{ "/dev/shm", "tmpfs", "shm", { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" } },
	{ "/dev/mqueue", "mqueue", "mqueue", { "nosuid", "noexec", "nodev" } },
	{ "/sys", "sysfs", "sysfs", { "nosuid", "noexec", "nodev", "ro" } },
	{ "/sys/fs/cgroup", "cgroup", "cgroup", { "nosuid", "noexec", "nodev", "relatime", "ro" } },
};

/* Rootless replacements: a user namespace cannot mount sysfs without owning a network
 * namespace, so /sys is bound from the host; devpts gid=5 needs gid 5 mapped. */
static const struct default_mount rootless_sys = {
	"/sys", "none", "/sys", { "rbind", "nosuid", "noexec", "nodev", "ro" }
};

static void
gen_mount(struct json_gen *g, const struct default_mount *m, bool rootless)
{
	json_gen_obj_open(g);
	json_gen_key(g, "destination");
	json_gen_string(g, m->destination);
	json_gen_key(g, "type");
	json_gen_string(g, m->type);
	json_gen_key(g, "source");
	json_gen_string(g, m->source);
	if (m->options[0]) {
		json_gen_key(g, "options");
		json_gen_arr_open(g);
		for (size_t i = 0; i < ARRAY_SIZE(m->options) && m->options[i]; i++) {
			if (rootless && strcmp(m->options[i], "gid=5") == 0)
				continue;
			json_gen_string(g, m->options[i]);
		}
		json_gen_arr_close(g);
	}
	json_gen_obj_close(g);
}

static void
gen_mounts(struct json_gen *g, bool rootless)
{
	json_gen_key(g, "mounts");
	json_gen_arr_open(g);
	for (size_t i = 0; i < ARRAY_SIZE(default_mounts); i++) {
		const struct default_mount *m = &default_mounts[i];
		if (rootless && strcmp(m->destination, "/sys") == 0)
			m = &rootless_sys;
		gen_mount(g, m, rootless);
	}
	json_gen_arr_close(g);
}

static void
gen_id_map(struct json_gen *g, const char *key, unsigned host_id)
{
	json_gen_key(g, key);
	json_gen_arr_open(g);
	json_gen_obj_open(g);
	json_gen_key(g, "containerID");
	json_gen_uint(g, 0);
	json_gen_key(g, "hostID");
	json_gen_uint(g, host_id);
	json_gen_key(g, "size");
	json_gen_uint(g, 1);
	json_gen_obj_close(g);
	json_gen_arr_close(g);
}

static const char *const masked_paths[] = {
	"/proc/acpi",
	"/proc/asound",
	"/proc/kcore",
	"/proc/keys",
	"/proc/latency_stats",
	"/proc/timer_list",
	"/proc/timer_stats",
	"/proc/sched_debug",
	"/sys/firmware",
	"/proc/scsi",
	/* not in runc 1.1.5's: RAPL energy counters leak (CVE-2020-8694 class) */
	"/sys/devices/virtual/powercap",
	NULL,
};

static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

/* Writes "seccomp": <profile> when the seccomp module provides one. */
static int
gen_seccomp(struct json_gen *g, struct lc_err *err)
{
	_cleanup_free_ char *text = NULL;
	struct json_val *v = NULL;
	char reason[256];
	int r;

	if (!spec_default_seccomp_json)
		return 0;
	r = spec_default_seccomp_json(&text, err);
	if (r < 0)
		return r;
	r = json_parse(text, strlen(text), &v, reason, sizeof(reason));
	if (r < 0)
		return lc_err_setx(err, -r, "built-in seccomp profile: invalid JSON: %s", reason);
	json_gen_key(g, "seccomp");
	json_gen_value(g, v);
	json_free(v);
	return 0;
}

static int
gen_linux(struct json_gen *g, bool rootless, struct lc_err *err)
{
	static const char *const ns_root[] = { "pid",	"network", "ipc", "uts",
					       "mount", "cgroup",  NULL };
	static const char *const ns_rootless[] = { "pid",    "ipc",  "uts", "mount",
						   "cgroup", "user", NULL };
	int r;

	json_gen_key(g, "linux");
	json_gen_obj_open(g);
	if (rootless) {
		gen_id_map(g, "uidMappings", (unsigned)geteuid());
		gen_id_map(g, "gidMappings", (unsigned)getegid());
	} else {
		/* deny every device node by default; the runtime adds the standard ones */
		json_gen_key(g, "resources");
		json_gen_obj_open(g);
		json_gen_key(g, "devices");
		json_gen_arr_open(g);
		json_gen_obj_open(g);
		json_gen_key(g, "allow");
		json_gen_bool(g, false);
		json_gen_key(g, "access");
		json_gen_string(g, "rwm");
		json_gen_obj_close(g);
		json_gen_arr_close(g);
		json_gen_obj_close(g);
	}
	json_gen_key(g, "namespaces");
	json_gen_arr_open(g);
	for (const char *const *ns = rootless ? ns_rootless : ns_root; *ns; ns++) {
		json_gen_obj_open(g);
		json_gen_key(g, "type");
		json_gen_string(g, *ns);
		json_gen_obj_close(g);
	}
	json_gen_arr_close(g);
	gen_strv(g, "maskedPaths", masked_paths);
	gen_strv(g, "readonlyPaths", readonly_paths);
	r = gen_seccomp(g, err);
	if (r < 0)
		return r;
	json_gen_obj_close(g);
	return 0;
}

int
spec_default_json(bool rootless, char **ret_json, struct lc_err *err)
{
	struct json_gen *g = json_gen_new(true);
	char *text = NULL;
	size_t len = 0;
	int r;

	if (!g)
		return lc_err_set(err, ENOMEM, "default config");
	json_gen_obj_open(g);
	json_gen_key(g, "ociVersion");
	json_gen_string(g, OCI_SPEC_VERSION);
	gen_process(g);
	json_gen_key(g, "root");
	json_gen_obj_open(g);
	json_gen_key(g, "path");
	json_gen_string(g, "rootfs");
	json_gen_key(g, "readonly");
	json_gen_bool(g, true);
	json_gen_obj_close(g);
	json_gen_key(g, "hostname");
	json_gen_string(g, "strait");
	gen_mounts(g, rootless);
	r = gen_linux(g, rootless, err);
	if (r < 0) {
		json_gen_free(g);
		return r;
	}
	json_gen_obj_close(g);
	r = json_gen_finish(g, &text, &len);
	json_gen_free(g);
	if (r < 0)
		return lc_err_set(err, r, "default config");
	/* end with a newline like any text file (yajl's pretty printer usually adds it) */
	if (len && text[len - 1] == '\n') {
		*ret_json = text;
		return 0;
	}
	char *nl = realloc(text, len + 2);
	if (!nl) {
		free(text);
		return lc_err_set(err, ENOMEM, "default config");
	}
	nl[len] = '\n';
	nl[len + 1] = '\0';
	*ret_json = nl;
	return 0;
}
