/* The typed readers behind spec.c and spec-linux.c: error messages that name the file,
 * the field path and the value ("config.json: process.args: expected array of strings,
 * got number 3"), integer range checks, and bundle-relative paths. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spec-internal.h"

/* ---- messages and paths ---- */

int
spec_err(struct spec_ctx *c, const char *path, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!path || !*path)
		return lc_err_setx(c->err, EINVAL, "%s: %s", c->what, msg);
	return lc_err_setx(c->err, EINVAL, "%s: %s: %s", c->what, path, msg);
}

int
spec_oom(struct spec_ctx *c)
{
	return lc_err_set(c->err, ENOMEM, "%s", c->what);
}

const char *
spec_path_key(char buf[static SPEC_PATH_LEN], const char *parent, const char *key)
{
	if (!parent || !*parent)
		snprintf(buf, SPEC_PATH_LEN, "%s", key);
	else
		snprintf(buf, SPEC_PATH_LEN, "%s.%s", parent, key);
	return buf;
}

const char *
spec_path_idx(char buf[static SPEC_PATH_LEN], const char *parent, size_t i)
{
	snprintf(buf, SPEC_PATH_LEN, "%s[%zu]", parent ? parent : "", i);
	return buf;
}

const char *
spec_path_map(char buf[static SPEC_PATH_LEN], const char *parent, const char *key)
{
	snprintf(buf, SPEC_PATH_LEN, "%s[\"%s\"]", parent ? parent : "", key);
	return buf;
}

/* Writes s quoted, with control characters escaped so the message stays one line, and
 * cut after ~80 characters. */
