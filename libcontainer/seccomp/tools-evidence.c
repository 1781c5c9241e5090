/* Evidence as the profile tools see it: several files read with evidence_load (the
 * format and its reader are evidence.c's), and their records merged per (arch,
 * syscall) with the number of runs and calls behind each. Used by generate, its report
 * and check. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "macro.h"
#include "seccomp/tools.h"

int
tools_evidence_load(char *const *paths, size_t n, struct evidence_doc ***ret, struct lc_err *err)
{
	struct evidence_doc **docs = calloc(n ? n : 1, sizeof(*docs));
	int r;

	if (!docs)
		return lc_err_set(err, ENOMEM, "evidence");
	for (size_t i = 0; i < n; i++) {
		r = evidence_load(paths[i], &docs[i], err);
		if (r < 0) {
			tools_evidence_free(docs, i);
			return r;
		}
	}
	*ret = docs;
	return 0;
}

void
tools_evidence_free(struct evidence_doc **docs, size_t n)
{
	for (size_t i = 0; docs && i < n; i++)
		evidence_doc_free(docs[i]);
	free(docs);
}

struct rec_ref {
	const struct evidence_record *r;
	size_t doc;
};

static int
rec_ref_cmp(const void *pa, const void *pb)
{
	const struct rec_ref *a = pa, *b = pb;
	int c = strcmp(a->r->arch, b->r->arch);

	if (!c)
		c = strcmp(a->r->syscall, b->r->syscall);
	return c ? c : (a->doc > b->doc) - (a->doc < b->doc);
}

int
tools_evidence_collect(struct evidence_doc *const *docs, size_t n_docs, struct tools_seen **ret,
		       size_t *ret_n)
{
	_cleanup_free_ struct rec_ref *refs = NULL;
	struct tools_seen *v;
	size_t total = 0, k = 0, n = 0;

	for (size_t d = 0; d < n_docs; d++)
		total += docs[d]->n_records;
	refs = calloc(total ? total : 1, sizeof(*refs));
	v = calloc(total ? total : 1, sizeof(*v));
	if (!refs || !v) {
		free(v);
		return -ENOMEM;
	}
	for (size_t d = 0; d < n_docs; d++)
		for (size_t i = 0; i < docs[d]->n_records; i++)
			refs[k++] = (struct rec_ref){ &docs[d]->records[i], d };
	/* sorted by (arch, syscall, file): one pass groups them and counts each file once */
	qsort(refs, k, sizeof(*refs), rec_ref_cmp);
	for (size_t i = 0; i < k; i++) {
		const struct evidence_record *r = refs[i].r;
		struct tools_act act = tools_act_of(r->action, r->has_errno_ret, r->errno_ret);
		struct tools_seen *s = n ? &v[n - 1] : NULL;

		if (!s || strcmp(s->arch, r->arch) || strcmp(s->syscall, r->syscall)) {
			s = &v[n++];
			*s = (struct tools_seen){ .arch = r->arch, .syscall = r->syscall,
						  .nr = r->nr, .act = act, .first_run = refs[i].doc };
			s->runs = 1;
		} else if (refs[i].doc != refs[i - 1].doc) {
			s->runs++;
		}
		if (s->nr < 0)
			s->nr = r->nr;
		s->mixed_act |= !tools_act_eq(s->act, act);
		s->calls += r->count;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}
