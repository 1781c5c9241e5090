/* The seccomp decision for one container: which profile (the config's, the built-in
 * RuntimeDefault, or none), in which mode (enforce, unconfined-privileged, audit,
 * unconfined), under the operator's settings. Made once in the runtime before clone;
 * recorded in the state (strait seccomp status, state annotations). */
#ifndef STRAIT_SECCOMP_POLICY_H
#define STRAIT_SECCOMP_POLICY_H

#include <stdbool.h>
#include "spec.h"

struct seccomp_prog;

enum seccomp_source { SECCOMP_SRC_NONE, SECCOMP_SRC_CONFIG, SECCOMP_SRC_RUNTIME_DEFAULT };
enum seccomp_mode { SECCOMP_MODE_UNCONFINED, SECCOMP_MODE_ENFORCE,
		    SECCOMP_MODE_UNCONFINED_PRIVILEGED, SECCOMP_MODE_AUDIT, SECCOMP_MODE_LOG };

struct seccomp_decision {
	enum seccomp_source source;
	enum seccomp_mode mode;
	bool privileged;
	char privileged_rule[160];          /* which rule made it privileged */
	struct seccomp_prog *prog;          /* what is loaded (the twin in log/audit); NULL: nothing */
	struct seccomp_prog *base;          /* log/audit: the base profile compiled, to judge with */
	struct spec_seccomp *owned_profile; /* the built-in profile when used */
	struct spec_seccomp *twin;          /* log/audit: the logging twin */
	const struct spec_seccomp *profile; /* the base profile */
	const char *label;                  /* run label (evidence) */
	bool record;                        /* enforce + deny-and-record: prog is the recording twin */
};

/* Observe mode wanted for this container: --seccomp-mode, else the annotation
 * org.strait.seccomp.mode when strait.conf allows it, else strait.conf. */
enum lc_seccomp_mode seccomp_wanted_mode(const struct lc_spec *s, const struct lc_config *cfg,
					  const char *flag, struct lc_err *err, int *ret_r);

/* Decides and, when a filter applies, compiles it (through the cache under
 * cache_dir). Errors: refusals by policy or privileged-seccomp, bad profiles, and a
 * profile that denies a syscall strait must make after loading it. */
int seccomp_decide(const struct lc_spec *s, const struct lc_config *cfg, enum lc_seccomp_mode want,
		   const char *cache_dir, struct seccomp_decision *ret, struct lc_err *err);
void seccomp_decision_release(struct seccomp_decision *d);

/* The record as JSON (malloc'd): source, mode, privileged, sha256, rules, unknown names,
 * policy settings, libseccomp and kernel versions. */
char *seccomp_decision_json(const struct seccomp_decision *d, const struct lc_config *cfg);

/* The record's own file in the state dir (also kept in state.json for `seccomp
 * status`). Never in the state's annotations: a client sees only those it set. */
#define SECCOMP_RECORD_FILE "seccomp-decision.json"

#endif
