/* `strait seccomp diff A B`: what each profile lets through that the other does not,
 * per architecture, argument conditions included. Both profiles are expanded into
 * per-syscall behaviour (tools-profile.c) and compared as strait would compile them on
 * this host; reading the files and printing is the caller's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "macro.h"
#include "seccomp/seccomp.h"
#include "seccomp/tools.h"

static void
view_donep(struct tools_view *v)
{
	tools_view_done(v);
}

/* "only in A" when only A lets some call through, "only in B" for the reverse, else
 * "different" (both let something through, or neither, in different ways). */
static const char *
classify(const struct tools_behaviour *a, const struct tools_behaviour *b)
{
	bool la = tools_behaviour_lets_through(a), lb = tools_behaviour_lets_through(b);

	if (la && !lb)
		return "only in A";
	if (lb && !la)
		return "only in B";
	return "different";
}

/* One line per syscall whose behaviour differs; returns the number of lines. */
static int
diff_syscall(FILE *out, const char *where, const char *name, const struct tools_view *va,
	     const struct tools_view *vb)
{
	struct tools_behaviour a = tools_view_behaviour(va, name);
	struct tools_behaviour b = tools_view_behaviour(vb, name);

	if (tools_behaviour_eq(&a, &b))
		return 0;
	fprintf(out, "%s: %s %s: ", classify(&a, &b), where, name);
	tools_behaviour_print(out, &a);
	fputs(" vs ", out);
	tools_behaviour_print(out, &b);
	fputc('\n', out);
	return 1;
}

static int
str_cmp_opt(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
diff_string(FILE *out, const char *field, const char *a, const char *b)
{
	if (str_cmp_opt(a, b) == 0)
		return 0;
	fprintf(out, "different: %s: ", field);
	fprintf(out, a ? "\"%s\"" : "%s", a ? a : "(none)");
	fputs(" vs ", out);
	fprintf(out, b ? "\"%s\"" : "%s", b ? b : "(none)");
	fputc('\n', out);
	return 1;
}

/* Walks two sorted string lists, printing what only one of them has. */
static int
diff_sets(FILE *out, const char *what, const char *why_a, const char *why_b,
	  const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i = 0, j = 0;
	int n = 0;

	while (i < na || j < nb) {
		int c = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i], b[j]);
		if (c == 0) {
			i++, j++;
			continue;
		}
		fprintf(out, "only in %s: %s %s%s\n", c < 0 ? "A" : "B", what, c < 0 ? a[i] : b[j],
			c < 0 ? why_a : why_b);
		n++;
		if (c < 0)
			i++;
		else
			j++;
	}
	return n;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sorted, unique, borrowed copy of v (flags may repeat in a profile). */
static const char **
sorted_set(char *const *v, size_t n, size_t *ret_n)
{
	const char **s = calloc(n + 1, sizeof(*s));
	size_t out = 0;

	if (!s)
		return NULL;
	if (n) {
		memcpy(s, v, n * sizeof(*s));
		qsort(s, n, sizeof(*s), strp_cmp);
	}
	for (size_t i = 0; i < n; i++)
		if (!out || strcmp(s[out - 1], s[i]) != 0)
			s[out++] = s[i];
	*ret_n = out;
	return s;
}

/* Every name either profile mentions, sorted and unique (borrowed). */
static const char **
all_names(const struct tools_view *va, const struct tools_view *vb, size_t *ret_n)
{
	const char **v = calloc(va->n_sc + vb->n_sc + 1, sizeof(*v));
	size_t i = 0, j = 0, n = 0;

	if (!v)
		return NULL;
	while (i < va->n_sc || j < vb->n_sc) {
		int c = i >= va->n_sc ? 1 : j >= vb->n_sc ? -1 : strcmp(va->sc[i].name, vb->sc[j].name);
		v[n++] = c <= 0 ? va->sc[i].name : vb->sc[j].name;
		i += c <= 0;
		j += c >= 0;
	}
	*ret_n = n;
	return v;
}

