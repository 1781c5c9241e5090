/* json.c: tree accessors, exact 64-bit integers (UINT64_MAX round trip), one-line parse
 * errors, and the generator (compact and pretty, misuse detected). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "tap.h"

static struct json_val *
parse(const char *text)
{
	struct json_val *v = NULL;
	char reason[256];

	if (json_parse(text, strlen(text), &v, reason, sizeof(reason)) < 0) {
		printf("# parse failed: %s\n", reason);
		return NULL;
	}
	return v;
}

/* Parses text, re-emits it compactly and returns the new text (malloc'd). */
static char *
roundtrip(const char *text)
{
	struct json_val *v = parse(text);
	struct json_gen *g = json_gen_new(false);
	char *out = NULL;

	if (!v || !g)
		return NULL;
	json_gen_value(g, v);
	if (json_gen_finish(g, &out, NULL) < 0)
		out = NULL;
	json_gen_free(g);
	json_free(v);
	return out;
}

static void
test_accessors(void)
{
	struct json_val *v = parse("{\"s\":\"x\",\"n\":42,\"t\":true,\"f\":false,\"z\":null,"
				   "\"a\":[1,\"two\",{}],\"o\":{\"k\":\"v\"},\"d\":1,\"d\":2}");

	ok(v != NULL, "object parses");
	is_int(json_type(v), JSON_OBJECT, "root is an object");
	is_int(json_len(v), 9, "9 members (duplicates kept)");
	is_str(json_key_at(v, 0), "s", "first key");
	is_str(json_string(json_get(v, "s")), "x", "string member");
	is_int(json_type(json_get(v, "n")), JSON_NUMBER, "number type");
	is_str(json_number_text(json_get(v, "n")), "42", "number text");
	ok(json_bool(json_get(v, "t")) && !json_bool(json_get(v, "f")), "booleans");
	is_int(json_type(json_get(v, "t")), JSON_BOOL, "bool type");
	is_int(json_type(json_get(v, "z")), JSON_NULL, "null type");
	ok(json_get(v, "z") != NULL, "null member is present");
	ok(json_get(v, "missing") == NULL, "missing member is NULL");
	is_int(json_len(json_get(v, "a")), 3, "array length");
	is_str(json_string(json_at(json_get(v, "a"), 1)), "two", "array element");
	ok(json_at(json_get(v, "a"), 3) == NULL, "out of range element is NULL");
	is_int(json_type(json_at(json_get(v, "a"), 2)), JSON_OBJECT, "nested object");
	is_str(json_string(json_value_at(json_get(v, "o"), 0)), "v", "value_at");
	ok(json_get(json_get(v, "a"), "k") == NULL, "json_get on an array is NULL");
	ok(json_string(json_get(v, "n")) == NULL, "json_string on a number is NULL");
	int64_t d = 0;
	json_int64(json_get(v, "d"), &d);
	is_int(d, 2, "the last duplicate key wins");
	is_str(json_type_name(JSON_ARRAY), "array", "type name");
	json_free(v);
}

static void
test_integers(void)
{
	struct json_val *v = parse("[18446744073709551615, 18446744073709551616, -1, "
				   "9223372036854775807, -9223372036854775808, "
				   "-9223372036854775809, 1.5, 1e3, 0, -0]");
	uint64_t u = 0;
	int64_t i = 0;

	ok(v != NULL, "integer array parses");
	is_int(json_uint64(json_at(v, 0), &u), 0, "UINT64_MAX reads as uint64");
	ok(u == UINT64_MAX, "UINT64_MAX is exact");
	is_int(json_int64(json_at(v, 0), &i), -ERANGE, "UINT64_MAX is not an int64");
	is_int(json_uint64(json_at(v, 1), &u), -ERANGE, "UINT64_MAX+1 is out of range");
	is_int(json_uint64(json_at(v, 2), &u), -ERANGE, "-1 is not a uint64");
	is_int(json_int64(json_at(v, 2), &i), 0, "-1 is an int64");
	is_int(i, -1, "-1 value");
	is_int(json_int64(json_at(v, 3), &i), 0, "INT64_MAX");
	ok(i == INT64_MAX, "INT64_MAX exact");
	is_int(json_int64(json_at(v, 4), &i), 0, "INT64_MIN");
	ok(i == INT64_MIN, "INT64_MIN exact");
	is_int(json_int64(json_at(v, 5), &i), -ERANGE, "INT64_MIN-1 is out of range");
	is_int(json_int64(json_at(v, 6), &i), -EINVAL, "1.5 is not an integer");
	is_int(json_uint64(json_at(v, 7), &u), -EINVAL, "1e3 is not a plain integer");
	is_int(json_uint64(json_at(v, 8), &u), 0, "0");
	is_int(json_uint64(json_at(v, 9), &u), 0, "-0 is a uint64 zero");
	is_int(json_int64(json_at(v, 0 + 100), &i), -EINVAL, "absent value is not an integer");
	is_str(json_number_text(json_at(v, 0)), "18446744073709551615", "number text kept");
	json_free(v);
}