static void
quote(const char *s, char *buf, size_t len)
{
	size_t o = 0, n = 0;

	if (len < 8)
		return;
	buf[o++] = '"';
	for (; *s && o + 8 < len; s++, n++) {
		unsigned char ch = (unsigned char)*s;
		if (n == 80) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\')
			o += (size_t)snprintf(buf + o, len - o,
					      ch == '"' || ch == '\\' ? "\\%c" : "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

/* "number 3", "string \"x\"", "boolean true", "null", "object", "array" */
static void
describe(const struct json_val *v, char *buf, size_t len)
{
	char q[128];

	switch (json_type(v)) {
	case JSON_STRING:
		quote(json_string(v), q, sizeof(q));
		snprintf(buf, len, "string %s", q);
		break;
	case JSON_NUMBER:
		snprintf(buf, len, "number %.64s", json_number_text(v));
		break;
	case JSON_BOOL:
		snprintf(buf, len, "boolean %s", json_bool(v) ? "true" : "false");
		break;
	default:
		snprintf(buf, len, "%s", json_type_name(json_type(v)));
		break;
	}
}

int
spec_err_type(struct spec_ctx *c, const struct json_val *v, const char *path, const char *expected)
{
	char got[192];

	describe(v, got, sizeof(got));
	return spec_err(c, path, "expected %s, got %s", expected, got);
}

int
spec_err_unknown(struct spec_ctx *c, const char *path, const char *what, const char *value)
{
	char q[128];

	quote(value, q, sizeof(q));
	return spec_err(c, path, "unknown %s %s", what, q);
}

/* ---- typed readers ---- */

bool
spec_absent(const struct json_val *v)
{
	return !v || json_type(v) == JSON_NULL;
}

int
spec_required(struct spec_ctx *c, const struct json_val *v, const char *path)
{
	if (!v)
		return spec_err(c, path, "missing required field");
	return 0;
}

int
spec_expect(struct spec_ctx *c, const struct json_val *v, const char *path, enum json_type t,
	    const char *expected)
{
	if (json_type(v) != t || !v)
		return spec_err_type(c, v, path, expected);
	return 0;
}

int
spec_read_str(struct spec_ctx *c, const struct json_val *v, const char *path, char **ret)
{
	char *s;

	if (spec_absent(v))
		return 0;
	if (json_type(v) != JSON_STRING)
		return spec_err_type(c, v, path, "string");
	s = strdup(json_string(v));
	if (!s)
		return spec_oom(c);
	free(*ret);
	*ret = s;
	return 0;
}

int
spec_read_strv(struct spec_ctx *c, const struct json_val *v, const char *path, char ***ret,
	       size_t *ret_n)
{
	char p[SPEC_PATH_LEN];
	size_t n;
	char **strv;

	if (spec_absent(v))
		return 0;
	if (json_type(v) != JSON_ARRAY)
		return spec_err_type(c, v, path, "array of strings");
	n = json_len(v);
	/* check every element before allocating, so a failure leaves *ret alone */
	for (size_t i = 0; i < n; i++)
		if (json_type(json_at(v, i)) != JSON_STRING)
			return spec_err_type(c, json_at(v, i), spec_path_idx(p, path, i), "string");
	strv = calloc(n + 1, sizeof(*strv));
	if (!strv)
		return spec_oom(c);
	for (size_t i = 0; i < n; i++) {
		strv[i] = strdup(json_string(json_at(v, i)));
		if (!strv[i]) {
			strv_freep(&strv);
			return spec_oom(c);
		}
	}
	*ret = strv;
	if (ret_n)
		*ret_n = n;
	return 0;
}

int
spec_read_bool(struct spec_ctx *c, const struct json_val *v, const char *path, bool *ret)
{
	if (spec_absent(v))
		return 0;
	if (json_type(v) != JSON_BOOL)
		return spec_err_type(c, v, path, "boolean");
	*ret = json_bool(v);
	return 0;
}

int
spec_read_i64(struct spec_ctx *c, const struct json_val *v, const char *path, int64_t min,
	      int64_t max, bool *ret_has, int64_t *ret)
{
	int64_t x;
	char expected[96];

	if (spec_absent(v))
		return 0;
	if (min == INT64_MIN && max == INT64_MAX)
		snprintf(expected, sizeof(expected), "64-bit integer");
	else
		snprintf(expected, sizeof(expected), "integer in [%" PRId64 ", %" PRId64 "]", min,
			 max);
	if (json_type(v) != JSON_NUMBER || json_int64(v, &x) < 0 || x < min || x > max)
		return spec_err_type(c, v, path, expected);
	*ret = x;
	if (ret_has)
		*ret_has = true;
	return 0;
}

int
spec_read_u64(struct spec_ctx *c, const struct json_val *v, const char *path, uint64_t max,
	      bool *ret_has, uint64_t *ret)
{
	uint64_t x;
	char expected[96];

	if (spec_absent(v))
		return 0;
	if (max == UINT64_MAX)
		snprintf(expected, sizeof(expected), "unsigned 64-bit integer");
	else
		snprintf(expected, sizeof(expected), "integer in [0, %" PRIu64 "]", max);
	if (json_type(v) != JSON_NUMBER || json_uint64(v, &x) < 0 || x > max)
		return spec_err_type(c, v, path, expected);
	*ret = x;
	if (ret_has)
		*ret_has = true;
	return 0;
}

int
spec_read_u32(struct spec_ctx *c, const struct json_val *v, const char *path, bool *ret_has,
	      uint32_t *ret)
{
	uint64_t x;
	bool has = false;
	int r = spec_read_u64(c, v, path, UINT32_MAX, &has, &x);

	if (r < 0 || !has)
		return r;
	*ret = (uint32_t)x;
	if (ret_has)
		*ret_has = true;
	return 0;
}

/* Reads obj.key as a required uint32. */
int
spec_field_u32_req(struct spec_ctx *c, const struct json_val *obj, const char *path,
		   const char *key, uint32_t *ret)
{
	char p[SPEC_PATH_LEN];
	const struct json_val *v = json_get(obj, key);
	int r;

	spec_path_key(p, path, key);
	r = spec_required(c, v, p);
	if (r < 0)
		return r;
	if (json_type(v) == JSON_NULL)
		return spec_err_type(c, v, p, "integer in [0, 4294967295]");
	return spec_read_u32(c, v, p, NULL, ret);
}

/* Reads obj.key as a required string. */
int
spec_field_str_req(struct spec_ctx *c, const struct json_val *obj, const char *path,
		   const char *key, char **ret)
{
	char p[SPEC_PATH_LEN];
	const struct json_val *v = json_get(obj, key);
	int r;

	spec_path_key(p, path, key);
	r = spec_required(c, v, p);
	if (r < 0)
		return r;
	if (json_type(v) != JSON_STRING)
		return spec_err_type(c, v, p, "string");
	return spec_read_str(c, v, p, ret);
}

int
spec_read_id_maps(struct spec_ctx *c, const struct json_val *v, const char *path,
		  struct spec_id_map **ret, size_t *ret_n)
{
	_cleanup_free_ struct spec_id_map *maps = NULL;
	char p[SPEC_PATH_LEN];
	size_t n;
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_ARRAY, "array of id mappings");
	if (r < 0)
		return r;
	n = json_len(v);
	maps = calloc(n ? n : 1, sizeof(*maps));
	if (!maps)
		return spec_oom(c);
	for (size_t i = 0; i < n; i++) {
		const struct json_val *e = json_at(v, i);
		spec_path_idx(p, path, i);
		r = spec_expect(c, e, p, JSON_OBJECT, "object");
		if (r < 0)
			return r;
		r = spec_field_u32_req(c, e, p, "containerID", &maps[i].container_id);
		if (r >= 0)
			r = spec_field_u32_req(c, e, p, "hostID", &maps[i].host_id);
		if (r >= 0)
			r = spec_field_u32_req(c, e, p, "size", &maps[i].size);
		if (r < 0)
			return r;
	}
	free(*ret);
	*ret = TAKE_PTR(maps);
	*ret_n = n;
	return 0;
}

/* ---- paths relative to the bundle ---- */

/* bundle + "/" + rel, dropping "." and empty components. ".." is kept: the path is
 * resolved later, safely, by whoever opens it. */
int
spec_bundle_join(struct spec_ctx *c, const char *rel, char **ret)
{
	size_t bl, cap;
	char *out;
	const char *p = rel;

	if (rel[0] == '/' || !c->bundle) {
		out = strdup(rel);
		if (!out)
			return spec_oom(c);
		*ret = out;
		return 0;
	}
	bl = strlen(c->bundle);
	cap = bl + strlen(rel) + 2;
	out = malloc(cap);
	if (!out)
		return spec_oom(c);
	memcpy(out, c->bundle, bl + 1);
	while (bl > 1 && out[bl - 1] == '/')
		out[--bl] = '\0';
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (bl > 1 || out[0] != '/' || bl == 0)
				out[bl++] = '/';
			memcpy(out + bl, p, len);
			bl += len;
			out[bl] = '\0';
		}
		p += len;
		while (*p == '/')
			p++;
	}
	*ret = out;
	return 0;
}

