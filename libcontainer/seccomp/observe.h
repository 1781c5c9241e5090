/* Observe mode: the permissive logging twin of a profile, and the evidence it yields.
 * observe.c derives the twin; evidence.c records notifications into deduplicated
 * evidence and writes/reads the evidence JSON (docs/seccomp-evidence.md);
 * recorder.c is the agent that serves many containers over the OCI listener protocol.
 *
 * How a notification is judged: the twin only notifies (it blocks nothing); the
 * recorder runs the BASE program in user space (seccomp_prog_eval) on the notified
 * seccomp_data to learn what enforcement would have done, records it when that is not
 * ALLOW, and always answers SECCOMP_USER_NOTIF_FLAG_CONTINUE. */
#ifndef STRAIT_SECCOMP_OBSERVE_H
#define STRAIT_SECCOMP_OBSERVE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "spec.h"

struct seccomp_prog;

/* The twin of base (freshly allocated; free with seccomp_spec_free):
 * - base default not ALLOW: defaultAction NOTIFY; ALLOW rules kept as they are (a
 *   syscall the base allows costs nothing extra); every other rule dropped (it falls
 *   to the NOTIFY default);
 * - base default ALLOW: defaultAction ALLOW; every non-ALLOW rule becomes a NOTIFY
 *   rule with the same argument conditions (so allowed syscalls stay free);
 * - execve and execveat always NOTIFY (the container process goes from loading the
 *   filter straight to execve, which waits there until the recorder holds the
 *   listener: see docs/seccomp.md). They are taken out of the other rules.
 * Architectures and flags (minus LOG) are kept; errnoRet, listenerPath and
 * listenerMetadata are not (the caller points the listener at the recorder). */
int seccomp_observe_twin(const struct spec_seccomp *base, struct spec_seccomp **ret,
			 struct lc_err *err);

/* Deny-and-record (record-twin.c): the recording twin of an enforced base (freshly
 * allocated): what the base answers with an errno is notified instead (same argument
 * conditions); ALLOW, KILL, TRAP, TRACE and LOG stay as they are; the entrypoint's
 * execve, and only it, is notified for the hand-off (its path is at
 * SECCOMP_HANDOFF_ADDR). Refused when the base already notifies (one listener). */
int seccomp_record_twin(const struct spec_seccomp *base, struct spec_seccomp **ret,
			struct lc_err *err);
/* Where the container process puts its entrypoint's path in deny-and-record mode: a
 * page mapped there with MAP_FIXED_NOREPLACE, far from where the kernel places
 * anything on x86-64 (PIE images near 0x55..., mmaps and the stack near 0x7f...). */
#define SECCOMP_HANDOFF_ADDR 0x5ea1ed000000ULL
#define SECCOMP_HANDOFF_SIZE 8192

/* ---- exe-facts.c: what the container ran ---- */
/* Reads the NUL-terminated string at addr of pid's memory into buf (len bytes). */
int exe_read_path(pid_t pid, uint64_t addr, char *buf, size_t len);
/* An O_PATH fd of path as pid sees it, never outside its root: absolute paths from
 * /proc/PID/root (RESOLVE_IN_ROOT), relative ones beneath /proc/PID/<base> ("cwd" when
 * base is NULL). -errno on failure. */
int exe_open_in(pid_t pid, const char *path, const char *base);
/* The same under a root directory fd (a bundle's rootfs). */
int exe_open_under(int rootfd, const char *path);
/* The sha256 (hex) of the regular file behind an O_PATH fd, and its stat. -EINVAL for
 * anything but a regular file (never opened for reading), -EFBIG past 512 MiB. */
int exe_hash_fd(int pathfd, struct stat *st, char hex[65]);
/* True for the annotations that identify the image (org.opencontainers.image.*, the
 * image names containerd's CRI and podman set): the evidence's facts.image. */
bool exe_is_image_key(const char *key);

struct evidence_meta {
	const char *id, *bundle, *label;
	char *const *image; /* "key=value" image identity annotations (NULL-terminated), or NULL */
	const char *base_sha256; /* of the base profile */
	const char *base_source; /* "config" | "runtime-default" */
	bool enforce;            /* deny-and-record: answer with the base's errno */
};

/* The "straitEvidence" value evidence_write writes and evidence_load reads. */
#define EVIDENCE_FORMAT_VERSION 1

struct evidence;
/* A new, empty evidence whose start time is now; the meta strings are copied (any may
 * be NULL). NULL when out of memory. */
struct evidence *evidence_new(const struct evidence_meta *m);
void evidence_free(struct evidence *ev);
static inline void
evidence_freep(struct evidence **ev)
{
	evidence_free(*ev);
}
#define _cleanup_evidence_ __attribute__((cleanup(evidence_freep)))
/* Distinct records so far (for a summary line). */
size_t evidence_n_records(const struct evidence *ev);

/* Receives one notification on notify_fd, judges it with base (non-NULL), records it
 * when base would not ALLOW it, and answers CONTINUE (observe), or the base's errno
 * (enforce; CONTINUE when the base allows the call). Returns 1 when one was handled,
 * 0 when there was nothing to receive (nothing pending, or the target went away:
 * ENOENT), -EPIPE when the fd hung up with nothing pending (all filter users exited),
 * other -errno when the fd is unusable. Never blocks: it polls the fd first. */
