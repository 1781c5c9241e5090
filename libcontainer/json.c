/* The only file that includes yajl: a read-only tree over yajl_tree (struct json_val is
 * a yajl_val in disguise) and a thin generator over yajl_gen. Integers are read from
 * the number text yajl keeps, never from the double, so values up to UINT64_MAX (seccomp
 * arguments) round-trip exactly. Walking the tree and reporting field paths is spec.c's job. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>
#include "json.h"
#include "macro.h"

/* struct json_val is never defined: pointers to it are yajl_val pointers. */
static inline yajl_val
yv(const struct json_val *v)
{
	return (yajl_val)(void *)v;
}

static inline const struct json_val *
jv(yajl_val v)
{
	return (const struct json_val *)(void *)v;
}

/* yajl's message spans three lines: the reason, the text around the error, then a
 * marker line. Make it one: "<reason> near: <text>", whitespace collapsed. */
static void
json_oneline_error(const char *in, char *out, size_t outlen)
{
	const char *nl = strchr(in, '\n');
	size_t o = 0;
	bool space = false;

	if (!outlen)
		return;
	snprintf(out, outlen, "%.*s", (int)(nl ? (size_t)(nl - in) : strlen(in)), in);
	o = strlen(out);
	if (!nl)
		return;
	/* the snippet line, without the marker line that follows it */
	const char *snip = nl + 1, *end = strchr(snip, '\n');
	size_t n = end ? (size_t)(end - snip) : strlen(snip);
	while (n && (*snip == ' ' || *snip == '\t')) {
		snip++;
		n--;
	}
	if (!n)
		return;
	o += (size_t)snprintf(out + o, outlen > o ? outlen - o : 0, " near: ");
	for (size_t i = 0; i < n && o + 1 < outlen; i++) {
		unsigned char c = (unsigned char)snip[i];
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
			space = true;
			continue;
		}
		if (space && o + 2 < outlen)
			out[o++] = ' ';
		space = false;
		out[o++] = c < 0x20 ? '?' : (char)c;
	}
	if (o < outlen)
		out[o] = '\0';
}

int
json_parse(const char *text, size_t len, struct json_val **ret, char *errbuf, size_t errlen)
{
	_cleanup_free_ char *copy = NULL;
	char ebuf[512] = "";
	yajl_val root;

	if (errlen)
		errbuf[0] = '\0';
	if (memchr(text, '\0', len)) {
		if (errlen)
			snprintf(errbuf, errlen, "unexpected NUL byte at offset %zu",
				 (size_t)((const char *)memchr(text, '\0', len) - text));
		return -EINVAL;
	}
	/* yajl_tree_parse wants a NUL-terminated string */
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';

	root = yajl_tree_parse(copy, ebuf, sizeof(ebuf));
	if (!root) {
		if (errlen) {
			char line[512];
			json_oneline_error(ebuf[0] ? ebuf : "parse error", line, sizeof(line));
			/* yajl prefixes "parse error: " itself; do not repeat it */
			snprintf(errbuf, errlen, "%s", line);
		}
		return -EINVAL;
	}
	*ret = (struct json_val *)(void *)root;
	return 0;
}

void
json_free(struct json_val *v)
{
	if (v)
		yajl_tree_free(yv(v));
}

enum json_type
json_type(const struct json_val *v)
{
	yajl_val y = yv(v);

	if (!y)
		return JSON_NULL;
	switch (y->type) {
	case yajl_t_string:
		return JSON_STRING;
	case yajl_t_number:
		return JSON_NUMBER;
	case yajl_t_object:
		return JSON_OBJECT;
	case yajl_t_array:
		return JSON_ARRAY;
	case yajl_t_true:
	case yajl_t_false:
		return JSON_BOOL;
	default:
		return JSON_NULL;
	}
}

static const char *const type_names[] = {
	[JSON_NULL] = "null",	  [JSON_BOOL] = "boolean", [JSON_NUMBER] = "number",
	[JSON_STRING] = "string", [JSON_ARRAY] = "array",  [JSON_OBJECT] = "object",
};

