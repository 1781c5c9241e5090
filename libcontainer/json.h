/* The one JSON module: yajl stays behind this header. Reading is a tree (parse once,
 * walk typed accessors); writing is a small generator. No other file includes yajl. */
#ifndef STRAIT_JSON_H
#define STRAIT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_val; /* opaque, owned by the tree returned from json_parse() */

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

/* Parses text; on failure returns -EINVAL and writes a one-line reason into errbuf. */
int json_parse(const char *text, size_t len, struct json_val **ret, char *errbuf, size_t errlen);
void json_free(struct json_val *v);

enum json_type json_type(const struct json_val *v);
const char *json_type_name(enum json_type t); /* "string", "object", ... */
/* Object member lookup; NULL when v is not an object or has no such key. */
const struct json_val *json_get(const struct json_val *obj, const char *key);
/* Number of elements (array) or members (object); 0 otherwise. */
size_t json_len(const struct json_val *v);
const struct json_val *json_at(const struct json_val *arr, size_t i);
const char *json_key_at(const struct json_val *obj, size_t i);
const struct json_val *json_value_at(const struct json_val *obj, size_t i);

const char *json_string(const struct json_val *v); /* NULL if not a string */
bool json_bool(const struct json_val *v);
/* Integer accessors: return -ERANGE/-EINVAL when v is not an integer that fits. */
int json_int64(const struct json_val *v, int64_t *ret);
int json_uint64(const struct json_val *v, uint64_t *ret);
/* The number exactly as written in the document (for error messages). */
const char *json_number_text(const struct json_val *v);

/* ---- generator ---- */
struct json_gen;
struct json_gen *json_gen_new(bool pretty);
void json_gen_free(struct json_gen *g);
void json_gen_obj_open(struct json_gen *g);
void json_gen_obj_close(struct json_gen *g);
void json_gen_arr_open(struct json_gen *g);
void json_gen_arr_close(struct json_gen *g);
void json_gen_key(struct json_gen *g, const char *key);
void json_gen_string(struct json_gen *g, const char *s); /* NULL writes null */
void json_gen_int(struct json_gen *g, int64_t v);
void json_gen_uint(struct json_gen *g, uint64_t v);
void json_gen_bool(struct json_gen *g, bool v);
void json_gen_null(struct json_gen *g);
/* Re-emits an already parsed value (deep copy into the output). */
void json_gen_value(struct json_gen *g, const struct json_val *v);
/* Returns the text (malloc'd, NUL-terminated) or -ENOMEM / -EINVAL on misuse. */
int json_gen_finish(struct json_gen *g, char **ret_text, size_t *ret_len);

#endif
