/* strait's libcontainer public API: the only header the CLI (src/) includes.
 * The library never prints and never exits; every fallible call returns >= 0 or
 * -errno and fills a caller-owned struct lc_err. */
#ifndef STRAIT_H
#define STRAIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct lc_err {
	int code;       /* positive errno, 0 when unset */
	char msg[1024]; /* one line, no trailing newline */
};

/* The CLI's argv, kept for a re-exec of the runtime from a sealed copy of itself. */
void lc_set_argv(char **argv);

/* ---- logging ---- */
enum lc_log_format { LC_LOG_TEXT, LC_LOG_JSON };
/* Configures the sink used by lc_log(): log_fd (-1: none) receives every message in
 * fmt; when to_stderr is set, warnings and errors are also written to stderr as
 * "strait: ...". debug enables LOG_LVL_DEBUG. */
void lc_log_setup(int log_fd, enum lc_log_format fmt, bool to_stderr, bool debug);
/* Phase marks for bench/phases.sh: with STRAIT_PHASES naming a file, this process (and
 * its container process) append their marks to it (phase.h). First thing in main. */
void lc_phase_init(void);
/* Writes an error line to the log sink only (the CLI prints stderr itself). */
void lc_log_error_to_file(const char *msg);

/* ---- operator settings (strait.conf and global flags) ---- */
enum lc_seccomp_policy { LC_POLICY_PERMISSIVE, LC_POLICY_RUNTIME_DEFAULT, LC_POLICY_RESTRICTED };
enum lc_privileged_seccomp { LC_PRIV_UNCONFINED, LC_PRIV_REFUSE, LC_PRIV_AUDIT };

/* LC_MODE_RECORD: enforce, and record every denial (--seccomp-denials=record). */
enum lc_seccomp_mode { LC_MODE_ENFORCE, LC_MODE_LOG, LC_MODE_RECORD };

struct lc_config {
	enum lc_seccomp_policy seccomp_policy;
	enum lc_privileged_seccomp privileged_seccomp;
	enum lc_seccomp_mode seccomp_mode;   /* seccomp-mode */
	char seccomp_recorder[108];          /* seccomp-recorder: the agent's socket, "" none */
	bool allow_mode_annotation;          /* allow-mode-annotation: honour org.strait.seccomp.mode */
	bool seccomp_denials_record;         /* seccomp-denials = record */
};

/* ---- global options shared by every command ---- */
struct lc_global {
	const char *root;        /* state root, default /run/strait */
	bool systemd_cgroup;
	const char *config_path; /* strait.conf, may be NULL */
	struct lc_config config; /* loaded by lc_config_load() */
};

/* Loads g->config_path (or the default path when NULL and present), then applies the
 * "key=value" overrides from global flags (NULL-terminated, may be NULL). */
int lc_config_load(struct lc_global *g, char *const *overrides, struct lc_err *err);

/* ---- lifecycle ---- */
struct lc_create_opts {
	const char *id;
	const char *bundle;         /* absolute or relative; default "." */
	const char *pid_file;       /* may be NULL */
	const char *console_socket; /* may be NULL */
	bool no_pivot;
	bool no_new_keyring;
	int preserve_fds;
	bool detach; /* run only */
	bool keep;   /* run only: do not delete after exit */
	const char *seccomp_mode;     /* --seccomp-mode enforce|log (NULL: strait.conf) */
	const char *seccomp_label;    /* --seccomp-label */
	const char *seccomp_recorder; /* --seccomp-recorder PATH */
	const char *seccomp_evidence; /* run only: --seccomp-evidence FILE */
	const char *seccomp_denials;  /* --seccomp-denials record|off (NULL: strait.conf) */
};

/* create: sets up the container fully; the user's process waits for start. */
int lc_container_create(const struct lc_global *g, const struct lc_create_opts *o,
			struct lc_err *err);
/* start: releases a created container's process and runs poststart hooks. */
int lc_container_start(const struct lc_global *g, const char *id, struct lc_err *err);
/* run: create + start; in the foreground returns the exit code (or 128+signal) in
 * *ret_status, after deleting the container (unless keep). */
int lc_container_run(const struct lc_global *g, const struct lc_create_opts *o,
		     int *ret_status, struct lc_err *err);
struct lc_exec_opts {
	const char *id;
	const char *process_file;   /* --process FILE (a process object) */
	char **args;                /* the command when no --process */
	bool tty, detach, no_new_privs, ignore_paused;
	const char *pid_file, *console_socket, *cwd, *user; /* user: "uid[:gid]" */
	char **env;                 /* -e KEY=VALUE, NULL-terminated */
	char **caps;                /* --cap CAP_X, NULL-terminated */
	char **additional_gids;     /* --additional-gids N, NULL-terminated */
	char **cgroups;             /* --cgroup [CONTROLLER:]PATH, below the container's */
	const char *apparmor, *process_label; /* --apparmor, --process-label */
	int preserve_fds;
};
/* exec: runs a new process inside a running container, with the container's
 * namespaces, cgroup, capabilities, rlimits, no_new_privs and seccomp. In the
 * foreground *ret_status is its exit code (or 128+signal). */