const char *
json_type_name(enum json_type t)
{
	if ((size_t)t >= ARRAY_SIZE(type_names))
		return "unknown";
	return type_names[t];
}

const struct json_val *
json_get(const struct json_val *obj, const char *key)
{
	yajl_val y = yv(obj);

	if (!y || y->type != yajl_t_object)
		return NULL;
	/* the last duplicate wins, as with most JSON readers (and Go's encoding/json) */
	for (size_t i = y->u.object.len; i-- > 0;)
		if (strcmp(y->u.object.keys[i], key) == 0)
			return jv(y->u.object.values[i]);
	return NULL;
}

size_t
json_len(const struct json_val *v)
{
	yajl_val y = yv(v);

	if (!y)
		return 0;
	if (y->type == yajl_t_array)
		return y->u.array.len;
	if (y->type == yajl_t_object)
		return y->u.object.len;
	return 0;
}

const struct json_val *
json_at(const struct json_val *arr, size_t i)
{
	yajl_val y = yv(arr);

	if (!y || y->type != yajl_t_array || i >= y->u.array.len)
		return NULL;
	return jv(y->u.array.values[i]);
}

const char *
json_key_at(const struct json_val *obj, size_t i)
{
	yajl_val y = yv(obj);

	if (!y || y->type != yajl_t_object || i >= y->u.object.len)
		return NULL;
	return y->u.object.keys[i];
}

const struct json_val *
json_value_at(const struct json_val *obj, size_t i)
{
	yajl_val y = yv(obj);

	if (!y || y->type != yajl_t_object || i >= y->u.object.len)
		return NULL;
	return jv(y->u.object.values[i]);
}

const char *
json_string(const struct json_val *v)
{
	yajl_val y = yv(v);

	if (!y || y->type != yajl_t_string)
		return NULL;
	return y->u.string;
}

bool
json_bool(const struct json_val *v)
{
	yajl_val y = yv(v);

	return y && y->type == yajl_t_true;
}

const char *
json_number_text(const struct json_val *v)
{
	yajl_val y = yv(v);

	if (!y || y->type != yajl_t_number)
		return NULL;
	return y->u.number.r;
}

/* The sign and magnitude of an integer: -EINVAL for fractions, exponents and anything
 * that is not a plain JSON integer, -ERANGE for a magnitude past UINT64_MAX. */
static int
number_magnitude(const struct json_val *v, bool *ret_neg, uint64_t *ret)
{
	const char *t = json_number_text(v);
	uint64_t acc = 0;

	if (!t)
		return -EINVAL;
	*ret_neg = *t == '-';
	t += *ret_neg;
	if (!*t || t[strspn(t, "0123456789")])
		return -EINVAL;
	for (; *t; t++) {
		unsigned dig = (unsigned)(*t - '0');
		if (acc > (UINT64_MAX - dig) / 10)
			return -ERANGE;
		acc = acc * 10 + dig;
	}
	*ret = acc;
	return 0;
}

int
json_uint64(const struct json_val *v, uint64_t *ret)
{
	bool neg;
	uint64_t u;
	int r = number_magnitude(v, &neg, &u);

	if (r < 0)
		return r;
	if (neg && u != 0)
		return -ERANGE;
	*ret = u;
	return 0;
}

int
json_int64(const struct json_val *v, int64_t *ret)
{
	bool neg;
	uint64_t u;
	int r = number_magnitude(v, &neg, &u);

	if (r < 0)
		return r;
	if (neg) {
		if (u > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*ret = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX)
			return -ERANGE;
		*ret = (int64_t)u;
	}
	return 0;
}

/* ---- generator ---- */

struct json_gen {
	yajl_gen g;
	int depth;   /* open maps + arrays */
	bool failed; /* a yajl call failed: finish reports -EINVAL */
};

