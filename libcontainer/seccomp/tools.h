/* Profile tooling behind `strait seccomp generate|merge|diff|check` (semantics in
 * docs/seccomp-tools.md). tools-profile.c reads and writes profile files; tools-view.c
 * expands a profile into per-syscall behaviour, the view every tool compares;
 * tools-generate.c and tools-report.c turn evidence into a profile and a coverage
 * report; tools-algebra.c merges (with tools-cond.c's arithmetic of argument tests);
 * tools-diff.c compares; tools-check.c lints. Parsing linux.seccomp is spec.c's,
 * reading evidence evidence.c's, compiling compile.c's. Runs in the CLI process:
 * nothing here loads a filter. */
#ifndef STRAIT_SECCOMP_TOOLS_H
#define STRAIT_SECCOMP_TOOLS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "spec.h"
#include "seccomp/observe.h"

/* ---- actions as the kernel applies them ---- */
/* An action with its effective errno: for ERRNO and TRACE the errnoRet, or EPERM when
 * the profile gives none (runtime-spec); 0 for every other action. */
struct tools_act {
	enum seccomp_action action;
	unsigned errno_ret;
};

struct tools_act tools_act_of(enum seccomp_action a, bool has_errno, unsigned errno_ret);
bool tools_act_eq(struct tools_act a, struct tools_act b);
/* Permissiveness, the reverse of the kernel's precedence between filters (seccomp(2)):
 * KILL_PROCESS 0 < KILL_THREAD 1 < TRAP 2 < ERRNO 3 < NOTIFY 4 < TRACE 5 < LOG 6 <
 * ALLOW 7. Two actions of one rank with different errnos are not ordered. */
int tools_act_rank(struct tools_act a);
/* True for ALLOW and LOG: the syscall runs without anyone else deciding. */
bool tools_act_lets_through(struct tools_act a);
/* "SCMP_ACT_ERRNO(EPERM)", "SCMP_ACT_ALLOW" into buf. */
const char *tools_act_format(struct tools_act a, char *buf, size_t len);
#define TOOLS_ACT_LEN 64

/* ---- facts (tools-facts.c) ---- */
struct tools_strset {
	char **v; /* sorted, distinct, NULL-terminated (NULL when empty) */
	size_t n;
};
struct tools_exeset {
	struct evidence_exe *v; /* sorted by path, distinct (path, sha256) */
	size_t n;
};
/* What runs were recorded on, merged: versions, entrypoints, executables, image
 * identity ("key=value"), how many runs and when the last ended. */
struct tools_facts {
	struct tools_strset kernels, libseccomps, straits, image;
	struct tools_exeset entrypoints, exes;
	size_t runs;
	char *last;
};
int tools_facts_from_docs(struct evidence_doc *const *docs, size_t n, struct tools_facts *f);
/* From a profile's straitProvenance text; -EINVAL when it is not JSON. */
int tools_facts_from_provenance(const char *text, struct tools_facts *f);
void tools_facts_free(struct tools_facts *f);
/* The "facts" section of generate's report. */
void tools_facts_report(FILE *out, const struct tools_facts *f);
/* The straitProvenance object generate puts in the profile (JSON text, malloc'd). */
int tools_provenance_json(const struct tools_facts *f, const char *report_sha256, const char *now,
			  char **ret);

/* ---- denials (tools-denials.c) ---- */
/* The text form of `strait seccomp denials`: a summary line naming who, then one
 * indented line per record (arch, syscall, tested arguments, action, count, times,
 * executables). */
void tools_denials_print(FILE *f, const struct evidence_doc *d, const char *who);

/* ---- a profile expanded per syscall name ---- */
#define TOOLS_MAX_CONDS 6
/* Calls whose arguments meet every condition (AND) get act. Conditions are sorted;
 * value_two is 0 unless op is SCMP_OP_MASKED_EQ. A rule that tests one argument twice
 * becomes one clause per condition (their OR), as compile.c builds it. */
struct tools_clause {
	struct tools_act act;
	size_t n_conds;
	struct spec_seccomp_arg conds[TOOLS_MAX_CONDS];
	size_t rule; /* the rule it came from */
};

/* What a profile does with one name. Unconditional: every call gets act. Conditional:
 * a call no clause matches gets the profile's defaultAction. Clauses whose action is
 * the defaultAction are dropped (compile.c skips them): a name left with none is
 * unconditional with the defaultAction. */
struct tools_syscall {
	const char *name; /* borrowed from the profile */
	size_t rule;      /* the first rule naming it */
	bool conditional;
	struct tools_act act; /* !conditional */
	struct tools_clause *clauses;
	size_t n_clauses;
};

/* Rule interactions found while expanding, for `check` and for strict callers. */
enum tools_overlap_kind {
	TOOLS_CONFLICT,     /* different actions, one rule unconditional: compile refuses */
	TOOLS_CONFLICT_EQ,  /* different actions under identical conditions: compile refuses */
	TOOLS_SHADOWED,     /* conditional rule under an unconditional one of the same action */
	TOOLS_DUPLICATE,    /* the same name, action and conditions twice */
	TOOLS_NO_EFFECT,    /* the rule's action is the defaultAction */
};
struct tools_overlap {
	enum tools_overlap_kind kind;
	const char *name;
	size_t rule_a, rule_b; /* rule_a <= rule_b; rule_b is unused for NO_EFFECT */
};

