/* The coverage report of `strait seccomp generate`: which runs were merged, how many of
 * them used each syscall, weak evidence (one run), what the base allows that no run
 * used, and how much of what the output allows the runs exercised. Plain text, stable
 * order, so that it can be diffed between generations. The profile itself is
 * tools-generate.c's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "macro.h"
#include "seccomp/seccomp.h"
#include "seccomp/tools.h"

static const char *
label_of(const struct evidence_doc *d)
{
	return d->label && *d->label ? d->label : "(no label)";
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "2 (admin: 1 run, startup: 2 runs)" */
static int
print_labels(FILE *f, const struct tools_gen_result *g)
{
	_cleanup_free_ const char **l = calloc(g->n_docs + 1, sizeof(*l));
	size_t distinct = 0;

	if (!l)
		return -ENOMEM;
	for (size_t i = 0; i < g->n_docs; i++)
		l[i] = label_of(g->docs[i]);
	qsort(l, g->n_docs, sizeof(*l), strp_cmp);
	for (size_t i = 0; i < g->n_docs; i++)
		distinct += !i || strcmp(l[i - 1], l[i]) != 0;
	fprintf(f, "labels: %zu (", distinct);
	for (size_t i = 0, e; i < g->n_docs; i = e) {
		for (e = i; e < g->n_docs && strcmp(l[e], l[i]) == 0; e++)
			;
		fprintf(f, "%s%s: %zu run%s", i ? ", " : "", l[i], e - i, e - i == 1 ? "" : "s");
	}
	fputs(")\n", f);
	return 0;
}

static void
print_runs(FILE *f, const struct tools_gen_result *g)
{
	const char *first = NULL, *last = NULL;

	fprintf(f, "runs merged: %zu\n", g->n_docs);
	for (size_t i = 0; i < g->n_docs; i++) {
		const struct evidence_doc *d = g->docs[i];

		fprintf(f, "  run %zu: %s: container %s, label %s, %s .. %s, %zu record%s, recorded "
			   "against sha256 %s\n",
			i + 1, d->path ? d->path : "-", d->id ? d->id : "-", label_of(d),
			d->start ? d->start : "?", d->end ? d->end : "?", d->n_records,
			d->n_records == 1 ? "" : "s", d->base_sha256 ? d->base_sha256 : "(unknown)");
		/* RFC 3339 UTC with a fixed number of digits sorts as text */
		if (d->start && (!first || strcmp(d->start, first) < 0))
			first = d->start;
		if (d->end && (!last || strcmp(d->end, last) > 0))
			last = d->end;
	}
	fprintf(f, "time span: %s .. %s\n", first ? first : "?", last ? last : "?");
}

/* Names the output lets some call of through (on an arch it covers), and how many of
 * them the runs recorded. *ret_all is set when the defaultAction lets the rest through. */
static int
count_allowed(const struct tools_gen_result *g, size_t *ret_allowed, size_t *ret_used,
	      bool *ret_all)
{
	struct tools_view v;
	_cleanup_free_ const char **archs = NULL;
	size_t n_archs;

	if (tools_view_build(g->out, &v) < 0 || tools_effective_archs(g->out, &archs, &n_archs) < 0)
		return -ENOMEM;
	*ret_allowed = *ret_used = 0;
	*ret_all = tools_act_lets_through(v.dflt);
	for (size_t i = 0; i < v.n_sc; i++) {
		struct tools_behaviour b = tools_view_behaviour(&v, v.sc[i].name);
		bool on = false, used = false;

		for (size_t a = 0; a < n_archs && !on; a++) {
			uint32_t t = tools_arch_token(archs[a]);
			on = t && tools_name_on_arch(t, v.sc[i].name) == TOOLS_ON_ARCH;
		}
		if (!on || !tools_behaviour_lets_through(&b))
			continue;
		for (size_t k = 0; k < g->n_seen && !used; k++)
			used = strcmp(g->seen[k].syscall, v.sc[i].name) == 0;
		(*ret_allowed)++;
		*ret_used += used;
	}
	tools_view_done(&v);
	return 0;
}