int lc_container_exec(const struct lc_global *g, const struct lc_exec_opts *o, int *ret_status,
		      struct lc_err *err);

/* pause/resume: freeze or thaw every process of a running container. */
int lc_container_pause(const struct lc_global *g, const char *id, bool pause, struct lc_err *err);
/* ps: the pids in the container's cgroup (malloc'd). */
int lc_container_pids(const struct lc_global *g, const char *id, pid_t **ret, size_t *ret_n,
		      struct lc_err *err);
/* update: applies a linux.resources JSON object (text) to a created/running container. */
int lc_container_update(const struct lc_global *g, const char *id, const char *resources_json,
			struct lc_err *err);
/* events: one stats event as runc prints it ({"type":"stats","id":..,"data":{..}}). */
int lc_container_stats_json(const struct lc_global *g, const char *id, char **ret_json,
			    struct lc_err *err);

/* state: writes the OCI state JSON of id to ret_json (malloc'd). */
int lc_container_state(const struct lc_global *g, const char *id, char **ret_json,
		       struct lc_err *err);
int lc_container_kill(const struct lc_global *g, const char *id, int signo, bool all,
		      struct lc_err *err);
int lc_container_delete(const struct lc_global *g, const char *id, bool force,
			struct lc_err *err);

struct lc_list_entry {
	char *id;
	pid_t pid;
	char *status;
	char *bundle;
	char *rootfs;
	char *created; /* RFC 3339 */
	char *owner;
};
int lc_container_list(const struct lc_global *g, struct lc_list_entry **ret_entries,
		      size_t *ret_n, struct lc_err *err);
void lc_list_free(struct lc_list_entry *e, size_t n);

/* spec: returns a default config.json text (malloc'd). */
int lc_spec_default(bool rootless, bool seccomp, char **ret_json, struct lc_err *err);

/* `strait features`: the OCI features JSON (malloc'd). */
int lc_features_json(char **ret_json, struct lc_err *err);
/* `strait seccomp default`: the built-in RuntimeDefault profile as OCI linux.seccomp
 * JSON (malloc'd). */
int lc_seccomp_default_json(char **ret_json, struct lc_err *err);
/* `strait seccomp status ID`: the seccomp decision record of a container (malloc'd). */
/* `strait seccomp denials [--json] ID`: what the container's enforced profile denied
 * (seccomp-denials=record): text, or with json the init process's evidence file. */
int lc_seccomp_denials(const struct lc_global *g, const char *id, bool json, char **ret_text,
		       struct lc_err *err);
int lc_seccomp_status(const struct lc_global *g, const char *id, char **ret_json,
		      struct lc_err *err);

/* `strait seccomp recorder`: the observe-mode agent; runs until SIGINT/SIGTERM. */
int lc_seccomp_recorder(const char *socket_path, const char *dir, struct lc_err *err);

/* The libseccomp version string, "2.5.4". */
const char *lc_libseccomp_version(void);

/* ---- `strait seccomp generate|merge|diff|check` (docs/seccomp-tools.md) ----
 * A profile file holds an OCI linux.seccomp object or a whole config.json. Output
 * texts are malloc'd. */
/* The profile (JSON) and the coverage report for base (NULL: none) and the evidence. */
int lc_seccomp_generate(const char *base, char *const *evidence, size_t n_evidence,
			char **ret_profile, char **ret_report, struct lc_err *err);
/* The union (intersect false) or intersection of the profiles, as JSON. */
int lc_seccomp_merge(bool intersect, char *const *profiles, size_t n, char **ret_profile,
		     struct lc_err *err);
/* 0 when a and b behave alike, 1 when they differ (*ret_text says how), -errno. */
int lc_seccomp_diff(const char *a, const char *b, char **ret_text, struct lc_err *err);
/* 0 when nothing was found, 1 on findings (*ret_text lists them), -errno. */
int lc_seccomp_check(const char *profile, char *const *evidence, size_t n_evidence,
		     char **ret_text, struct lc_err *err);
/* `check --against BUNDLE|ID PROFILE [EVIDENCE...]`: which facts of the evidence (or
 * of the profile's straitProvenance) differ now. 0 when none, 1 when some (*ret_text
 * says which), -errno. */
int lc_seccomp_check_against(const struct lc_global *g, const char *against, const char *profile,
			     char *const *evidence, size_t n_evidence, char **ret_text,
			     struct lc_err *err);
/* Writes text to path atomically: a temp file in its directory, then rename(2). */
int lc_seccomp_write_file(const char *path, const char *text, struct lc_err *err);

/* ---- name tables exposed to the CLI ---- */
/* Parses "KILL", "SIGKILL", "kill" or "9". Returns the signal number or -EINVAL. */
int lc_signal_parse(const char *s);
/* Validates a container ID: non-empty, <= 1024 bytes, [A-Za-z0-9_+.-], not "." or "..". */
int lc_id_validate(const char *id, struct lc_err *err);

#endif