static int
diff_header(FILE *out, const struct tools_view *va, const struct tools_view *vb)
{
	struct tools_behaviour da = { .other = va->dflt }, db = { .other = vb->dflt };
	_cleanup_free_ const char **fa = NULL, **fb = NULL;
	const struct spec_seccomp *a = va->s, *b = vb->s;
	size_t nfa = 0, nfb = 0;
	int n = 0;

	if (!tools_behaviour_eq(&da, &db)) {
		fprintf(out, "%s: defaultAction: ", classify(&da, &db));
		tools_behaviour_print(out, &da);
		fputs(" vs ", out);
		tools_behaviour_print(out, &db);
		fputc('\n', out);
		n++;
	}
	fa = sorted_set(a->flags, a->n_flags, &nfa);
	fb = sorted_set(b->flags, b->n_flags, &nfb);
	if (!fa || !fb)
		return -ENOMEM;
	n += diff_sets(out, "flag", "", "", fa, nfa, fb, nfb);
	n += diff_string(out, "listenerPath", a->listener_path, b->listener_path);
	n += diff_string(out, "listenerMetadata", a->listener_metadata, b->listener_metadata);
	return n;
}

int
tools_diff(const struct spec_seccomp *a, const struct spec_seccomp *b, FILE *out,
	   struct lc_err *err)
{
	_cleanup_(view_donep) struct tools_view va = { 0 }, vb = { 0 };
	_cleanup_free_ const char **aa = NULL, **ab = NULL, **names = NULL;
	size_t naa, nab, nn = 0;
	int r, n;

	if (tools_view_build(a, &va) < 0 || tools_view_build(b, &vb) < 0)
		return lc_err_set(err, ENOMEM, "seccomp diff");
	r = tools_view_strict(&va, "A", err);
	if (r >= 0)
		r = tools_view_strict(&vb, "B", err);
	if (r < 0)
		return r;
	if (tools_effective_archs(a, &aa, &naa) < 0 || tools_effective_archs(b, &ab, &nab) < 0 ||
	    !(names = all_names(&va, &vb, &nn)))
		return lc_err_set(err, ENOMEM, "seccomp diff");

	n = diff_header(out, &va, &vb);
	if (n < 0)
		return lc_err_set(err, -n, "seccomp diff");
	/* an arch only one profile lists: the other kills the process on any of its
	 * syscalls (compile.c sets the bad-arch action to KILL_PROCESS) */
	n += diff_sets(out, "architecture", " (B kills the process on any syscall of it)",
		       " (A kills the process on any syscall of it)", aa, naa, ab, nab);
	for (size_t i = 0, j = 0; i < naa && j < nab;) {
		int c = strcmp(aa[i], ab[j]);
		if (c) {
			i += c < 0;
			j += c > 0;
			continue;
		}
		uint32_t token = tools_arch_token(aa[i]);
		for (size_t k = 0; token && k < nn; k++)
			if (tools_name_on_arch(token, names[k]) == TOOLS_ON_ARCH)
				n += diff_syscall(out, aa[i], names[k], &va, &vb);
		i++, j++;
	}
	/* names this libseccomp cannot resolve are skipped by the compiler, but a newer
	 * one would honour them: a change there is still a change */
	char where[64];
	snprintf(where, sizeof(where), "(unknown to libseccomp %s)", seccomp_libseccomp_version());
	for (size_t k = 0; k < nn; k++)
		if (tools_name_on_arch(tools_arch_token(seccomp_native_arch_name()), names[k]) ==
		    TOOLS_UNKNOWN_NAME)
			n += diff_syscall(out, where, names[k], &va, &vb);
	return n > 0;
}

int
lc_seccomp_diff(const char *a, const char *b, char **ret_text, struct lc_err *err)
{
	struct spec_seccomp *pa = NULL, *pb = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	r = tools_profile_load(a, &pa, err);
	if (r >= 0)
		r = tools_profile_load(b, &pb, err);
	if (r >= 0 && !(f = open_memstream(&text, &len)))
		r = lc_err_set(err, errno, "seccomp diff");
	if (r >= 0) {
		r = tools_diff(pa, pb, f, err);
		if (fclose(f) != 0 && r >= 0)
			r = lc_err_set(err, ENOMEM, "seccomp diff");
	}
	seccomp_spec_free(pa);
	seccomp_spec_free(pb);
	if (r < 0) {
		free(text);
		return r;
	}
	*ret_text = text;
	return r;
}