int evidence_handle(struct evidence *ev, int notify_fd, const struct seccomp_prog *base);

/* The evidence JSON text (pretty-printed, no final newline); -errno on failure. */
int evidence_json(const struct evidence *ev, char **ret_text, size_t *ret_len);
/* Live snapshots (deny-and-record): writes ev to path when it changed since the last
 * write and EVIDENCE_SNAPSHOT_MS have passed since then (force: at once). Returns the
 * milliseconds until a pending snapshot is due (a poll timeout), -1 when none is. A
 * storm of one denial thus costs one record and a few writes a second, not a disk. */
#define EVIDENCE_SNAPSHOT_MS 250
int evidence_snapshot(struct evidence *ev, const char *path, bool force);
/* Prepares a listener for serving: asks the kernel for synchronous wake-ups
 * (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP), so that a notification and its answer switch
 * between the target and the recorder on one CPU instead of waking another (a round
 * trip ten times shorter on a VM). Best effort. */
void evidence_listener_setup(int notify_fd);
/* Sets the end time and writes the evidence JSON to path atomically (temp + rename). */
int evidence_write(struct evidence *ev, const char *path, struct lc_err *err);

/* ---- reading evidence back (the profile tooling: generate, check) ---- */
/* One record of an evidence file, as documented in docs/seccomp-evidence.md. */
struct evidence_record {
	char *syscall; /* the name for arch, or "nr:<number>" when libseccomp has none */
	char *arch;    /* "SCMP_ARCH_X86_64" */
	int nr;        /* the syscall number on arch; -1 when the file does not say */
	enum seccomp_action action; /* what enforcement would have done */
	bool has_errno_ret;         /* set for SCMP_ACT_ERRNO and SCMP_ACT_TRACE */
	unsigned errno_ret;
	uint64_t count;
	char *first, *last;  /* RFC 3339 UTC, as written */
	char **executables;  /* NULL-terminated, never NULL */
	size_t n_executables;
	bool by_runtime;     /* from "runtimeRecords": strait's own call, not the workload's */
	unsigned tested;     /* enforce mode: the arguments the profile tested (bit i: arg i) */
	uint64_t argv[6];    /* their values as the call had them */
};

/* A whole evidence file; every string is owned by the doc (NULL when absent). */
struct evidence_doc {
	char *path; /* the file it was loaded from */
	int version; /* "straitEvidence" */
	bool enforce; /* "mode": "enforce": denials of an enforced profile, else observe */
	char *id, *bundle, *label;
	char *base_sha256, *base_source;
	char *start, *end;
	uint64_t records_dropped; /* new records past the recorder's cap (normally 0) */
	char *strait_version, *libseccomp_version, *kernel_version;
	/* facts: the entrypoint, the executables that ran (sha256 NULL when not hashed),
	 * the image identity as "key=value"; all may be empty */
	struct evidence_exe {
		char *path, *sha256;
	} entrypoint, *exes;
	size_t n_exes;
	char **image; /* NULL-terminated, never NULL after a load */
	struct evidence_record *records;
	size_t n_records;
};

/* Reads and checks an evidence file. Errors name the file and the field
 * ("ev.json: records[3].action: unknown action \"FOO\""). */
int evidence_load(const char *path, struct evidence_doc **ret, struct lc_err *err);
void evidence_doc_free(struct evidence_doc *d);
static inline void
evidence_doc_freep(struct evidence_doc **d)
{
	evidence_doc_free(*d);
}
#define _cleanup_evidence_doc_ __attribute__((cleanup(evidence_doc_freep)))

/* Compiles the base profile saved at path (OCI linux.seccomp JSON, as written by
 * seccomp_spec_to_json), read through spec parsing like config.json's. Errors name the
 * file. For the recorder agent, which judges notifications with it. */
int seccomp_observe_load_base(const char *path, struct seccomp_prog **ret, struct lc_err *err);
/* The same from the text; what names the source in errors. */
int seccomp_observe_base_from_text(const char *text, size_t len, const char *what,
				   struct seccomp_prog **ret, struct lc_err *err);
/* The largest saved base profile read (far above any real profile). */
#define SECCOMP_BASE_MAX (4u << 20)

/* Reads a whole regular file of at most max bytes (malloc'd, NUL-terminated). Errors
 * name the file; -EFBIG when it is larger. Shared by the observe-mode files. */
int observe_read_file(const char *path, size_t max, char **ret, size_t *ret_len,
		      struct lc_err *err);

/* The base profile's JSON text, as strait saves it in the container's state dir
 * (seccomp-base.json) for the recorder agent. */
#define SECCOMP_BASE_FILE "seccomp-base.json"

/* `strait seccomp recorder --socket PATH --dir DIR`: accepts OCI listener connections
 * (ContainerProcessState JSON + the notify fd), reads the base profile named in the
 * listenerMetadata ({"baseProfile": PATH, "label": ..., "id": ..., "baseSource": ...}),
 * serves every container at once, and writes DIR/<id>.<label>.<unix-nanos>.json
 * (DIR/<id>.<unix-nanos>.json without a label) when a container's notify fd hangs up.
 * Runs until SIGINT/SIGTERM, then writes every open evidence and returns 0. The
 * calling process must not use SIGINT/SIGTERM otherwise (they are taken by signalfd). */
int seccomp_recorder_run(const char *socket_path, const char *dir, struct lc_err *err);

#endif
