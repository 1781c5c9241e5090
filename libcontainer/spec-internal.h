/* Helpers shared by spec.c, spec-linux.c and spec-resources.c only: the parse context, field paths for
 * error messages, and typed readers over json.h that report "<file>: <path>: expected
 * ..., got <value>". Not for use outside the spec module. */
#ifndef STRAIT_SPEC_INTERNAL_H
#define STRAIT_SPEC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"
#include "json.h"
#include "spec.h"

#define SPEC_PATH_LEN 256

struct spec_ctx {
	const char *what;   /* file name for messages: "config.json" */
	const char *bundle; /* absolute bundle dir, or NULL (paths are then kept as written) */
	struct lc_err *err;
};

/* Sets "<what>: <path>: <formatted>" and returns -EINVAL. */
int spec_err(struct spec_ctx *c, const char *path, const char *fmt, ...) _printf_(3, 4);
int spec_oom(struct spec_ctx *c);
/* "<path>: expected <expected>, got number 3" (the value described with its type). */
int spec_err_type(struct spec_ctx *c, const struct json_val *v, const char *path,
		  const char *expected);
/* "<path>: unknown <what> \"<value>\"" */
int spec_err_unknown(struct spec_ctx *c, const char *path, const char *what, const char *value);

/* Child paths: "linux" + "seccomp" -> "linux.seccomp"; "x" + 2 -> "x[2]";
 * "annotations" + "k" -> "annotations[\"k\"]". An empty parent gives the bare key. */
const char *spec_path_key(char buf[static SPEC_PATH_LEN], const char *parent, const char *key);
const char *spec_path_idx(char buf[static SPEC_PATH_LEN], const char *parent, size_t i);
const char *spec_path_map(char buf[static SPEC_PATH_LEN], const char *parent, const char *key);

/* Absent means missing or JSON null; the readers leave outputs untouched then. */
bool spec_absent(const struct json_val *v);
/* -EINVAL "missing required field" when v is absent. */
int spec_required(struct spec_ctx *c, const struct json_val *v, const char *path);
/* Type checks that name what was expected ("object", "array of strings", ...). */
int spec_expect(struct spec_ctx *c, const struct json_val *v, const char *path, enum json_type t,
		const char *expected);

/* An array of objects: checks the type (naming what), allocates *ret (NULL-terminated
 * by a zeroed extra element) and calls fn on each element with its path. */
typedef int (*spec_elem_fn)(struct spec_ctx *c, const struct json_val *e, const char *path,
			    void *elem);
int spec_read_array(struct spec_ctx *c, const struct json_val *v, const char *path,
		    const char *what, size_t elem_size, spec_elem_fn fn, void *ret, size_t *ret_n);

int spec_read_str(struct spec_ctx *c, const struct json_val *v, const char *path, char **ret);
/* Array of strings into a NULL-terminated vector (replacing *ret, which must be NULL). */
int spec_read_strv(struct spec_ctx *c, const struct json_val *v, const char *path, char ***ret,
		   size_t *ret_n);
int spec_read_bool(struct spec_ctx *c, const struct json_val *v, const char *path, bool *ret);
/* Integers within [min, max]; ret_has (may be NULL) is set when a value was read. */
int spec_read_i64(struct spec_ctx *c, const struct json_val *v, const char *path, int64_t min,
		  int64_t max, bool *ret_has, int64_t *ret);
int spec_read_u64(struct spec_ctx *c, const struct json_val *v, const char *path, uint64_t max,
		  bool *ret_has, uint64_t *ret);
int spec_read_u32(struct spec_ctx *c, const struct json_val *v, const char *path, bool *ret_has,
		  uint32_t *ret);
/* obj.key, required. */
int spec_field_u32_req(struct spec_ctx *c, const struct json_val *obj, const char *path,
		       const char *key, uint32_t *ret);
int spec_field_str_req(struct spec_ctx *c, const struct json_val *obj, const char *path,
		       const char *key, char **ret);
/* A path relative to the bundle made absolute ("." and empty components dropped); an
 * absolute path, or any path when there is no bundle, is copied as is. */
int spec_bundle_join(struct spec_ctx *c, const char *rel, char **ret);
/* [{containerID, hostID, size}, ...] */
int spec_read_id_maps(struct spec_ctx *c, const struct json_val *v, const char *path,
		      struct spec_id_map **ret, size_t *ret_n);

/* obj.key as a string, borrowed from the document; absent (when !required) -> NULL. */
int spec_member_str(struct spec_ctx *c, const struct json_val *obj, const char *path,
		    const char *key, bool required, const char **ret);
/* An object of strings into a NULL-terminated k0,v0,k1,v1,... vector. */
int spec_read_string_map(struct spec_ctx *c, const struct json_val *v, const char *path,
			 char ***ret);

/* Reads an optional member: fn(c, obj.key, "path.key", ...). */
#define FIELD(fn, c, obj, path, key, ...)                                                          \
	({                                                                                         \
		char _p[SPEC_PATH_LEN];                                                            \
		fn((c), json_get((obj), (key)), spec_path_key(_p, (path), (key)), __VA_ARGS__);    \
	})

/* spec-linux.c: the "linux" object. */
int spec_parse_linux(struct spec_ctx *c, const struct json_val *v, const char *path,
		     struct spec_linux *l);
void spec_linux_free(struct spec_linux *l);
/* spec-resources.c: linux.resources. */
int spec_parse_resources(struct spec_ctx *c, const struct json_val *v, const char *path,
			 struct spec_resources *res);
void spec_resources_free(struct spec_resources *res);

#endif
