/* Deny-and-record (--seccomp-denials=record): the recording twin of an enforced profile.
 * It decides every call as the base does, except that what the base answers with an
 * errno goes to the recorder as a user notification instead; the recorder judges it
 * with the base (seccomp_prog_eval), records it and answers with the base's errno.
 * Allowed syscalls never leave the kernel; KILL, TRAP, TRACE and LOG stay the kernel's.
 *
 * The hand-off: the runtime must hold the listener before the workload can make a
 * denied call, or the call would meet no listener (ENOSYS). The container process
 * therefore execs its entrypoint with the path at SECCOMP_HANDOFF_ADDR, and the twin
 * notifies exactly that execve (its first argument is that address): it waits in the
 * kernel until the recorder answers, as observe mode's execve does, while every other
 * execve keeps the base's action and costs nothing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "error.h"
#include "spec.h"
#include "seccomp/observe.h"
#include "seccomp/internal.h"

static bool
is_execve(const char *name)
{
	return strcmp(name, "execve") == 0;
}

static enum seccomp_action
recorded(enum seccomp_action a)
{
	return a == SCMP_ACT_ERRNO_ ? SCMP_ACT_NOTIFY_ : a;
}

/* Appends an execve rule with action a, optionally testing arg0 against the hand-off
 * address (op: SCMP_OP_EQ or SCMP_OP_NE; -1 for no condition). TRACE keeps its value. */
static int
add_execve_rule(struct spec_seccomp *t, enum seccomp_action a, const struct spec_seccomp_rule *from,
		int op)
{
	struct spec_seccomp_rule *n = &t->rules[t->n_rules];

	*n = (struct spec_seccomp_rule){ .action = a };
	if (from && a == SCMP_ACT_TRACE_) {
		n->has_errno_ret = from->has_errno_ret;
		n->errno_ret = from->errno_ret;
	}
	n->names = calloc(2, sizeof(char *));
	if (!n->names || !(n->names[0] = strdup("execve"))) {
		free(n->names);
		return -ENOMEM;
	}
	n->n_names = 1;
	t->n_rules++;
	if (op >= 0) {
		if (!(n->args = calloc(1, sizeof(*n->args))))
			return -ENOMEM;
		n->args[0] = (struct spec_seccomp_arg){ .index = 0, .value = SECCOMP_HANDOFF_ADDR,
							 .op = (enum seccomp_op)op };
		n->n_args = 1;
	}
	return 0;
}

/* The execve rules of the twin. The base's own: none (the default decides), one action
 * without conditions, or rules with conditions (then every execve is notified: the
 * hand-off test cannot be combined with conditions on the same call in general, and
 * the judge still gives each call the base's answer). */
static int
add_execve_rules(const struct spec_seccomp *base, struct spec_seccomp *t)
{
	const struct spec_seccomp_rule *uncond = NULL;
	bool conditional = false;

	for (size_t i = 0; i < base->n_rules; i++)
		for (size_t k = 0; k < base->rules[i].n_names; k++)
			if (is_execve(base->rules[i].names[k])) {
				if (base->rules[i].n_args)
					conditional = true;
				else if (!uncond)
					uncond = &base->rules[i];
			}
	enum seccomp_action a = uncond ? recorded(uncond->action) : t->default_action;
	if (conditional || a == SCMP_ACT_NOTIFY_)
		return t->default_action == SCMP_ACT_NOTIFY_ ? 0
							     : add_execve_rule(t, SCMP_ACT_NOTIFY_, NULL, -1);
	if (a != t->default_action) {
		int q = add_execve_rule(t, a, uncond, SCMP_OP_NE);
		if (q < 0)
			return q;
	}
	return add_execve_rule(t, SCMP_ACT_NOTIFY_, NULL, SCMP_OP_EQ);
}

static int
record_build(const struct spec_seccomp *base, struct spec_seccomp *t)
{
	t->present = true;
	t->default_action = recorded(base->default_action);
	if (t->default_action != SCMP_ACT_NOTIFY_) {
		t->has_default_errno_ret = base->has_default_errno_ret;
		t->default_errno_ret = base->default_errno_ret;
	}
	/* the flags as they are: LOG keeps sending the kernel's kills to the audit log */
	if (twin_start(base, t, NULL, 2) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < base->n_rules; i++) {
		const struct spec_seccomp_rule *r = &base->rules[i];
		size_t at = t->n_rules;
		int q = twin_add_rule(t, r, recorded(r->action), is_execve);
		if (q < 0)
			return q;
		/* TRACE's value is the tracer's: kept (twin_add_rule drops errnoRet) */
		if (t->n_rules > at && r->action == SCMP_ACT_TRACE_) {
			t->rules[at].has_errno_ret = r->has_errno_ret;
			t->rules[at].errno_ret = r->errno_ret;
		}
	}
	return add_execve_rules(base, t);
}

int
seccomp_record_twin(const struct spec_seccomp *base, struct spec_seccomp **ret, struct lc_err *err)
{
	_cleanup_(spec_seccomp_freep) struct spec_seccomp *t = NULL;

	if (!base || !base->present)
		return lc_err_setx(err, EINVAL, "seccomp-denials=record: no profile to record for");
	/* One filter has one listener: the profile's own agent and the recorder cannot
	 * share it. */
	bool notifies = base->default_action == SCMP_ACT_NOTIFY_;
	for (size_t i = 0; i < base->n_rules && !notifies; i++)
		notifies = base->rules[i].action == SCMP_ACT_NOTIFY_;
	if (notifies)
		return lc_err_setx(err, EINVAL, "seccomp-denials=record: linux.seccomp uses SCMP_ACT_NOTIFY (listenerPath %s): a filter has one listener, so its denials cannot be recorded",
				   base->listener_path ? base->listener_path : "(none)");
	t = calloc(1, sizeof(*t));
	if (!t || record_build(base, t) < 0)
		return lc_err_set(err, ENOMEM, "seccomp-denials=record: deriving the recording twin");
	*ret = TAKE_PTR(t);
	return 0;
}