static int
print_summary(FILE *f, const struct tools_gen_result *g)
{
	size_t allowed, used, n_arch = 0;
	char b[TOOLS_ACT_LEN];
	bool all;

	fprintf(f, "distinct syscalls recorded: %zu", g->n_seen);
	for (size_t i = 0, e; i < g->n_seen; i = e) {
		for (e = i; e < g->n_seen && strcmp(g->seen[e].arch, g->seen[i].arch) == 0; e++)
			;
		fprintf(f, "%s%s %zu", n_arch++ ? ", " : " (", g->seen[i].arch, e - i);
	}
	fputs(n_arch ? ")\n" : "\n", f);
	if (count_allowed(g, &allowed, &used, &all) < 0)
		return -ENOMEM;
	double pct = allowed ? 100.0 * (double)used / (double)allowed : 0.0;
	fprintf(f, "allowed by the output: %zu syscall names, %zu of them exercised by the runs "
		   "(%.1f%%)%s\n",
		allowed, used, pct,
		all ? "; its defaultAction lets every other syscall through" : "");
	struct tools_act d = tools_act_of(g->out->default_action, g->out->has_default_errno_ret,
					  g->out->default_errno_ret);
	fprintf(f, "confidence: coverage is a confidence level, not a guarantee. %zu run%s with "
		   "%s exercised %zu of the %zu syscall names the output allows (%.1f%%); a code "
		   "path no run took may need a syscall the output ",
		g->n_docs, g->n_docs == 1 ? "" : "s", g->n_docs == 1 ? "one label" : "these labels",
		used, allowed, pct);
	if (all)
		fputs("lets through without any evidence for it.\n", f);
	else
		fprintf(f, "answers with %s.\n", tools_act_format(d, b, sizeof(b)));
	return 0;
}

static void
print_syscalls(FILE *f, const struct tools_gen_result *g)
{
	char b[TOOLS_ACT_LEN];
	size_t weak = 0;

	fprintf(f, "syscalls (runs that used it, of %zu; calls; what the recording profile "
		   "would have done):\n",
		g->n_docs);
	for (size_t i = 0; i < g->n_seen; i++) {
		const struct tools_seen *s = &g->seen[i];

		fprintf(f, "  %s %s: %zu/%zu run%s, %llu call%s, %s%s\n", s->arch, s->syscall,
			s->runs, g->n_docs, g->n_docs == 1 ? "" : "s", (unsigned long long)s->calls,
			s->calls == 1 ? "" : "s", tools_act_format(s->act, b, sizeof(b)),
			s->mixed_act ? " (differs between runs)" : "");
		weak += s->runs == 1;
	}
	if (g->n_docs == 1) {
		fputs("weak evidence: a single run was merged, so every syscall rests on one run\n", f);
		return;
	}
	fprintf(f, "weak evidence (seen in only one run): %zu\n", weak);
	for (size_t i = 0; i < g->n_seen; i++) {
		const struct tools_seen *s = &g->seen[i];
		if (s->runs == 1)
			fprintf(f, "  %s %s: only in run %zu (%s)\n", s->arch, s->syscall,
				s->first_run + 1, label_of(g->docs[s->first_run]));
	}
}

static void
print_list(FILE *f, const char *title, char *const *v, size_t n)
{
	if (!n)
		return;
	fprintf(f, "%s: %zu\n", title, n);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %s\n", v[i]);
}

/* Syscalls the base lets through that no run recorded. A run records only what its
 * recording profile would have blocked, so this means something only for runs that
 * were not recorded against the base itself. */