int
spec_read_array(struct spec_ctx *c, const struct json_val *v, const char *path, const char *what,
		size_t elem_size, spec_elem_fn fn, void *ret, size_t *ret_n)
{
	char p[SPEC_PATH_LEN];
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_ARRAY, what);
	if (r < 0)
		return r;
	char *elems = calloc(json_len(v) + 1, elem_size);
	if (!elems)
		return spec_oom(c);
	/* Owned by the caller's struct from here on, so a failure midway is freed with it. */
	*(void **)ret = elems;
	*ret_n = json_len(v);
	for (size_t i = 0; i < *ret_n; i++) {
		r = fn(c, json_at(v, i), spec_path_idx(p, path, i), elems + i * elem_size);
		if (r < 0)
			return r;
	}
	return 0;
}

/* A required string member, or an optional one when !required. */
int
spec_member_str(struct spec_ctx *c, const struct json_val *obj, const char *path, const char *key,
	   bool required, const char **ret)
{
	char p[SPEC_PATH_LEN];
	const struct json_val *v = json_get(obj, key);

	spec_path_key(p, path, key);
	if (required) {
		int r = spec_required(c, v, p);
		if (r < 0)
			return r;
	} else if (spec_absent(v)) {
		*ret = NULL;
		return 0;
	}
	if (json_type(v) != JSON_STRING)
		return spec_expect(c, v, p, JSON_STRING, "string");
	*ret = json_string(v);
	return 0;
}

/* An object of strings into a NULL-terminated k0,v0,k1,v1,... vector. */
int
spec_read_string_map(struct spec_ctx *c, const struct json_val *v, const char *path, char ***ret)
{
	char p[SPEC_PATH_LEN];
	size_t n;
	char **kv;
	int r;

	if (spec_absent(v))
		return 0;
	r = spec_expect(c, v, path, JSON_OBJECT, "object of strings");
	if (r < 0)
		return r;
	n = json_len(v);
	for (size_t i = 0; i < n; i++)
		if (json_type(json_value_at(v, i)) != JSON_STRING)
			return spec_expect(c, json_value_at(v, i),
					   spec_path_map(p, path, json_key_at(v, i)), JSON_STRING,
					   "string");
	kv = calloc(2 * n + 1, sizeof(*kv));
	if (!kv)
		return spec_oom(c);
	*ret = kv;
	for (size_t i = 0; i < n; i++) {
		kv[2 * i] = strdup(json_key_at(v, i));
		if (!kv[2 * i])
			return spec_oom(c);
		kv[2 * i + 1] = strdup(json_string(json_value_at(v, i)));
		if (!kv[2 * i + 1])
			return spec_oom(c);
	}
	return 0;
}
