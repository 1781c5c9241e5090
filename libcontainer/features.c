/* `strait features`: the OCI features document (features-schema.json), built from the
 * same tables and probes the runtime uses, so it cannot drift from what strait does. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cgroup/cgroup.h"
#include "container.h"
#include "error.h"
#include "log.h"
#include "json.h"
#include "seccomp/seccomp.h"
#include "sys.h"
#include "tables.h"

static void
gen_strv(struct json_gen *g, const char *key, const char *const *v)
{
	json_gen_key(g, key);
	json_gen_arr_open(g);
	for (; v && *v; v++)
		json_gen_string(g, *v);
	json_gen_arr_close(g);
}

static void
gen_enabled(struct json_gen *g, const char *key, bool on)
{
	json_gen_key(g, key);
	json_gen_obj_open(g);
	json_gen_key(g, "enabled");
	json_gen_bool(g, on);
	json_gen_obj_close(g);
}

static void
gen_seccomp(struct json_gen *g)
{
	json_gen_key(g, "seccomp");
	json_gen_obj_open(g);
	json_gen_key(g, "enabled");
	json_gen_bool(g, true);
	gen_strv(g, "actions", seccomp_known_actions());
	gen_strv(g, "operators", seccomp_known_operators());
	gen_strv(g, "archs", seccomp_known_archs());
	gen_strv(g, "knownFlags", seccomp_known_flags());
	json_gen_key(g, "supportedFlags");
	json_gen_arr_open(g);
	for (const char *const *f = seccomp_known_flags(); *f; f++)
		if (seccomp_flag_supported(*f) == 1)
			json_gen_string(g, *f);
	json_gen_arr_close(g);
	json_gen_obj_close(g);
}

static bool
word_in(const char *list, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void
gen_linux(struct json_gen *g, const char *controllers)
{
	json_gen_key(g, "linux");
	json_gen_obj_open(g);
	json_gen_key(g, "namespaces");
	json_gen_arr_open(g);
	for (int t = 0; t < NS__COUNT; t++)
		json_gen_string(g, table_ns_name(t));
	json_gen_arr_close(g);
	json_gen_key(g, "capabilities");
	json_gen_arr_open(g);
	for (int c = 0; c <= table_cap_last(); c++)
		if (table_cap_name(c))
			json_gen_string(g, table_cap_name(c));
	json_gen_arr_close(g);
	json_gen_key(g, "cgroup");
	json_gen_obj_open(g);
	json_gen_key(g, "v1");
	json_gen_bool(g, true);
	json_gen_key(g, "v2");
	json_gen_bool(g, true);
	json_gen_key(g, "systemd");
	json_gen_bool(g, false);
	json_gen_key(g, "systemdUser");
	json_gen_bool(g, false);
	json_gen_key(g, "rdma");
	json_gen_bool(g, word_in(controllers, "rdma"));
	json_gen_obj_close(g);
	gen_seccomp(g);
	gen_enabled(g, "apparmor", lsm_apparmor_active());
	gen_enabled(g, "selinux", lsm_selinux_active());
	gen_enabled(g, "intelRdt", false);
	json_gen_key(g, "mountExtensions");
	json_gen_obj_open(g);
	gen_enabled(g, "idmap", false);
	json_gen_obj_close(g);
	gen_enabled(g, "netDevices", false);
	json_gen_obj_close(g);
}

/* strait's own annotations. Those that change what strait does to a container are
 * also listed as potentially unsafe. */
static const char *const strait_annotations[] = {
	"run.oci.seccomp_fail_unknown_syscall",
	NULL,
};

int
lc_features_json(char **ret_json, struct lc_err *err)
{
	static const char *const hooks[] = { "prestart", "createRuntime", "createContainer",
					     "startContainer", "poststart", "poststop", NULL };
	struct json_gen *g = json_gen_new(true);
	_cleanup_free_ char *controllers = NULL;
	struct lc_err cgerr = { 0 };
	size_t len;

	if (!g)
		return lc_err_set(err, ENOMEM, "features");
	/* a host without cgroups can still run containers without resources */
	if (cgroup_usable_controllers(CGROUP_ROOT, &controllers, &cgerr) < 0) {
		log_debug("features: %s", cgerr.msg);
		controllers = strdup("");
	}
	if (!controllers) {
		json_gen_free(g);
		return lc_err_set(err, ENOMEM, "features");
	}
	json_gen_obj_open(g);
	json_gen_key(g, "ociVersionMin");
	json_gen_string(g, "1.0.0");
	json_gen_key(g, "ociVersionMax");
	json_gen_string(g, OCI_SPEC_VERSION);
	gen_strv(g, "hooks", hooks);
	json_gen_key(g, "mountOptions");
	json_gen_arr_open(g);
	const char *o;
	for (size_t i = 0; (o = table_mount_opt_name_at(i)); i++)
		json_gen_string(g, o);
	json_gen_arr_close(g);
	gen_linux(g, controllers);
	json_gen_key(g, "annotations");
	json_gen_obj_open(g);
	json_gen_key(g, "io.github.seccomp.libseccomp.version");
	json_gen_string(g, seccomp_libseccomp_version());
	json_gen_key(g, "org.strait.seccomp.defaultProfileVersion");
	json_gen_string(g, SECCOMP_DEFAULT_PROFILE_VERSION);
	/* what linux.resources can limit here: a field of any other controller is refused */
	json_gen_key(g, "org.strait.cgroup.controllers");
	json_gen_string(g, controllers);
	json_gen_obj_close(g);
	gen_strv(g, "potentiallyUnsafeConfigAnnotations", strait_annotations);
	json_gen_obj_close(g);
	int r = json_gen_finish(g, ret_json, &len);
	json_gen_free(g);
	return r < 0 ? lc_err_set(err, r, "features") : 0;
}