static int
print_candidates(FILE *f, const struct tools_gen_result *g)
{
	struct tools_view v;
	_cleanup_free_ const char **archs = NULL;
	size_t n_archs, same = 0, n = 0;

	for (size_t i = 0; i < g->n_docs; i++)
		same += g->docs[i]->base_sha256 &&
			strcmp(g->docs[i]->base_sha256, g->base_sha256) == 0;
	if (g->n_docs && same == g->n_docs) {
		fputs("candidates to remove: not known: every run was recorded against this base, "
		      "so the syscalls it allows were never recorded (record against an empty "
		      "allow-list to see them)\n",
		      f);
		return 0;
	}
	if (tools_view_build(g->base, &v) < 0 || tools_effective_archs(g->base, &archs, &n_archs) < 0)
		return -ENOMEM;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && n)
			fprintf(f, "candidates to remove (the base allows them, no run used them): "
				   "%zu\n",
				n);
		for (size_t i = 0; i < v.n_sc; i++) {
			struct tools_behaviour b = tools_view_behaviour(&v, v.sc[i].name);
			bool on = false, used = false;

			for (size_t a = 0; a < n_archs && !on; a++) {
				uint32_t t = tools_arch_token(archs[a]);
				on = t && tools_name_on_arch(t, v.sc[i].name) == TOOLS_ON_ARCH;
			}
			for (size_t k = 0; k < g->n_seen && !used; k++)
				used = strcmp(g->seen[k].syscall, v.sc[i].name) == 0;
			if (!on || used || !tools_behaviour_lets_through(&b))
				continue;
			if (pass == 0)
				n++;
			else
				fprintf(f, "  %s\n", v.sc[i].name);
		}
	}
	if (n && same)
		fprintf(f, "  (%zu of %zu runs were recorded against this base and say nothing "
			   "about these)\n",
			same, g->n_docs);
	tools_view_done(&v);
	return 0;
}

static void
print_warnings(FILE *f, const struct tools_gen_result *g)
{
	if (!g->base)
		fputs("warning: no --base: the output allows only the recorded syscalls. A run "
		      "records only what its recording profile would have blocked, so this is "
		      "complete only for runs recorded against a profile that allows nothing\n",
		      f);
	for (size_t i = 0; i < g->n_docs; i++) {
		const struct evidence_doc *d = g->docs[i];

		if (g->base && d->base_sha256 && strcmp(d->base_sha256, g->base_sha256) != 0)
			fprintf(f, "warning: run %zu was recorded against sha256 %s, not the base "
				   "(sha256 %s): syscalls that profile allowed are not in its "
				   "evidence\n",
				i + 1, d->base_sha256, g->base_sha256);
		if (d->records_dropped)
			fprintf(f, "warning: run %zu dropped %llu records past the recorder's cap: "
				   "its evidence is incomplete\n",
				i + 1, (unsigned long long)d->records_dropped);
	}
	if (g->n_widened)
		fputs("warning: the widened syscalls had argument conditions in the base; evidence "
		      "holds no arguments, so they are now allowed for every argument: review "
		      "them\n",
		      f);
}

int
tools_report_write(FILE *f, const struct tools_gen_result *g)
{
	fputs("coverage report (strait seccomp generate)\n", f);
	print_runs(f, g);
	if (print_labels(f, g) < 0 || print_summary(f, g) < 0)
		return -ENOMEM;
	print_syscalls(f, g);
	print_list(f, "added as SCMP_ACT_ALLOW", g->added, g->n_added);
	print_list(f, "widened (base argument conditions dropped)", g->widened, g->n_widened);
	print_list(f, "taken out of base rules", g->overridden, g->n_overridden);
	print_list(f, "recorded but not added", g->kept, g->n_kept);
	print_list(f, "architectures added", g->archs_added, g->n_archs_added);
	if (g->base && print_candidates(f, g) < 0)
		return -ENOMEM;
	struct tools_facts facts;
	int r = tools_facts_from_docs(g->docs, g->n_docs, &facts);
	if (r >= 0)
		tools_facts_report(f, &facts);
	tools_facts_free(&facts);
	print_warnings(f, g);
	return r;
}
