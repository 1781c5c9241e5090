/* What evidence was gathered on, merged over runs (docs/seccomp-tools.md, "Facts"):
 * kernels, libseccomp and strait versions, entrypoints and executables with their
 * sha256, image identity. generate writes them into the report and into the profile's
 * straitProvenance; `check --against` compares them with a bundle or a container. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "macro.h"
#include "seccomp/tools.h"

/* ---- sets ---- */
static int
strset_add(struct tools_strset *s, const char *v)
{
	if (!v)
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], v))
			return 0;
	char **p = reallocarray(s->v, s->n + 2, sizeof(*p));
	if (!p)
		return -ENOMEM;
	s->v = p;
	if (!(s->v[s->n] = strdup(v)))
		return -ENOMEM;
	s->v[++s->n] = NULL;
	return 0;
}

static int
exeset_add(struct tools_exeset *s, const char *path, const char *sha)
{
	if (!path)
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].path, path) &&
		    ((!sha && !s->v[i].sha256) ||
		     (sha && s->v[i].sha256 && !strcmp(sha, s->v[i].sha256))))
			return 0;
	struct evidence_exe *p = reallocarray(s->v, s->n + 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	s->v = p;
	s->v[s->n] = (struct evidence_exe){ strdup(path), sha ? strdup(sha) : NULL };
	if (!s->v[s->n].path || (sha && !s->v[s->n].sha256)) {
		free(s->v[s->n].path);
		free(s->v[s->n].sha256);
		return -ENOMEM;
	}
	s->n++;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_exe(const void *a, const void *b)
{
	const struct evidence_exe *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : strcmp(x->sha256 ? x->sha256 : "", y->sha256 ? y->sha256 : "");
}

static void
facts_sort(struct tools_facts *f)
{
	struct tools_strset *sets[] = { &f->kernels, &f->libseccomps, &f->straits, &f->image };
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++)
		if (sets[i]->n)
			qsort(sets[i]->v, sets[i]->n, sizeof(char *), cmp_str);
	if (f->entrypoints.n)
		qsort(f->entrypoints.v, f->entrypoints.n, sizeof(struct evidence_exe), cmp_exe);
	if (f->exes.n)
		qsort(f->exes.v, f->exes.n, sizeof(struct evidence_exe), cmp_exe);
}

static void
strset_free(struct tools_strset *s)
{
	strv_freep(&s->v);
	s->n = 0;
}

static void
exeset_free(struct tools_exeset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].sha256);
	}
	free(s->v);
	*s = (struct tools_exeset){ 0 };
}

void
tools_facts_free(struct tools_facts *f)
{
	strset_free(&f->kernels);
	strset_free(&f->libseccomps);
	strset_free(&f->straits);
	strset_free(&f->image);
	exeset_free(&f->entrypoints);
	exeset_free(&f->exes);
	free(f->last);
	*f = (struct tools_facts){ 0 };
}

int
tools_facts_from_docs(struct evidence_doc *const *docs, size_t n, struct tools_facts *f)
{
	int r = 0;

	*f = (struct tools_facts){ 0 };
	for (size_t i = 0; i < n && r >= 0; i++) {
		const struct evidence_doc *d = docs[i];
		r = strset_add(&f->kernels, d->kernel_version);
		r = r < 0 ? r : strset_add(&f->libseccomps, d->libseccomp_version);
		r = r < 0 ? r : strset_add(&f->straits, d->strait_version);
		r = r < 0 ? r : exeset_add(&f->entrypoints, d->entrypoint.path, d->entrypoint.sha256);
		for (size_t k = 0; r >= 0 && k < d->n_exes; k++)
			r = exeset_add(&f->exes, d->exes[k].path, d->exes[k].sha256);
		for (char **kv = d->image; r >= 0 && kv && *kv; kv++)
			r = strset_add(&f->image, *kv);
		if (r >= 0 && d->end && (!f->last || strcmp(d->end, f->last) > 0)) {
			free(f->last);
			r = (f->last = strdup(d->end)) ? 0 : -ENOMEM;
		}
	}
	f->runs = n;
	facts_sort(f);
	return r;
}

/* ---- the report's section ---- */
static void
print_set(FILE *out, const char *what, const struct tools_strset *s)
{
	fprintf(out, "  %s: ", what);
	for (size_t i = 0; i < s->n; i++)
		fprintf(out, "%s%s", i ? ", " : "", s->v[i]);
	fputs(s->n ? "\n" : "(not recorded)\n", out);
}

static void
print_exes(FILE *out, const char *what, const struct tools_exeset *s)
{
	fprintf(out, "  %s: %zu%s\n", what, s->n, s->n ? "" : " (not recorded)");
	for (size_t i = 0; i < s->n; i++)
		fprintf(out, "    %s sha256 %s\n", s->v[i].path,
			s->v[i].sha256 ? s->v[i].sha256 : "(not hashed)");
}