struct tools_view {
	const struct spec_seccomp *s; /* borrowed */
	struct tools_act dflt;
	struct tools_syscall *sc; /* sorted by name, unique */
	size_t n_sc;
	struct tools_overlap *overlaps;
	size_t n_overlaps;
};

/* Expands s (borrowed for the view's lifetime). A conflict keeps the unconditional
 * rule (what libseccomp would apply if it accepted the profile) and is listed in
 * overlaps; tools_view_strict() turns it into an error. -ENOMEM only. */
int tools_view_build(const struct spec_seccomp *s, struct tools_view *ret);
/* -EINVAL naming the first conflict of v ("<what>: syscalls[1] and syscalls[4] ..."). */
int tools_view_strict(const struct tools_view *v, const char *what, struct lc_err *err);
void tools_view_done(struct tools_view *v);
/* The entry of name, or NULL when the profile does not name it. */
const struct tools_syscall *tools_view_find(const struct tools_view *v, const char *name);

/* The behaviour of name in v: its clauses (none: unconditional) and the action every
 * other call gets. */
struct tools_behaviour {
	const struct tools_clause *clauses;
	size_t n_clauses;
	struct tools_act other;
	bool named; /* other comes from a rule naming the syscall, not the defaultAction */
};
struct tools_behaviour tools_view_behaviour(const struct tools_view *v, const char *name);
bool tools_behaviour_eq(const struct tools_behaviour *a, const struct tools_behaviour *b);
/* True when some call gets ALLOW or LOG. */
bool tools_behaviour_lets_through(const struct tools_behaviour *b);
/* "SCMP_ACT_ALLOW if arg0 == 1 && arg2 & 0xff == 0x2; else SCMP_ACT_ERRNO(EPERM)". */
void tools_behaviour_print(FILE *f, const struct tools_behaviour *b);
void tools_clause_print(FILE *f, const struct tools_clause *c);
int tools_clause_cmp(const struct tools_clause *a, const struct tools_clause *b); /* conds only */
/* Sorts c's conditions into the order clauses compare by. */
void tools_conds_sort(struct tools_clause *c);

/* ---- argument conditions as value sets (tools-cond.c) ---- */
/* Whether argument value x meets test c. */
bool tools_cond_holds(const struct spec_seccomp_arg *c, uint64_t x);
/* ANDs two tests of one argument: -1 when no value meets both, 0 with *ret one test
 * that says the same (ret may alias x), 1 when it takes two tests. */
int tools_cond_and(const struct spec_seccomp_arg *x, const struct spec_seccomp_arg *y,
		   struct spec_seccomp_arg *ret);
/* The negation of c as one test; false for MASKED_EQ, which has none. */
bool tools_cond_negate(const struct spec_seccomp_arg *c, struct spec_seccomp_arg *ret);
/* True when no call can meet both clauses (a false "false" is possible, never the
 * reverse). */
bool tools_clauses_disjoint(const struct tools_clause *a, const struct tools_clause *b);
/* ANDs test a into conj: -1 nothing left, 0 done, 1 it would take two tests of one
 * argument (conj unchanged). */
int tools_conj_add(struct tools_clause *conj, const struct spec_seccomp_arg *a);
/* True when every call meeting conj meets c. */
bool tools_conj_implies(const struct tools_clause *conj, const struct tools_clause *c);

/* ---- architectures and names ---- */
/* The libseccomp token of an OCI arch name ("SCMP_ARCH_X86_64"), 0 when unknown. */
uint32_t tools_arch_token(const char *name);
/* Where a name stands on an arch: a syscall there (nr >= 0, or one that arch reaches
 * through a multiplexer such as socketcall), absent there, or unknown to libseccomp. */
enum tools_on_arch { TOOLS_ON_ARCH, TOOLS_NOT_ON_ARCH, TOOLS_UNKNOWN_NAME };
enum tools_on_arch tools_name_on_arch(uint32_t token, const char *name);
/* The architectures a compiled s covers: the native one plus those listed, unique,
 * sorted by name (NULL-terminated, malloc'd array of borrowed static strings). */
int tools_effective_archs(const struct spec_seccomp *s, const char ***ret, size_t *ret_n);

/* ---- building profiles ---- */
/* An empty profile (present, no rules); NULL when out of memory. */
struct spec_seccomp *tools_spec_new(void);
/* A deep copy; NULL when out of memory. */
struct spec_seccomp *tools_spec_copy(const struct spec_seccomp *s);
/* Appends a rule: names (n copied), act, and the conditions of c (NULL: none). */
int tools_spec_add_rule(struct spec_seccomp *s, const char *const *names, size_t n,
			struct tools_act act, const struct tools_clause *c);
