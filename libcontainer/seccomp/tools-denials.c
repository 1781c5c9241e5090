/* `strait seccomp denials ID`, the text form: one line per deduplicated denial of an
 * evidence file recorded in enforce mode (--seccomp-denials=record). The JSON form is
 * the evidence file itself. */
#include <inttypes.h>
#include <stdio.h>
#include "seccomp/tools.h"

static void
print_args(FILE *f, const struct evidence_record *r)
{
	for (unsigned i = 0; i < 6; i++)
		if (r->tested & (1u << i))
			fprintf(f, " arg%u=%#" PRIx64, i, r->argv[i]);
}

void
tools_denials_print(FILE *f, const struct evidence_doc *d, const char *who)
{
	uint64_t calls = 0;
	size_t n = 0;

	for (size_t i = 0; i < d->n_records; i++) {
		calls += d->records[i].count;
		n++;
	}
	fprintf(f, "%s: %zu distinct denial%s, %" PRIu64 " call%s (%s .. %s)\n", who, n,
		n == 1 ? "" : "s", calls, calls == 1 ? "" : "s", d->start ? d->start : "?",
		d->end ? d->end : "?");
	for (size_t i = 0; i < d->n_records; i++) {
		const struct evidence_record *r = &d->records[i];
		char act[TOOLS_ACT_LEN];

		tools_act_format(tools_act_of(r->action, r->has_errno_ret, r->errno_ret), act,
				 sizeof(act));
		fprintf(f, "  %s %s", r->arch, r->syscall);
		print_args(f, r);
		fprintf(f, ": %s, %" PRIu64 " call%s, %s .. %s%s", act, r->count,
			r->count == 1 ? "" : "s", r->first ? r->first : "?", r->last ? r->last : "?",
			r->by_runtime ? ", by strait before the entrypoint" : "");
		for (size_t k = 0; k < r->n_executables; k++)
			fprintf(f, "%s%s", k ? ", " : ", by ", r->executables[k]);
		fputc('\n', f);
	}
}
