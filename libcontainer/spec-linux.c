/* The "linux" object of config.json -> struct spec_linux: namespaces, id mappings, time
 * offsets, devices, cgroup resources (spec-resources.c), sysctl, masked/read-only paths, propagation,
 * personality and the whole seccomp section. Names are mapped through tables.c and an
 * unknown name is an error naming its field; semantic rules are validate.c's. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <time.h>
#include "spec-internal.h"
#include "tables.h"

/* ---- namespaces ---- */

static int
parse_namespaces(struct spec_ctx *c, const struct json_val *v, const char *path,
		 struct spec_linux *l)
{
	char p[SPEC_PATH_LEN], pt[SPEC_PATH_LEN];
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_ARRAY, "array of namespaces");
	if (r < 0)
		return r;
	for (size_t i = 0; i < json_len(v); i++) {
		const struct json_val *e = json_at(v, i);
		const char *type;
		int t;

		spec_path_idx(p, path, i);
		r = spec_expect(c, e, p, JSON_OBJECT, "object");
		if (r >= 0)
			r = spec_member_str(c, e, p, "type", true, &type);
		if (r < 0)
			return r;
		spec_path_key(pt, p, "type");
		t = table_ns_from_name(type);
		if (t < 0)
			return spec_err_unknown(c, pt, "namespace", type);
		/* spec_linux keeps one slot per type: a repeated type must be refused here */
		if (l->ns[t].present)
			return spec_err(c, pt, "duplicate namespace \"%s\"", type);
		l->ns[t].present = true;
		r = FIELD(spec_read_str, c, e, p, "path", &l->ns[t].path);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- time offsets: {"monotonic": {"secs": N, "nanosecs": N}, "boottime": ...} ---- */

static int
parse_time_offsets(struct spec_ctx *c, const struct json_val *v, const char *path,
		   struct spec_linux *l)
{
	char p[SPEC_PATH_LEN];
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	l->time_offsets = calloc(json_len(v) + 1, sizeof(*l->time_offsets));
	if (!l->time_offsets)
		return spec_oom(c);
	for (size_t i = 0; i < json_len(v); i++) {
		const char *key = json_key_at(v, i);
		const struct json_val *e = json_value_at(v, i);
		struct spec_time_offset *t = &l->time_offsets[l->n_time_offsets];

		spec_path_key(p, path, key);
		if (strcmp(key, "monotonic") == 0)
			t->clock = CLOCK_MONOTONIC;
		else if (strcmp(key, "boottime") == 0)
			t->clock = CLOCK_BOOTTIME;
		else
			return spec_err_unknown(c, path, "clock (expected monotonic or boottime)",
						key);
		r = spec_expect(c, e, p, JSON_OBJECT, "object");
		if (r >= 0)
			r = FIELD(spec_read_i64, c, e, p, "secs", INT64_MIN, INT64_MAX, NULL,
				  &t->secs);
		if (r >= 0)
			r = FIELD(spec_read_u32, c, e, p, "nanosecs", NULL, &t->nanosecs);
		if (r < 0)
			return r;
		l->n_time_offsets++;
	}
	return 0;
}

/* ---- devices ---- */

static int
parse_device(struct spec_ctx *c, const struct json_val *e, const char *path, void *elem)
{
	struct spec_device *d = elem;
	char p[SPEC_PATH_LEN];
	const char *type;
	uint32_t mode = 0;
	bool has_major = false, has_minor = false;
	int r;

	r = spec_expect(c, e, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = spec_member_str(c, e, path, "type", true, &type);
	if (r < 0)
		return r;
	if (strlen(type) != 1 || !strchr("cbup", type[0]))
		return spec_err_unknown(c, spec_path_key(p, path, "type"), "device type", type);
	d->type = type[0];
	r = FIELD(spec_read_str, c, e, path, "path", &d->path);
	if (r >= 0 && !d->path)
		r = spec_err(c, spec_path_key(p, path, "path"), "missing required field");
	if (r >= 0)
		r = FIELD(spec_read_i64, c, e, path, "major", INT64_MIN, INT64_MAX, &has_major,
			  &d->major);
	if (r >= 0)
		r = FIELD(spec_read_i64, c, e, path, "minor", INT64_MIN, INT64_MAX, &has_minor,
			  &d->minor);
	if (r >= 0)
		r = FIELD(spec_read_u32, c, e, path, "fileMode", &d->has_file_mode, &mode);
	if (r >= 0)
		r = FIELD(spec_read_u32, c, e, path, "uid", &d->has_uid, &d->uid);
	if (r >= 0)
		r = FIELD(spec_read_u32, c, e, path, "gid", &d->has_gid, &d->gid);
	if (r < 0)
		return r;
	d->file_mode = (mode_t)mode;
	/* a fifo has no numbers; every other node needs both (runtime-spec "devices") */
	if (d->type != 'p' && (!has_major || !has_minor))
		return spec_err(c, spec_path_key(p, path, has_major ? "minor" : "major"),
				"missing required field for device type \"%c\"", d->type);
	return 0;
}

static int
parse_devices(struct spec_ctx *c, const struct json_val *v, const char *path, struct spec_linux *l)
{
	return spec_read_array(c, v, path, "array of devices", sizeof(*l->devices), parse_device,
			       &l->devices, &l->n_devices);
}

/* ---- sysctl ---- */

static int
parse_sysctl(struct spec_ctx *c, const struct json_val *v, const char *path, struct spec_linux *l)
{
	_cleanup_strv_ char **kv = NULL;
	size_t n;
	int r;

	r = spec_read_string_map(c, v, path, &kv);
	if (r < 0 || !kv)
		return r;
	n = json_len(v);
	l->sysctl = calloc(n + 1, sizeof(*l->sysctl));
	if (!l->sysctl)
		return spec_oom(c);
	/* the strings move into the pairs; only the vector itself is freed */
	for (size_t i = 0; i < n; i++) {
		l->sysctl[i].key = TAKE_PTR(kv[2 * i]);
		l->sysctl[i].value = TAKE_PTR(kv[2 * i + 1]);
	}
	l->n_sysctl = n;
	return 0;
}

/* ---- rootfsPropagation, personality ---- */

static int
parse_rootfs_propagation(struct spec_ctx *c, const struct json_val *v, const char *path,
			 struct spec_linux *l)
{
	const struct table_mount_opt *o;

	if (spec_absent(v))
		return 0;
	if (json_type(v) != JSON_STRING)
		return spec_expect(c, v, path, JSON_STRING, "string");
	o = table_mount_opt_from_name(json_string(v));
	if (!o || o->kind != MOPT_PROPAGATION)
		return spec_err_unknown(c, path, "propagation", json_string(v));
	l->has_rootfs_propagation = true;
	l->rootfs_propagation = table_propagation_flags(o->prop);
	return 0;
}

/* Bug-emulation flags of personality(2), by their <sys/personality.h> names. */
static const struct {
	const char *name;
	unsigned long flag;
} personality_flags[] = {
	{ "ADDR_COMPAT_LAYOUT", ADDR_COMPAT_LAYOUT }, { "ADDR_LIMIT_32BIT", ADDR_LIMIT_32BIT },
	{ "ADDR_LIMIT_3GB", ADDR_LIMIT_3GB },	      { "ADDR_NO_RANDOMIZE", ADDR_NO_RANDOMIZE },
	{ "FDPIC_FUNCPTRS", FDPIC_FUNCPTRS },	      { "MMAP_PAGE_ZERO", MMAP_PAGE_ZERO },
	{ "READ_IMPLIES_EXEC", READ_IMPLIES_EXEC },   { "SHORT_INODE", SHORT_INODE },
	{ "STICKY_TIMEOUTS", STICKY_TIMEOUTS },	      { "UNAME26", UNAME26 },
	{ "WHOLE_SECONDS", WHOLE_SECONDS },
};

static int
parse_personality(struct spec_ctx *c, const struct json_val *v, const char *path,
		  struct spec_linux *l)
{
	char p[SPEC_PATH_LEN], pf[SPEC_PATH_LEN];
	const struct json_val *flags;
	const char *domain;
	unsigned long pers = PER_LINUX;
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = spec_member_str(c, v, path, "domain", false, &domain);
	if (r < 0)
		return r;
	if (domain && strcmp(domain, "LINUX32") == 0)
		pers = PER_LINUX32;
	else if (domain && strcmp(domain, "LINUX") != 0)
		return spec_err_unknown(c, spec_path_key(p, path, "domain"), "personality domain",
					domain);

	flags = json_get(v, "flags");
	spec_path_key(p, path, "flags");
	if (!spec_absent(flags)) {
		if (json_type(flags) != JSON_ARRAY)
			return spec_expect(c, flags, p, JSON_ARRAY, "array of strings");
		for (size_t i = 0; i < json_len(flags); i++) {
			const struct json_val *f = json_at(flags, i);
			size_t k;
			spec_path_idx(pf, p, i);
			if (json_type(f) != JSON_STRING)
				return spec_expect(c, f, pf, JSON_STRING, "string");
			for (k = 0; k < ARRAY_SIZE(personality_flags); k++)
				if (strcmp(personality_flags[k].name, json_string(f)) == 0)
					break;
			if (k == ARRAY_SIZE(personality_flags))
				return spec_err_unknown(c, pf, "personality flag", json_string(f));
			pers |= personality_flags[k].flag;
		}
	}
	l->has_personality = true;
	l->personality = pers;
	return 0;
}

/* ---- seccomp ---- */

static int
parse_action(struct spec_ctx *c, const struct json_val *obj, const char *path, const char *key,
	     bool required, enum seccomp_action *ret)
{
	char p[SPEC_PATH_LEN];
	const char *name;
	int a, r;

	r = spec_member_str(c, obj, path, key, required, &name);
	if (r < 0 || !name)
		return r;
	a = table_seccomp_action_from_name(name);
	if (a < 0)
		return spec_err_unknown(c, spec_path_key(p, path, key), "action", name);
	*ret = (enum seccomp_action)a;
	return 0;
}

static int
parse_seccomp_arg(struct spec_ctx *c, const struct json_val *e, const char *path, void *elem)
{
	struct spec_seccomp_arg *a = elem;
	static const char *const req[] = { "index", "value", "op" };
	char p[SPEC_PATH_LEN];
	const char *op;
	uint32_t index = 0;
	int o, r;

	r = spec_expect(c, e, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(req); i++) {
		r = spec_required(c, json_get(e, req[i]), spec_path_key(p, path, req[i]));
		if (r < 0)
			return r;
	}
	r = FIELD(spec_read_u32, c, e, path, "index", NULL, &index);
	if (r >= 0)
		r = FIELD(spec_read_u64, c, e, path, "value", UINT64_MAX, NULL, &a->value);
	if (r >= 0)
		r = FIELD(spec_read_u64, c, e, path, "valueTwo", UINT64_MAX, NULL, &a->value_two);
	if (r >= 0)
		r = spec_member_str(c, e, path, "op", true, &op);
	if (r < 0)
		return r;
	a->index = index;
	o = table_seccomp_op_from_name(op);
	if (o < 0)
		return spec_err_unknown(c, spec_path_key(p, path, "op"), "operator", op);
	a->op = (enum seccomp_op)o;
	return 0;
}

static int
parse_seccomp_rule(struct spec_ctx *c, const struct json_val *e, const char *path, void *elem)
{
	struct spec_seccomp_rule *rule = elem;
	char p[SPEC_PATH_LEN];
	const struct json_val *names, *args;
	int r;

	r = spec_expect(c, e, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	names = json_get(e, "names");
	spec_path_key(p, path, "names");
	r = spec_required(c, names, p);
	if (r >= 0)
		r = spec_expect(c, names, p, JSON_ARRAY, "array of strings");
	if (r >= 0)
		r = spec_read_strv(c, names, p, &rule->names, &rule->n_names);
	if (r >= 0)
		r = parse_action(c, e, path, "action", true, &rule->action);
	if (r >= 0)
		r = FIELD(spec_read_u32, c, e, path, "errnoRet", &rule->has_errno_ret,
			  &rule->errno_ret);
	if (r < 0)
		return r;

	args = json_get(e, "args");
	return spec_read_array(c, args, spec_path_key(p, path, "args"), "array of arguments",
			       sizeof(*rule->args), parse_seccomp_arg, &rule->args, &rule->n_args);
}

/* Reads an array of names that must each satisfy known(). */
static int
parse_known_names(struct spec_ctx *c, const struct json_val *v, const char *path,
		  bool (*known)(const char *), const char *what, char ***ret, size_t *ret_n)
{
	char p[SPEC_PATH_LEN];
	int r;

	r = spec_read_strv(c, v, path, ret, ret_n);
	if (r < 0 || !*ret)
		return r;
	for (size_t i = 0; i < *ret_n; i++)
		if (!known((*ret)[i]))
			return spec_err_unknown(c, spec_path_idx(p, path, i), what, (*ret)[i]);
	return 0;
}

/* Kept as the JSON text it is; only its type is checked here (the tools read it). */
static int
parse_provenance(struct spec_ctx *c, const struct json_val *v, const char *path,
		 struct spec_seccomp *s)
{
	char p[SPEC_PATH_LEN];

	if (spec_absent(v))
		return 0;
	int r = spec_expect(c, v, spec_path_key(p, path, "straitProvenance"), JSON_OBJECT, "object");
	if (r < 0)
		return r;
	struct json_gen *g = json_gen_new(false);
	if (!g)
		return -ENOMEM;
	json_gen_value(g, v);
	r = json_gen_finish(g, &s->provenance, NULL);
	json_gen_free(g);
	return r;
}

static int
parse_seccomp(struct spec_ctx *c, const struct json_val *v, const char *path,
	      struct spec_seccomp *s)
{
	char p[SPEC_PATH_LEN];
	const struct json_val *rules;
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r < 0)
		return r;
	s->present = true;
	r = parse_action(c, v, path, "defaultAction", true, &s->default_action);
	if (r >= 0)
		r = FIELD(spec_read_u32, c, v, path, "defaultErrnoRet", &s->has_default_errno_ret,
			  &s->default_errno_ret);
	if (r >= 0)
		r = FIELD(parse_known_names, c, v, path, "architectures", table_seccomp_arch_known,
			  "architecture", &s->architectures, &s->n_architectures);
	if (r >= 0)
		r = FIELD(parse_known_names, c, v, path, "flags", table_seccomp_flag_known, "flag",
			  &s->flags, &s->n_flags);
	if (r >= 0)
		r = FIELD(spec_read_str, c, v, path, "listenerPath", &s->listener_path);
	if (r >= 0)
		r = FIELD(spec_read_str, c, v, path, "listenerMetadata", &s->listener_metadata);
	if (r >= 0)
		r = parse_provenance(c, json_get(v, "straitProvenance"), path, s);
	if (r < 0)
		return r;

	rules = json_get(v, "syscalls");
	return spec_read_array(c, rules, spec_path_key(p, path, "syscalls"), "array of syscall rules",
			       sizeof(*s->rules), parse_seccomp_rule, &s->rules, &s->n_rules);
}

/* ---- the linux object ---- */

int
spec_parse_linux(struct spec_ctx *c, const struct json_val *v, const char *path,
		 struct spec_linux *l)
{
	int r;

	r = spec_expect(c, v, path, JSON_OBJECT, "object");
	if (r >= 0)
		r = FIELD(parse_namespaces, c, v, path, "namespaces", l);
	if (r >= 0)
		r = FIELD(spec_read_id_maps, c, v, path, "uidMappings", &l->uid_mappings,
			  &l->n_uid_mappings);
	if (r >= 0)
		r = FIELD(spec_read_id_maps, c, v, path, "gidMappings", &l->gid_mappings,
			  &l->n_gid_mappings);
	if (r >= 0)
		r = FIELD(parse_time_offsets, c, v, path, "timeOffsets", l);
	if (r >= 0)
		r = FIELD(parse_devices, c, v, path, "devices", l);
	if (r >= 0)
		r = FIELD(spec_read_str, c, v, path, "cgroupsPath", &l->cgroups_path);
	if (r >= 0)
		r = FIELD(spec_parse_resources, c, v, path, "resources", &l->resources);
	if (r >= 0)
		r = FIELD(parse_sysctl, c, v, path, "sysctl", l);
	if (r >= 0)
		r = FIELD(spec_read_strv, c, v, path, "maskedPaths", &l->masked_paths,
			  &l->n_masked_paths);
	if (r >= 0)
		r = FIELD(spec_read_strv, c, v, path, "readonlyPaths", &l->readonly_paths,
			  &l->n_readonly_paths);
	if (r >= 0)
		r = FIELD(parse_rootfs_propagation, c, v, path, "rootfsPropagation", l);
	if (r >= 0)
		r = FIELD(spec_read_str, c, v, path, "mountLabel", &l->mount_label);
	if (r >= 0)
		r = FIELD(parse_personality, c, v, path, "personality", l);
	if (r >= 0)
		r = FIELD(parse_seccomp, c, v, path, "seccomp", &l->seccomp);
	return r;
}

static void
seccomp_free(struct spec_seccomp *s)
{
	strv_freep(&s->architectures);
	strv_freep(&s->flags);
	free(s->listener_path);
	free(s->listener_metadata);
	free(s->provenance);
	for (size_t i = 0; i < s->n_rules; i++) {
		strv_freep(&s->rules[i].names);
		free(s->rules[i].args);
	}
	free(s->rules);
}

void
spec_linux_free(struct spec_linux *l)
{
	for (int i = 0; i < NS__COUNT; i++)
		free(l->ns[i].path);
	free(l->uid_mappings);
	free(l->gid_mappings);
	free(l->time_offsets);
	for (size_t i = 0; i < l->n_devices; i++)
		free(l->devices[i].path);
	free(l->devices);
	free(l->cgroups_path);
	spec_resources_free(&l->resources);
	for (size_t i = 0; i < l->n_sysctl; i++) {
		free(l->sysctl[i].key);
		free(l->sysctl[i].value);
	}
	free(l->sysctl);
	strv_freep(&l->masked_paths);
	strv_freep(&l->readonly_paths);
	free(l->mount_label);
	seccomp_free(&l->seccomp);
}
