/* The per-container state directory <root>/<id>/: state.json (written atomically:
 * temp file + rename), exec.fifo (present while the container waits for start), and a
 * copy of config.json (for poststop hooks at delete). Creation of the directory is the
 * exclusive claim on an ID. */
#ifndef STRAIT_STATE_H
#define STRAIT_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "strait.h"

enum ct_status { ST_CREATING, ST_CREATED, ST_RUNNING, ST_PAUSED, ST_STOPPED };

struct lc_state {
	char *id;
	char *bundle;
	char *rootfs;
	pid_t pid;
	uint64_t pid_start; /* starttime field of /proc/<pid>/stat: guards against pid reuse */
	char *created;      /* RFC 3339 */
	uid_t owner;
	char *cgroup;       /* cgroup_serialize() form, may be NULL */
	char **annotations; /* k0, v0, k1, v1, ..., NULL */
	bool exec_fifo;     /* still waiting for start (filled by state_status) */
	char *seccomp_json; /* the seccomp decision record (issue 3), may be NULL */
	/* 1 << enum hook_kind for each kind of hook the config has, so that start and
	 * delete read the saved config only when it has one to run; hooks_known is false
	 * for a state written without the field (they read it then). */
	unsigned hooks;
	bool hooks_known;
};

/* False only when the state says that the config has no hook of this kind. */
static inline bool
state_may_have_hooks(const struct lc_state *st, int kind)
{
	return !st->hooks_known || (st->hooks & (1u << kind));
}

/* Creates the state root (0700, parents 0755) when missing. */
int state_root_ensure(const char *root);
/* Returns the state dir path for id (malloc'd). */
char *state_dir(const char *root, const char *id);
/* Creates <root> (0700) if missing and claims <root>/<id> with mkdir. -EEXIST when the ID
 * is taken, with a message naming it. */
int state_claim(const char *root, const char *id, struct lc_err *err);
/* Removes the state dir and everything in it. */
int state_remove(const char *root, const char *id);
int state_write(const char *root, const struct lc_state *st, struct lc_err *err);
/* -ENOENT with "container "<id>" does not exist" when absent. */
int state_read(const char *root, const char *id, struct lc_state **ret, struct lc_err *err);
void state_free(struct lc_state *st);
static inline void
state_freep(struct lc_state **st)
{
	if (*st)
		state_free(*st);
}
#define _cleanup_state_ __attribute__((cleanup(state_freep)))

/* Computes the live status: stopped if the pid is gone, a zombie, or reused. */
enum ct_status state_status(const char *root, const struct lc_state *st);
const char *state_status_name(enum ct_status s);
/* Reads field 22 (starttime) of /proc/<pid>/stat; 0 when the process is gone. Sets
 * *ret_zombie when the process is a zombie. */
uint64_t state_pid_start(pid_t pid, bool *ret_zombie);
/* OCI state JSON (malloc'd) for hooks and `strait state`. */
char *state_oci_json(const struct lc_state *st, enum ct_status status, bool pretty);
/* Takes an exclusive flock on the state dir; returns the fd (close to unlock). */
int state_lock(const char *root, const char *id, struct lc_err *err);

#endif