static void
test_roundtrip(void)
{
	const char *in =
		"{\"args\":[{\"index\":0,\"value\":18446744073709551615,"
		"\"valueTwo\":9223372036854775808,\"op\":\"SCMP_CMP_MASKED_EQ\"}],"
		"\"neg\":-42,\"f\":1.25,\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"b\":[true,false,"
		"null],\"e\":{},\"ea\":[]}";
	char *out = roundtrip(in);

	is_str(out, in, "parse + json_gen_value reproduces the document exactly");
	free(out);
	out = roundtrip("{ \"a\" : [ 1 , 2 ] }");
	is_str(out, "{\"a\":[1,2]}", "generator is compact by default");
	free(out);
}

static void
test_generator(void)
{
	struct json_gen *g = json_gen_new(false);
	char *out = NULL;
	size_t len = 0;

	json_gen_obj_open(g);
	json_gen_key(g, "u");
	json_gen_uint(g, UINT64_MAX);
	json_gen_key(g, "i");
	json_gen_int(g, INT64_MIN);
	json_gen_key(g, "s");
	json_gen_string(g, "tab\there \"q\"");
	json_gen_key(g, "n");
	json_gen_string(g, NULL);
	json_gen_key(g, "a");
	json_gen_arr_open(g);
	json_gen_bool(g, true);
	json_gen_null(g);
	json_gen_arr_close(g);
	json_gen_obj_close(g);
	is_int(json_gen_finish(g, &out, &len), 0, "finish");
	is_str(out,
	       "{\"u\":18446744073709551615,\"i\":-9223372036854775808,"
	       "\"s\":\"tab\\there \\\"q\\\"\",\"n\":null,\"a\":[true,null]}",
	       "generated text");
	is_int(len, strlen(out ? out : ""), "length matches");
	/* what we generate parses back to the same numbers */
	struct json_val *v = out ? parse(out) : NULL;
	uint64_t u = 0;
	int64_t i = 0;
	json_uint64(json_get(v, "u"), &u);
	json_int64(json_get(v, "i"), &i);
	ok(u == UINT64_MAX && i == INT64_MIN, "generated integers read back exactly");
	json_free(v);
	free(out);
	json_gen_free(g);

	g = json_gen_new(true);
	json_gen_obj_open(g);
	json_gen_key(g, "k");
	json_gen_arr_open(g);
	json_gen_int(g, 1);
	json_gen_arr_close(g);
	json_gen_obj_close(g);
	out = NULL;
	is_int(json_gen_finish(g, &out, NULL), 0, "pretty finish");
	ok(out && strchr(out, '\n') && strstr(out, "\t\"k\""), "pretty output is indented: %s",
	   out ? out : "(null)");
	free(out);
	json_gen_free(g);

	g = json_gen_new(false);
	json_gen_obj_open(g);
	json_gen_key(g, "k");
	json_gen_arr_open(g);
	out = NULL;
	is_int(json_gen_finish(g, &out, NULL), -EINVAL, "unclosed containers are refused");
	ok(out == NULL, "no text on failure");
	json_gen_free(g);

	g = json_gen_new(false);
	json_gen_obj_open(g);
	json_gen_int(g, 1); /* a value where a key must be */
	json_gen_obj_close(g);
	is_int(json_gen_finish(g, &out, NULL), -EINVAL, "a non-string key is refused");
	json_gen_free(g);

	g = json_gen_new(false);
	is_int(json_gen_finish(g, &out, NULL), -EINVAL, "an empty document is refused");
	json_gen_free(g);
}

static void
test_errors(void)
{
	struct json_val *v = NULL;
	char reason[256];
	const char *bad = "{\"a\": [1, 2,, 3]}";

	is_int(json_parse(bad, strlen(bad), &v, reason, sizeof(reason)), -EINVAL,
	       "invalid JSON is refused");
	ok(reason[0] != '\0' && strchr(reason, '\n') == NULL, "reason is one line: %s", reason);
	has_str(reason, "parse error", "reason comes from yajl");
	is_int(json_parse("{\"a\":", 5, &v, reason, sizeof(reason)), -EINVAL, "truncated JSON");
	ok(reason[0] != '\0' && strchr(reason, '\n') == NULL, "truncated: one line: %s", reason);
	is_int(json_parse("{}\0{}", 5, &v, reason, sizeof(reason)), -EINVAL, "NUL byte refused");
	has_str(reason, "NUL", "NUL reason");
	is_int(json_parse("[1] [2]", 7, &v, reason, sizeof(reason)), -EINVAL,
	       "trailing garbage refused");
	/* the input need not be NUL-terminated */
	is_int(json_parse("[7]xyz", 3, &v, reason, sizeof(reason)), 0, "length is honoured");
	is_str(json_number_text(json_at(v, 0)), "7", "parsed the first 3 bytes");
	json_free(v);
}

int
main(void)
{
	test_accessors();
	test_integers();
	test_roundtrip();
	test_generator();
	test_errors();
	return tap_done();
}
