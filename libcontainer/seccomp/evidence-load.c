/* Reading observe-mode evidence back: evidence_load turns an evidence file
 * (docs/seccomp-evidence.md) into a plain struct evidence_doc for the profile tooling
 * (generate, merge, check). Recording and writing are evidence.c. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "json.h"
#include "tables.h"
#include "seccomp/observe.h"

/* An evidence file larger than this is refused. */
#define EVIDENCE_MAX_FILE (64u << 20)

void
evidence_doc_free(struct evidence_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_records; i++) {
		struct evidence_record *r = &d->records[i];
		free(r->syscall);
		free(r->arch);
		free(r->first);
		free(r->last);
		strv_freep(&r->executables);
	}
	free(d->records);
	free(d->entrypoint.path);
	free(d->entrypoint.sha256);
	for (size_t i = 0; i < d->n_exes; i++) {
		free(d->exes[i].path);
		free(d->exes[i].sha256);
	}
	free(d->exes);
	strv_freep(&d->image);
	free(d->path);
	free(d->id);
	free(d->bundle);
	free(d->label);
	free(d->base_sha256);
	free(d->base_source);
	free(d->start);
	free(d->end);
	free(d->strait_version);
	free(d->libseccomp_version);
	free(d->kernel_version);
	free(d);
}

/* A string member (or null/absent) of obj into *ret; field names it in errors. */
static int
load_str(const char *file, const struct json_val *obj, const char *key, const char *field,
	 bool required, char **ret, struct lc_err *err)
{
	const struct json_val *v = json_get(obj, key);

	*ret = NULL;
	if (!v || json_type(v) == JSON_NULL) {
		if (required)
			return lc_err_setx(err, EINVAL, "%s: %s: missing", file, field);
		return 0;
	}
	if (json_type(v) != JSON_STRING)
		return lc_err_setx(err, EINVAL, "%s: %s: expected a string, got %s", file, field,
				   json_type_name(json_type(v)));
	if (!(*ret = strdup(json_string(v))))
		return lc_err_set(err, ENOMEM, "%s", file);
	return 0;
}

static int
load_u64(const char *file, const struct json_val *obj, const char *key, const char *field,
	 uint64_t max, uint64_t *ret, struct lc_err *err)
{
	const struct json_val *v = json_get(obj, key);

	if (!v)
		return lc_err_setx(err, EINVAL, "%s: %s: missing", file, field);
	if (json_type(v) != JSON_NUMBER || json_uint64(v, ret) < 0 || *ret > max)
		return lc_err_setx(err, EINVAL, "%s: %s: %s is not an integer in 0..%" PRIu64, file,
				   field,
				   json_type(v) == JSON_NUMBER ? json_number_text(v)
							       : json_type_name(json_type(v)),
				   max);
	return 0;
}

static int
load_exes(const char *file, const struct json_val *v, const char *field, struct evidence_record *r,
	  struct lc_err *err)
{
	size_t n = v ? json_len(v) : 0;

	if (v && json_type(v) != JSON_ARRAY)
		return lc_err_setx(err, EINVAL, "%s: %s.executables: expected an array", file,
				   field);
	r->executables = calloc(n + 1, sizeof(char *));
	if (!r->executables)
		return lc_err_set(err, ENOMEM, "%s", file);
	for (size_t k = 0; k < n; k++) {
		const char *s = json_string(json_at(v, k));
		if (!s)
			return lc_err_setx(err, EINVAL,
					   "%s: %s.executables[%zu]: expected a string", file,
					   field, k);
		if (!(r->executables[k] = strdup(s)))
			return lc_err_set(err, ENOMEM, "%s", file);
		r->n_executables++;
	}
	return 0;
}

/* "args" (enforce mode): the arguments the profile tested, [{"index": i, "value": v}]. */
static int
load_args(const char *file, const struct json_val *v, const char *field, struct evidence_record *r,
	  struct lc_err *err)
{
	if (!v)
		return 0;
	if (json_type(v) != JSON_ARRAY)
		return lc_err_setx(err, EINVAL, "%s: %s.args: expected an array", file, field);
	for (size_t k = 0; k < json_len(v); k++) {
		const struct json_val *a = json_at(v, k);
		char sub[80];
		uint64_t index, value;
		int q;

		snprintf(sub, sizeof(sub), "%s.args[%zu]", field, k);
		if (json_type(a) != JSON_OBJECT)
			return lc_err_setx(err, EINVAL, "%s: %s: expected an object", file, sub);
		if ((q = load_u64(file, a, "index", sub, 5, &index, err)) < 0 ||
		    (q = load_u64(file, a, "value", sub, UINT64_MAX, &value, err)) < 0)
			return q;
		r->tested |= 1u << index;
		r->argv[index] = value;
	}
	return 0;
}

static int
load_record(const char *file, const struct json_val *v, size_t i, struct evidence_record *r,
	    struct lc_err *err)
{
	_cleanup_free_ char *action = NULL;
	char field[48];
	uint64_t u;
	int a, q;