void
tools_facts_report(FILE *out, const struct tools_facts *f)
{
	fputs("facts (what the runs were recorded on; `strait seccomp check --against` compares "
	      "them with a bundle or a container):\n",
	      out);
	print_set(out, "kernel", &f->kernels);
	print_set(out, "libseccomp", &f->libseccomps);
	print_set(out, "strait", &f->straits);
	print_exes(out, "entrypoints", &f->entrypoints);
	print_exes(out, "executables", &f->exes);
	print_set(out, "image", &f->image);
}

/* ---- straitProvenance ---- */
static void
gen_set(struct json_gen *g, const char *key, const struct tools_strset *s)
{
	json_gen_key(g, key);
	json_gen_arr_open(g);
	for (size_t i = 0; i < s->n; i++)
		json_gen_string(g, s->v[i]);
	json_gen_arr_close(g);
}

static void
gen_exes(struct json_gen *g, const char *key, const struct tools_exeset *s)
{
	json_gen_key(g, key);
	json_gen_arr_open(g);
	for (size_t i = 0; i < s->n; i++) {
		json_gen_obj_open(g);
		json_gen_key(g, "path");
		json_gen_string(g, s->v[i].path);
		json_gen_key(g, "sha256");
		json_gen_string(g, s->v[i].sha256);
		json_gen_obj_close(g);
	}
	json_gen_arr_close(g);
}

int
tools_provenance_json(const struct tools_facts *f, const char *report_sha256, const char *now,
		      char **ret)
{
	struct json_gen *g = json_gen_new(false);
	if (!g)
		return -ENOMEM;
	json_gen_obj_open(g);
	json_gen_key(g, "reportSha256");
	json_gen_string(g, report_sha256);
	json_gen_key(g, "generated");
	json_gen_string(g, now);
	json_gen_key(g, "runs");
	json_gen_uint(g, f->runs);
	json_gen_key(g, "lastRun");
	json_gen_string(g, f->last);
	json_gen_key(g, "facts");
	json_gen_obj_open(g);
	gen_set(g, "kernel", &f->kernels);
	gen_set(g, "libseccomp", &f->libseccomps);
	gen_set(g, "strait", &f->straits);
	gen_exes(g, "entrypoints", &f->entrypoints);
	gen_exes(g, "executables", &f->exes);
	gen_set(g, "image", &f->image);
	json_gen_obj_close(g);
	json_gen_obj_close(g);
	int r = json_gen_finish(g, ret, NULL);
	json_gen_free(g);
	return r;
}

static int
read_set(const struct json_val *facts, const char *key, struct tools_strset *s)
{
	const struct json_val *a = json_get(facts, key);
	for (size_t i = 0; a && json_type(a) == JSON_ARRAY && i < json_len(a); i++) {
		int r = strset_add(s, json_string(json_at(a, i)));
		if (r < 0)
			return r;
	}
	return 0;
}

static int
read_exes(const struct json_val *facts, const char *key, struct tools_exeset *s)
{
	const struct json_val *a = json_get(facts, key);
	for (size_t i = 0; a && json_type(a) == JSON_ARRAY && i < json_len(a); i++) {
		const struct json_val *x = json_at(a, i);
		int r = exeset_add(s, json_string(json_get(x, "path")),
				   json_string(json_get(x, "sha256")));
		if (r < 0)
			return r;
	}
	return 0;
}

int
tools_facts_from_provenance(const char *text, struct tools_facts *f)
{
	struct json_val *v = NULL;
	char jerr[64];
	uint64_t runs = 0;
	int r;

	*f = (struct tools_facts){ 0 };
	if (json_parse(text, strlen(text), &v, jerr, sizeof(jerr)) < 0)
		return -EINVAL;
	const struct json_val *facts = json_get(v, "facts");
	const char *last = json_string(json_get(v, "lastRun"));
	if (json_get(v, "runs"))
		json_uint64(json_get(v, "runs"), &runs);
	f->runs = (size_t)runs;
	r = last && !(f->last = strdup(last)) ? -ENOMEM : 0;
	r = r < 0 ? r : read_set(facts, "kernel", &f->kernels);
	r = r < 0 ? r : read_set(facts, "libseccomp", &f->libseccomps);
	r = r < 0 ? r : read_set(facts, "strait", &f->straits);
	r = r < 0 ? r : read_exes(facts, "entrypoints", &f->entrypoints);
	r = r < 0 ? r : read_exes(facts, "executables", &f->exes);
	r = r < 0 ? r : read_set(facts, "image", &f->image);
	json_free(v);
	return r;
}