/* Appends a copy of str to a NULL-terminated vector. */
int tools_strv_add(char ***v, size_t *n, const char *str);
/* Sorts a NULL-terminated vector and drops duplicates. */
void tools_strv_sort_uniq(char **v, size_t *n);

/* The OCI JSON of s, pretty, with a final newline (malloc'd). */
int tools_spec_json(const struct spec_seccomp *s, char **ret);

/* ---- reading profiles ---- */
/* Reads path: an OCI linux.seccomp object, or a whole config.json whose linux.seccomp
 * is taken. Parsed by spec_parse (as config.json's profile would be) and checked by
 * spec_validate; errors name the file. *ret is freed with seccomp_spec_free(). */
int tools_profile_load(const char *path, struct spec_seccomp **ret, struct lc_err *err);
/* The same for a text; what names it in errors. */
int tools_profile_parse(const char *text, size_t len, const char *what,
			struct spec_seccomp **ret, struct lc_err *err);
/* Like tools_profile_parse, but a spec_validate failure is returned in *ret_invalid
 * (malloc'd message) with the profile, not as an error: for `check`. */
int tools_profile_parse_lenient(const char *text, size_t len, const char *what,
				struct spec_seccomp **ret, char **ret_invalid,
				struct lc_err *err);
int tools_profile_load_lenient(const char *path, struct spec_seccomp **ret, char **ret_invalid,
			       struct lc_err *err);
/* The digest evidence files name their recording profile by (baseProfile.sha256): hex
 * sha256 of the canonical profile, as seccomp_prepare computes it. */
int tools_profile_sha256(const struct spec_seccomp *s, char hex[65]);

/* ---- evidence (tools-evidence.c) ---- */
/* Reads the evidence files (evidence_load), all or none. */
int tools_evidence_load(char *const *paths, size_t n, struct evidence_doc ***ret,
			struct lc_err *err);
void tools_evidence_free(struct evidence_doc **docs, size_t n);

/* One (arch, syscall) across all evidence files. */
struct tools_seen {
	const char *arch, *syscall; /* borrowed from the docs */
	int nr;                     /* the recorded number, -1 when no file gives one */
	struct tools_act act;       /* what enforcement would have done (first record) */
	bool mixed_act;             /* records disagree on it (different recording profiles) */
	uint64_t calls;
	size_t runs;      /* files that recorded it */
	size_t first_run; /* index of the first of them */
};
/* Every (arch, syscall) of docs, sorted by arch then syscall (malloc'd). */
int tools_evidence_collect(struct evidence_doc *const *docs, size_t n_docs,
			   struct tools_seen **ret, size_t *ret_n);

/* ---- the tools (each writes its text to out) ---- */
/* generate: a profile from base (NULL: a pure allow-list with defaultAction
 * SCMP_ACT_ERRNO, errno EPERM) plus ALLOW for what the evidence shows; the coverage
 * report goes to report. *ret is freed with seccomp_spec_free(). */
int tools_generate(const struct spec_seccomp *base, struct evidence_doc *const *docs,
		   size_t n_docs, FILE *report, struct spec_seccomp **ret, struct lc_err *err);
/* merge: the union (more permissive wins) or intersection (more restrictive wins) of
 * profiles in[0..n); what[i] names each input in errors. */
int tools_merge(bool intersect, const struct spec_seccomp *const *in, const char *const *what,
		size_t n, struct spec_seccomp **ret, struct lc_err *err);
/* diff: writes "only in A: ...", "only in B: ...", "different: ..." lines; returns 0
 * when a and b behave alike, 1 when they differ, -errno on error. */
int tools_diff(const struct spec_seccomp *a, const struct spec_seccomp *b, FILE *out,
	       struct lc_err *err);
/* check: findings of s (and, with evidence, the recorded syscalls it would block).
 * invalid is spec_validate's message or NULL. Returns 0 when nothing was found, 1 when
 * something was, -errno on error. */
int tools_check(const struct spec_seccomp *s, const char *invalid,
		struct evidence_doc *const *docs, size_t n_docs, FILE *out, struct lc_err *err);

/* ---- tools-report.c: the coverage report of generate ---- */
struct tools_gen_result {
	struct evidence_doc *const *docs;
	size_t n_docs;
	const struct tools_seen *seen;
	size_t n_seen;
	const struct spec_seccomp *base; /* NULL without --base */
	const char *base_sha256;         /* of base (its compiled digest) */
	const struct spec_seccomp *out;
	char **added; /* names given ALLOW, sorted */
	size_t n_added;
	char **widened; /* "name (syscalls[i])": base argument conditions dropped */
	size_t n_widened;
	char **overridden; /* "name (syscalls[i]: ACTION)": a base rule lost the name */
	size_t n_overridden;
	char **kept; /* "arch name: why": recorded, but no ALLOW added */
	size_t n_kept;
	char **archs_added;
	size_t n_archs_added;
};
/* Writes the coverage report of g to f. */
int tools_report_write(FILE *f, const struct tools_gen_result *g);

#endif