struct json_gen *
json_gen_new(bool pretty)
{
	struct json_gen *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->g = yajl_gen_alloc(NULL);
	if (!j->g) {
		free(j);
		return NULL;
	}
	if (pretty) {
		yajl_gen_config(j->g, yajl_gen_beautify, 1);
		yajl_gen_config(j->g, yajl_gen_indent_string, "\t");
	}
	return j;
}

void
json_gen_free(struct json_gen *j)
{
	if (!j)
		return;
	yajl_gen_free(j->g);
	free(j);
}

static void
gen_check(struct json_gen *j, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok)
		j->failed = true;
}

void
json_gen_obj_open(struct json_gen *j)
{
	gen_check(j, yajl_gen_map_open(j->g));
	j->depth++;
}

void
json_gen_obj_close(struct json_gen *j)
{
	gen_check(j, yajl_gen_map_close(j->g));
	j->depth--;
}

void
json_gen_arr_open(struct json_gen *j)
{
	gen_check(j, yajl_gen_array_open(j->g));
	j->depth++;
}

void
json_gen_arr_close(struct json_gen *j)
{
	gen_check(j, yajl_gen_array_close(j->g));
	j->depth--;
}

void
json_gen_key(struct json_gen *j, const char *key)
{
	if (!key) {
		j->failed = true;
		return;
	}
	gen_check(j, yajl_gen_string(j->g, (const unsigned char *)key, strlen(key)));
}

void
json_gen_string(struct json_gen *j, const char *s)
{
	if (!s) {
		gen_check(j, yajl_gen_null(j->g));
		return;
	}
	gen_check(j, yajl_gen_string(j->g, (const unsigned char *)s, strlen(s)));
}

void
json_gen_int(struct json_gen *j, int64_t v)
{
	gen_check(j, yajl_gen_integer(j->g, (long long)v));
}

void
json_gen_uint(struct json_gen *j, uint64_t v)
{
	/* yajl_gen_integer is signed: write the digits ourselves */
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);

	gen_check(j, yajl_gen_number(j->g, buf, (size_t)n));
}

void
json_gen_bool(struct json_gen *j, bool v)
{
	gen_check(j, yajl_gen_bool(j->g, v));
}

void
json_gen_null(struct json_gen *j)
{
	gen_check(j, yajl_gen_null(j->g));
}

void
json_gen_value(struct json_gen *j, const struct json_val *v)
{
	yajl_val y = yv(v);

	if (!y) {
		json_gen_null(j);
		return;
	}
	switch (y->type) {
	case yajl_t_string:
		json_gen_string(j, y->u.string);
		break;
	case yajl_t_number:
		/* the original text: exact for any integer size, and for fractions */
		gen_check(j, yajl_gen_number(j->g, y->u.number.r, strlen(y->u.number.r)));
		break;
	case yajl_t_object:
		json_gen_obj_open(j);
		for (size_t i = 0; i < y->u.object.len; i++) {
			json_gen_key(j, y->u.object.keys[i]);
			json_gen_value(j, jv(y->u.object.values[i]));
		}
		json_gen_obj_close(j);
		break;
	case yajl_t_array:
		json_gen_arr_open(j);
		for (size_t i = 0; i < y->u.array.len; i++)
			json_gen_value(j, jv(y->u.array.values[i]));
		json_gen_arr_close(j);
		break;
	case yajl_t_true:
		json_gen_bool(j, true);
		break;
	case yajl_t_false:
		json_gen_bool(j, false);
		break;
	default:
		json_gen_null(j);
		break;
	}
}

int
json_gen_finish(struct json_gen *j, char **ret_text, size_t *ret_len)
{
	const unsigned char *buf;
	size_t len;
	char *out;

	if (j->failed || j->depth != 0)
		return -EINVAL;
	if (yajl_gen_get_buf(j->g, &buf, &len) != yajl_gen_status_ok)
		return -EINVAL;
	if (len == 0)
		return -EINVAL; /* nothing was generated */
	out = malloc(len + 1);
	if (!out)
		return -ENOMEM;
	memcpy(out, buf, len);
	out[len] = '\0';
	*ret_text = out;
	if (ret_len)
		*ret_len = len;
	return 0;
}
