/* strait.conf parsing (config.h). The format is deliberately small: key = value lines;
 * blank lines and '#' comments are ignored; unknown keys are errors, so that a typo
 * never silently leaves a security setting at its default. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "runtime-config.h"
#include "error.h"

struct enum_name {
	const char *name;
	int value;
};

static const struct enum_name policies[] = {
	{ "permissive", LC_POLICY_PERMISSIVE },
	{ "restricted", LC_POLICY_RESTRICTED },
	{ "runtime-default", LC_POLICY_RUNTIME_DEFAULT },
};

static const struct enum_name privileged[] = {
	{ "audit", LC_PRIV_AUDIT },
	{ "refuse", LC_PRIV_REFUSE },
	{ "unconfined", LC_PRIV_UNCONFINED },
};

static const struct enum_name modes[] = {
	{ "enforce", LC_MODE_ENFORCE },
	{ "log", LC_MODE_LOG },
};

static const struct enum_name booleans[] = {
	{ "false", 0 },
	{ "true", 1 },
};

static int
lookup(const struct enum_name *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return t[i].value;
	return -1;
}

int
config_set(struct lc_config *c, const char *key, const char *value, const char *where,
	   struct lc_err *err)
{
	int v;
	/* where is "file:line" (then the key is named) or the flag itself. */
	if (!strcmp(key, "seccomp-policy")) {
		v = lookup(policies, ARRAY_SIZE(policies), value);
		if (v < 0)
			return lc_err_setx(err, EINVAL,
					   "%s: seccomp-policy: unknown value \"%s\" (permissive, runtime-default or restricted)",
					   where, value);
		c->seccomp_policy = v;
	} else if (!strcmp(key, "privileged-seccomp")) {
		v = lookup(privileged, ARRAY_SIZE(privileged), value);
		if (v < 0)
			return lc_err_setx(err, EINVAL,
					   "%s: privileged-seccomp: unknown value \"%s\" (unconfined, refuse or audit)",
					   where, value);
		c->privileged_seccomp = v;
	} else if (!strcmp(key, "seccomp-mode")) {
		v = lookup(modes, ARRAY_SIZE(modes), value);
		if (v < 0)
			return lc_err_setx(err, EINVAL, "%s: seccomp-mode: unknown value \"%s\" (enforce or log)",
					   where, value);
		c->seccomp_mode = v;
	} else if (!strcmp(key, "seccomp-denials")) {
		if (strcmp(value, "record") && strcmp(value, "off"))
			return lc_err_setx(err, EINVAL, "%s: seccomp-denials: unknown value \"%s\" (record or off)",
					   where, value);
		c->seccomp_denials_record = !strcmp(value, "record");
	} else if (!strcmp(key, "seccomp-recorder")) {
		if (value[0] != '/' || strlen(value) >= sizeof(c->seccomp_recorder))
			return lc_err_setx(err, EINVAL, "%s: seccomp-recorder: \"%s\" is not an absolute socket path",
					   where, value);
		strcpy(c->seccomp_recorder, value);
	} else if (!strcmp(key, "allow-mode-annotation")) {
		v = lookup(booleans, ARRAY_SIZE(booleans), value);
		if (v < 0)
			return lc_err_setx(err, EINVAL, "%s: allow-mode-annotation: \"%s\" is not true or false",
					   where, value);
		c->allow_mode_annotation = v;
	} else {
		return lc_err_setx(err, EINVAL, "%s: unknown setting \"%s\"", where, key);
	}
	return 0;
}

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int
config_load(const char *path, bool required, struct lc_config *c, struct lc_err *err)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char line[1024], where[4200];
	int lineno = 0;

	if (!f) {
		if (errno == ENOENT && !required)
			return 0;
		return lc_err_set(err, errno, "config %s", path);
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		char *eq = strchr(s, '=');
		if (!eq)
			return lc_err_setx(err, EINVAL, "%s: expected \"key = value\", got \"%s\"", where, s);
		*eq = '\0';
		int r = config_set(c, trim(s), trim(eq + 1), where, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int
lc_config_load(struct lc_global *g, char *const *overrides, struct lc_err *err)
{
	const char *path = g->config_path ? g->config_path : STRAIT_CONFIG_DEFAULT;
	int r = config_load(path, g->config_path != NULL, &g->config, err);
	if (r < 0)
		return r;
	for (char *const *o = overrides; o && *o; o += 2) {
		char where[128];
		snprintf(where, sizeof(where), "--%s", o[0]);
		r = config_set(&g->config, o[0], o[1], where, err);
		if (r < 0)
			return r;
	}
	return 0;
}