	snprintf(field, sizeof(field), "records[%zu]", i);
	r->nr = -1;
	if (json_type(v) != JSON_OBJECT)
		return lc_err_setx(err, EINVAL, "%s: %s: expected an object", file, field);
	char sub[80];
#define SUB(k) (snprintf(sub, sizeof(sub), "%s.%s", field, k), sub)
	if ((q = load_str(file, v, "syscall", SUB("syscall"), true, &r->syscall, err)) < 0 ||
	    (q = load_str(file, v, "arch", SUB("arch"), true, &r->arch, err)) < 0 ||
	    (q = load_str(file, v, "action", SUB("action"), true, &action, err)) < 0 ||
	    (q = load_str(file, v, "first", SUB("first"), false, &r->first, err)) < 0 ||
	    (q = load_str(file, v, "last", SUB("last"), false, &r->last, err)) < 0 ||
	    (q = load_u64(file, v, "count", SUB("count"), UINT64_MAX, &r->count, err)) < 0)
		return q;
	if (!*r->syscall)
		return lc_err_setx(err, EINVAL, "%s: %s: empty name", file, SUB("syscall"));
	if ((a = table_seccomp_action_from_name(action)) < 0 || a == SCMP_ACT_ALLOW_)
		return lc_err_setx(err, EINVAL, "%s: %s: %s \"%s\"", file, SUB("action"),
				   a < 0 ? "unknown action" : "a record never has", action);
	r->action = (enum seccomp_action)a;
	if (json_get(v, "errnoRet")) {
		if ((q = load_u64(file, v, "errnoRet", SUB("errnoRet"), 0xffff, &u, err)) < 0)
			return q;
		r->has_errno_ret = true;
		r->errno_ret = (unsigned)u;
	}
	if (json_get(v, "nr")) {
		if ((q = load_u64(file, v, "nr", SUB("nr"), INT32_MAX, &u, err)) < 0)
			return q;
		r->nr = (int)u;
	}
#undef SUB
	if ((q = load_args(file, json_get(v, "args"), field, r, err)) < 0)
		return q;
	return load_exes(file, json_get(v, "executables"), field, r, err);
}

/* The string members of the header: where they are and where they go. */
static const struct header_field {
	const char *obj; /* NULL: the top level */
	const char *key, *field;
	size_t off;
} header_fields[] = {
	{ "container", "id", "container.id", offsetof(struct evidence_doc, id) },
	{ "container", "bundle", "container.bundle", offsetof(struct evidence_doc, bundle) },
	{ "container", "label", "container.label", offsetof(struct evidence_doc, label) },
	{ "baseProfile", "sha256", "baseProfile.sha256",
	  offsetof(struct evidence_doc, base_sha256) },
	{ "baseProfile", "source", "baseProfile.source",
	  offsetof(struct evidence_doc, base_source) },
	{ NULL, "start", "start", offsetof(struct evidence_doc, start) },
	{ NULL, "end", "end", offsetof(struct evidence_doc, end) },
	{ "versions", "strait", "versions.strait", offsetof(struct evidence_doc, strait_version) },
	{ "versions", "libseccomp", "versions.libseccomp",
	  offsetof(struct evidence_doc, libseccomp_version) },
	{ "versions", "kernel", "versions.kernel", offsetof(struct evidence_doc, kernel_version) },
};

static int
load_header(const char *file, const struct json_val *root, struct evidence_doc *d,
	    struct lc_err *err)
{
	uint64_t version;
	int q;

	if ((q = load_u64(file, root, "straitEvidence", "straitEvidence", INT32_MAX, &version,
			  err)) < 0)
		return q;
	if (version != EVIDENCE_FORMAT_VERSION)
		return lc_err_setx(err, EINVAL,
				   "%s: straitEvidence: version %" PRIu64 " is not supported "
				   "(this strait reads version %d)",
				   file, version, EVIDENCE_FORMAT_VERSION);
	d->version = (int)version;
	for (size_t i = 0; i < ARRAY_SIZE(header_fields); i++) {
		const struct header_field *f = &header_fields[i];
		const struct json_val *obj = f->obj ? json_get(root, f->obj) : root;
		char **dst = (char **)((char *)d + f->off);

		if ((q = load_str(file, obj, f->key, f->field, false, dst, err)) < 0)
			return q;
	}
	_cleanup_free_ char *mode = NULL;
	if ((q = load_str(file, root, "mode", "mode", false, &mode, err)) < 0)
		return q;
	if (mode && strcmp(mode, "observe") && strcmp(mode, "enforce"))
		return lc_err_setx(err, EINVAL, "%s: mode: \"%s\" is not observe or enforce", file,
				   mode);
	d->enforce = mode && !strcmp(mode, "enforce");
	if (json_get(root, "recordsDropped") &&
	    (q = load_u64(file, root, "recordsDropped", "recordsDropped", UINT64_MAX,
			  &d->records_dropped, err)) < 0)
		return q;
	return 0;
}

static int
load_exe(const char *file, const struct json_val *v, const char *field, struct evidence_exe *x,
	 struct lc_err *err)
{
	char sub[64];
	int q;

	if (json_type(v) != JSON_OBJECT)
		return lc_err_setx(err, EINVAL, "%s: %s: expected an object", file, field);
	snprintf(sub, sizeof(sub), "%s.path", field);
	if ((q = load_str(file, v, "path", sub, true, &x->path, err)) < 0)
		return q;
	snprintf(sub, sizeof(sub), "%s.sha256", field);
	return load_str(file, v, "sha256", sub, false, &x->sha256, err);
}

/* "facts" (optional: files of earlier strait versions have none). */
static int
load_facts(const char *file, const struct json_val *f, struct evidence_doc *d, struct lc_err *err)
{
	const struct json_val *ep = f ? json_get(f, "entrypoint") : NULL;
	const struct json_val *ex = f ? json_get(f, "executables") : NULL;
	const struct json_val *img = f ? json_get(f, "image") : NULL;
	int q;

	if (f && json_type(f) != JSON_OBJECT)
		return lc_err_setx(err, EINVAL, "%s: facts: expected an object", file);
	if (ep && json_type(ep) != JSON_NULL &&
	    (q = load_exe(file, ep, "facts.entrypoint", &d->entrypoint, err)) < 0)
		return q;
	if (ex && json_type(ex) != JSON_ARRAY)
		return lc_err_setx(err, EINVAL, "%s: facts.executables: expected an array", file);
	size_t n = ex ? json_len(ex) : 0;
	if (n && !(d->exes = calloc(n, sizeof(*d->exes))))
		return lc_err_set(err, ENOMEM, "%s", file);
	for (size_t i = 0; i < n; i++) {
		char field[48];
		snprintf(field, sizeof(field), "facts.executables[%zu]", i);
		d->n_exes++;
		if ((q = load_exe(file, json_at(ex, i), field, &d->exes[i], err)) < 0)
			return q;
	}
	if (img && json_type(img) != JSON_OBJECT)
		return lc_err_setx(err, EINVAL, "%s: facts.image: expected an object", file);
	n = img ? json_len(img) : 0;
	if (!(d->image = calloc(n + 1, sizeof(char *))))
		return lc_err_set(err, ENOMEM, "%s", file);
	for (size_t i = 0, k = 0; i < n; i++) {
		const char *v = json_string(json_value_at(img, i));
		if (!v)
			return lc_err_setx(err, EINVAL, "%s: facts.image[\"%s\"]: expected a string",
					   file, json_key_at(img, i));
		if (asprintf(&d->image[k++], "%s=%s", json_key_at(img, i), v) < 0) {
			d->image[k - 1] = NULL;
			return lc_err_set(err, ENOMEM, "%s", file);
		}
	}
	return 0;
}

static void
json_freep(struct json_val **v)
{
	json_free(*v);
}

int
evidence_load(const char *path, struct evidence_doc **ret, struct lc_err *err)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_(json_freep) struct json_val *root = NULL;
	_cleanup_evidence_doc_ struct evidence_doc *d = NULL;
	const struct json_val *recs;
	char jerr[256];
	size_t len, n;
	int q;

	q = observe_read_file(path, EVIDENCE_MAX_FILE, &text, &len, err);
	if (q < 0)
		return q;
	if (json_parse(text, len, &root, jerr, sizeof(jerr)) < 0)
		return lc_err_setx(err, EINVAL, "%s: not valid JSON: %s", path, jerr);
	if (json_type(root) != JSON_OBJECT || !json_get(root, "straitEvidence"))
		return lc_err_setx(err, EINVAL,
				   "%s: not a strait evidence file (no \"straitEvidence\" member)",
				   path);
	if (!(d = calloc(1, sizeof(*d))) || !(d->path = strdup(path)))
		return lc_err_set(err, ENOMEM, "%s", path);
	if ((q = load_header(path, root, d, err)) < 0)
		return q;
	if ((q = load_facts(path, json_get(root, "facts"), d, err)) < 0)
		return q;
	recs = json_get(root, "records");
	if (!recs || json_type(recs) != JSON_ARRAY)
		return lc_err_setx(err, EINVAL, "%s: records: expected an array", path);
	n = json_len(recs);
	/* strait's own calls after the twin's load (noNewPrivileges=false) come after the
	 * workload's, flagged: a profile needs them to be enforceable. */
	const struct json_val *rt = json_get(root, "runtimeRecords");
	size_t m = rt && json_type(rt) == JSON_ARRAY ? json_len(rt) : 0;
	if (!(d->records = calloc(n + m ? n + m : 1, sizeof(*d->records))))
		return lc_err_set(err, ENOMEM, "%s", path);
	for (size_t i = 0; i < n + m; i++) {
		bool own = i >= n;
		d->n_records++;
		q = load_record(path, json_at(own ? rt : recs, own ? i - n : i), own ? i - n : i,
				&d->records[i], err);
		if (q < 0)
			return q;
		d->records[i].by_runtime = own;
	}
	*ret = TAKE_PTR(d);
	return 0;
}
