/* The recorder agent (`strait seccomp recorder`): one thread, one poll loop, serving the
 * notify fds of many containers in log mode. It takes them over the OCI seccomp
 * listener protocol (ContainerProcessState JSON + SCM_RIGHTS), judges and records each
 * notification with evidence.c, and writes one evidence file per container when its
 * fd hangs up. The CLI command (argv, printing) is the lead's src/cmd-seccomp.c. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "error.h"
#include "json.h"
#include "log.h"
#include "seccomp/observe.h"
#include "seccomp/seccomp.h"
#include "seccomp/sha256.h"

/* A client has this long to send its whole message; a slow or silent one is dropped. */
#define HANDSHAKE_MS 2000
/* The ContainerProcessState of a container with many annotations stays far below. */
#define MAX_MESSAGE (256u << 10)
/* Handshakes in progress at once; more connections wait in the listen backlog. */
#define MAX_CLIENTS 64
/* fds one message may carry (the protocol names them in "fds"). */
#define MAX_FDS 8
/* JSON nesting a message may have (strait's has 4). */
#define MAX_DEPTH 32
/* Notifications handled for one container per loop turn before the others get theirs. */
#define BATCH 64
/* Compiled base profiles kept by the digest of their text: containers started from one
 * profile share it, and a handshake costs a file read instead of a compile. */
#define BASE_CACHE 16

struct client {
	int fd;
	pid_t peer; /* for the log; 0 when unknown */
	char *buf;
	size_t len;
	int fds[MAX_FDS];
	size_t n_fds;
	uint64_t deadline; /* CLOCK_MONOTONIC ms */
	bool done;	   /* handled or dropped: remove */
};

struct base_entry {
	uint8_t key[SHA256_DIGEST_SIZE]; /* sha256 of the profile text */
	struct seccomp_prog *prog;	 /* NULL: free slot */
	unsigned refs;
	uint64_t used;
};

struct container {
	int fd; /* the seccomp notify fd */
	struct evidence *ev;
	struct seccomp_prog *base;
	struct base_entry *entry; /* NULL: base is owned by the container */
	char *id, *label;
	char *live; /* deny-and-record: the container's seccomp-denials.json, else NULL */
	bool done;
};

struct recorder {
	const char *dir;
	int listen_fd, sig_fd;
	struct client *clients;
	size_t n_clients;
	struct container *cts;
	size_t n_cts, cap_cts;
	uint64_t accept_paused_until;
	struct base_entry cache[BASE_CACHE];
	uint64_t tick;
	bool stop;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
json_freep(struct json_val **v)
{
	json_free(*v);
}

/* ---- containers ---- */
static void
container_release(struct container *c)
{
	if (c->fd >= 0)
		close(c->fd);
	evidence_free(c->ev);
	if (c->entry)
		c->entry->refs--;
	else
		seccomp_prog_free(c->base);
	free(c->id);
	free(c->label);
	free(c->live);
	*c = (struct container){ .fd = -1, .done = true };
}

/* s with every byte outside [A-Za-z0-9_.-] replaced, at most 100 bytes, into buf. */
static const char *
file_part(const char *s, char buf[101])
{
	size_t k = 0;

	for (; s && s[k] && k < 100; k++) {
		char ch = s[k];
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
			  (ch == '.' && k > 0);
		buf[k] = ok ? ch : '_';
	}
	buf[k] = '\0';
	return buf;
}

/* Writes DIR/<id>.<label>.<unix-nanos>.json and forgets the container. */
static void
container_finish(struct recorder *rec, struct container *c)
{
	char idb[101], labelb[101], path[4096];
	struct timespec ts;
	struct lc_err err = { 0 };

	clock_gettime(CLOCK_REALTIME, &ts);
	file_part(c->id, idb);
	file_part(c->label, labelb);
	if (!*idb)
		snprintf(idb, sizeof(idb), "unknown");
	if (*labelb)
		snprintf(path, sizeof(path), "%s/%s.%s.%" PRIu64 "%09ld.json", rec->dir, idb,
			 labelb, (uint64_t)ts.tv_sec, (long)ts.tv_nsec);
	else
		snprintf(path, sizeof(path), "%s/%s.%" PRIu64 "%09ld.json", rec->dir, idb,
			 (uint64_t)ts.tv_sec, (long)ts.tv_nsec);
	evidence_snapshot(c->ev, c->live, true);
	if (evidence_write(c->ev, path, &err) < 0)
		log_error("seccomp recorder: container %s: %s", c->id ? c->id : "?", err.msg);
	else
		log_info("seccomp recorder: container %s: %zu records in %s", c->id ? c->id : "?",
			 evidence_n_records(c->ev), path);
	container_release(c);
}

/* Serves one readable container fd: up to BATCH notifications. */
static void
container_serve(struct recorder *rec, struct container *c, short revents)
{
	int r = 0;

	if (revents & POLLIN) {
		for (int i = 0; i < BATCH; i++) {
			r = evidence_handle(c->ev, c->fd, c->base);
			if (r <= 0)
				break;
		}
	}
	/* hang-up: every task under the filter is gone, nothing more can come */
	if (r < 0 || (revents & (POLLHUP | POLLERR | POLLNVAL)))
		container_finish(rec, c);
	else
		evidence_snapshot(c->ev, c->live, false);
}

/* ---- base profiles ---- */
/* The compiled base at path, shared through the cache when a slot is free. */
static int
base_get(struct recorder *rec, const char *path, struct container *c, struct lc_err *err)
{
	_cleanup_free_ char *text = NULL;
	uint8_t key[SHA256_DIGEST_SIZE];
	struct base_entry *slot = NULL;
	size_t len;
	int q;

	q = observe_read_file(path, SECCOMP_BASE_MAX, &text, &len, err);
	if (q < 0)
		return q;
	sha256(text, len, key);
	for (size_t i = 0; i < BASE_CACHE; i++) {
		struct base_entry *e = &rec->cache[i];
		if (e->prog && memcmp(e->key, key, sizeof(key)) == 0) {
			e->refs++;
			e->used = ++rec->tick;
			c->base = e->prog;
			c->entry = e;
			return 0;
		}
		if (!e->refs && (!slot || (slot->prog && (!e->prog || e->used < slot->used))))
			slot = e;
	}
	q = seccomp_observe_base_from_text(text, len, path, &c->base, err);
	if (q < 0)
		return q;
	if (slot) {
		seccomp_prog_free(slot->prog);
		*slot = (struct base_entry){ .prog = c->base, .refs = 1, .used = ++rec->tick };
		memcpy(slot->key, key, sizeof(key));
		c->entry = slot;
	}
	return 0;
}

/* ---- the handshake ---- */
struct message {
	const char *id, *bundle, *label, *base_path, *base_source;
	const char *live; /* "denialsFile" */
	bool enforce;     /* "mode": "record" */
	int seccomp_fd_index;
};

/* Reads the fields strait puts in the message; errors say what is wrong. */
static int
message_fields(const struct json_val *root, const struct json_val *meta, struct message *m,
	       struct lc_err *err)
{
	const struct json_val *fds = json_get(root, "fds"), *st = json_get(root, "state");

	m->seccomp_fd_index = -1;
	if (json_type(root) != JSON_OBJECT)
		return lc_err_setx(err, EINVAL, "the message is not a JSON object");
	for (size_t i = 0; fds && i < json_len(fds) && i < MAX_FDS; i++) {
		const char *s = json_string(json_at(fds, i));
		if (s && strcmp(s, "seccompFd") == 0 && m->seccomp_fd_index < 0)
			m->seccomp_fd_index = (int)i;
	}
	if (m->seccomp_fd_index < 0)
		return lc_err_setx(err, EINVAL, "\"fds\" does not name a \"seccompFd\"");
	if (json_type(meta) != JSON_OBJECT)
		return lc_err_setx(err, EINVAL,
				   "\"metadata\" is not the JSON object strait writes "
				   "(start the container with strait in log mode)");
	m->base_path = json_string(json_get(meta, "baseProfile"));
	if (!m->base_path || !*m->base_path)
		return lc_err_setx(err, EINVAL, "\"metadata\" has no \"baseProfile\"");
	m->label = json_string(json_get(meta, "label"));
	m->base_source = json_string(json_get(meta, "baseSource"));
	const char *mode = json_string(json_get(meta, "mode"));
	m->enforce = mode && !strcmp(mode, "record");
	m->live = json_string(json_get(meta, "denialsFile"));
	if (m->live && (m->live[0] != '/' || !m->enforce))
		return lc_err_setx(err, EINVAL, "\"metadata\": \"denialsFile\" %s is not an absolute path of a recording container",
				   m->live);
	m->id = json_string(json_get(meta, "id"));
	if (!m->id || !*m->id)
		m->id = json_string(json_get(st, "id"));
	m->bundle = json_string(json_get(st, "bundle"));
	return 0;
}

/* True when fd is a seccomp user-notification listener. */
static bool
is_notify_fd(int fd)
{
	char path[64], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "anon_inode:seccomp notify") == 0;
}

static int
ct_append(struct recorder *rec, struct container *c)
{
	if (rec->n_cts == rec->cap_cts) {
		size_t cap = rec->cap_cts ? rec->cap_cts * 2 : 16;
		struct container *p = realloc(rec->cts, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		rec->cts = p;
		rec->cap_cts = cap;
	}
	rec->cts[rec->n_cts++] = *c;
	return 0;
}

/* The metadata's "image" object as "key=value" strings (NULL-terminated); NULL when
 * absent or out of memory (the facts then have no image). */
static char **
meta_image(const struct json_val *img)
{
	size_t n = img && json_type(img) == JSON_OBJECT ? json_len(img) : 0;
	char **v = n ? calloc(n + 1, sizeof(char *)) : NULL;
	size_t k = 0;

	for (size_t i = 0; v && i < n; i++) {
		const char *val = json_string(json_value_at(img, i));
		if (val && asprintf(&v[k], "%s=%s", json_key_at(img, i), val) >= 0)
			k++;
		else
			v[k] = NULL;
	}
	return v;
}

/* A complete message: checks it, loads the base profile and starts serving the fd. */
static int
client_accept_message(struct recorder *rec, struct client *cl, const struct json_val *root,
		      struct lc_err *err)
{
	_cleanup_(json_freep) struct json_val *meta = NULL;
	const char *meta_text = json_string(json_get(root, "metadata"));
	struct container c = { .fd = -1 };
	struct message m = { 0 };
	char jerr[128];
	int q;

	if (meta_text && json_parse(meta_text, strlen(meta_text), &meta, jerr, sizeof(jerr)) < 0)
		return lc_err_setx(err, EINVAL, "\"metadata\" is not JSON: %s", jerr);
	if ((q = message_fields(root, meta, &m, err)) < 0)
		return q;
	if ((size_t)m.seccomp_fd_index >= cl->n_fds)
		return lc_err_setx(err, EBADF, "the message came without the seccomp fd");
	if (!is_notify_fd(cl->fds[m.seccomp_fd_index]))
		return lc_err_setx(err, EBADF, "the fd sent is not a seccomp notify fd");
	q = base_get(rec, m.base_path, &c, err);
	if (q < 0)
		return lc_err_prefix(err, "base profile");
	_cleanup_strv_ char **image = meta_image(json_get(meta, "image"));
	struct evidence_meta em = { .id = m.id,
				    .bundle = m.bundle,
				    .label = m.label,
				    .base_sha256 = c.base->sha256,
				    .base_source = m.base_source,
				    .enforce = m.enforce,
				    .image = image };
	c.ev = evidence_new(&em);
	if (!c.ev || (m.id && !(c.id = strdup(m.id))) || (m.live && !(c.live = strdup(m.live))) ||
	    (m.label && !(c.label = strdup(m.label))) || ct_append(rec, &c) < 0) {
		container_release(&c);
		return lc_err_set(err, ENOMEM, "seccomp recorder");
	}
	/* the container owns the fd from here */
	rec->cts[rec->n_cts - 1].fd = cl->fds[m.seccomp_fd_index];
	evidence_listener_setup(rec->cts[rec->n_cts - 1].fd);
	cl->fds[m.seccomp_fd_index] = -1;
	log_info("seccomp recorder: recording container %s (label %s)", m.id ? m.id : "?",
		 m.label && *m.label ? m.label : "none");
	return 0;
}

static void
client_close(struct client *cl)
{
	for (size_t i = 0; i < cl->n_fds; i++)
		if (cl->fds[i] >= 0)
			close(cl->fds[i]);
	if (cl->fd >= 0)
		close(cl->fd);
	free(cl->buf);
	*cl = (struct client){ .fd = -1, .done = true };
}

static void
client_drop(struct client *cl, const char *why)
{
	if (cl->peer > 0)
		log_warn("seccomp recorder: dropped a client (pid %d): %s", (int)cl->peer, why);
	else
		log_warn("seccomp recorder: dropped a client: %s", why);
	client_close(cl);
}

/* Takes the fds of every SCM_RIGHTS message; false when they do not fit. */
static bool
take_fds(struct client *cl, struct msghdr *mh)
{
	bool fit = !(mh->msg_flags & MSG_CTRUNC);

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (cl->n_fds < MAX_FDS)
				cl->fds[cl->n_fds++] = fd;
			else {
				close(fd);
				fit = false;
			}
		}
	}
	return fit;
}

/* Nesting depth of the JSON text (strings skipped); the tree reader and its free
 * recurse, so a hostile "[[[[..." must not reach them. */
static bool
nesting_ok(const char *s, size_t len)
{
	int depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = false;
		} else if (ch == '"') {
			in_str = true;
		} else if (ch == '{' || ch == '[') {
			if (++depth > MAX_DEPTH)
				return false;
		} else if (ch == '}' || ch == ']') {
			depth--;
		}
	}
	return true;
}

/* Tries the buffer as the whole message. 1: handled (or dropped), 0: incomplete. */
static int
client_try_message(struct recorder *rec, struct client *cl, bool eof)
{
	_cleanup_(json_freep) struct json_val *root = NULL;
	struct lc_err err = { 0 };
	char jerr[128];
	size_t end = cl->len;

	while (end > 0 && strchr(" \t\r\n", cl->buf[end - 1]))
		end--;
	/* a JSON object ends with '}': anything else is certainly incomplete */
	if (!eof && (end == 0 || cl->buf[end - 1] != '}'))
		return 0;
	if (eof && end == 0 && cl->n_fds == 0) {
		/* connected and left without a word: a health check, not an error */
		client_close(cl);
		return 1;
	}
	if (!nesting_ok(cl->buf, cl->len)) {
		client_drop(cl, "the message nests too deep");
		return 1;
	}
	if (json_parse(cl->buf, cl->len, &root, jerr, sizeof(jerr)) < 0) {
		if (!eof)
			return 0;
		char why[200];
		snprintf(why, sizeof(why), "the message is not JSON: %s", jerr);
		client_drop(cl, why);
		return 1;
	}
	if (client_accept_message(rec, cl, root, &err) < 0)
		client_drop(cl, err.msg);
	else
		client_close(cl);
	return 1;
}

static void
client_read(struct recorder *rec, struct client *cl)
{
	char cbuf[CMSG_SPACE(MAX_FDS * sizeof(int))];

	for (;;) {
		if (!cl->buf && !(cl->buf = malloc(MAX_MESSAGE + 1))) {
			client_drop(cl, "out of memory");
			return;
		}
		if (cl->len == MAX_MESSAGE) {
			client_drop(cl, "the message is too large");
			return;
		}
		struct iovec iov = { .iov_base = cl->buf + cl->len,
				     .iov_len = MAX_MESSAGE - cl->len };
		struct msghdr mh = { .msg_iov = &iov,
				     .msg_iovlen = 1,
				     .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		ssize_t n = recvmsg(cl->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				client_drop(cl, strerror(errno));
			return;
		}
		if (!take_fds(cl, &mh)) {
			client_drop(cl, "too many fds");
			return;
		}
		cl->len += (size_t)n;
		cl->buf[cl->len] = '\0';
		if (client_try_message(rec, cl, n == 0) || n == 0)
			return;
	}
}

static void
accept_clients(struct recorder *rec)
{
	while (rec->n_clients < MAX_CLIENTS) {
		int fd = accept4(rec->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM) {
				/* out of fds: leave the backlog for a moment instead of spinning */
				log_warn("seccomp recorder: accept: %s", strerror(errno));
				rec->accept_paused_until = now_ms() + 100;
			}
			return;
		}
		struct ucred cred = { 0 };
		socklen_t cl = sizeof(cred);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0)
			cred.pid = 0;
		rec->clients[rec->n_clients++] = (struct client){
			.fd = fd, .peer = cred.pid, .deadline = now_ms() + HANDSHAKE_MS
		};
	}
}

/* ---- the loop ---- */
static void
compact(struct recorder *rec)
{
	size_t k = 0;

	for (size_t i = 0; i < rec->n_cts; i++)
		if (!rec->cts[i].done)
			rec->cts[k++] = rec->cts[i];
	rec->n_cts = k;
	k = 0;
	for (size_t i = 0; i < rec->n_clients; i++)
		if (!rec->clients[i].done)
			rec->clients[k++] = rec->clients[i];
	rec->n_clients = k;
}

static int
poll_timeout(struct recorder *rec, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (size_t i = 0; i < rec->n_clients; i++)
		if (rec->clients[i].deadline < next)
			next = rec->clients[i].deadline;
	if (rec->accept_paused_until > now && rec->accept_paused_until < next)
		next = rec->accept_paused_until;
	/* a live snapshot of denials that is due */
	for (size_t i = 0; i < rec->n_cts; i++) {
		int due = evidence_snapshot(rec->cts[i].ev, rec->cts[i].live, false);
		if (due >= 0 && now + (uint64_t)due < next)
			next = now + (uint64_t)due;
	}
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)(next - now);
}

/* One turn: poll, then serve notifications first (a workload waits on each), then
 * handshakes, then new connections. */
static int
loop_once(struct recorder *rec, struct pollfd *pfd)
{
	uint64_t now = now_ms();
	size_t n = 0, ct0, cl0, li = SIZE_MAX;
	int r;

	pfd[n++] = (struct pollfd){ .fd = rec->sig_fd, .events = POLLIN };
	ct0 = n;
	for (size_t i = 0; i < rec->n_cts; i++)
		pfd[n++] = (struct pollfd){ .fd = rec->cts[i].fd, .events = POLLIN };
	cl0 = n;
	for (size_t i = 0; i < rec->n_clients; i++)
		pfd[n++] = (struct pollfd){ .fd = rec->clients[i].fd, .events = POLLIN };
	if (rec->n_clients < MAX_CLIENTS && rec->accept_paused_until <= now) {
		li = n;
		pfd[n++] = (struct pollfd){ .fd = rec->listen_fd, .events = POLLIN };
	}
	r = poll(pfd, n, poll_timeout(rec, now));
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	for (size_t i = 0; i < rec->n_cts; i++)
		if (pfd[ct0 + i].revents)
			container_serve(rec, &rec->cts[i], pfd[ct0 + i].revents);
	now = now_ms();
	for (size_t i = 0; i < rec->n_clients; i++) {
		struct client *cl = &rec->clients[i];
		if (pfd[cl0 + i].revents)
			client_read(rec, cl);
		if (!cl->done && now >= cl->deadline)
			client_drop(cl, "no complete message within 2 s");
	}
	compact(rec);
	if (li != SIZE_MAX && (pfd[li].revents & POLLIN))
		accept_clients(rec);
	if (pfd[0].revents & POLLIN) {
		struct signalfd_siginfo si;
		/* consume it: a signal left pending would kill the caller once the mask is
		 * restored */
		while (read(rec->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			rec->stop = true;
	}
	return 0;
}

/* ---- setup ---- */
static int
listen_socket(const char *path, struct lc_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = -1;
	struct stat st;
	mode_t old;
	int r;

	if (strlen(path) >= sizeof(sa.sun_path))
		return lc_err_setx(err, ENAMETOOLONG, "--socket %s: path too long", path);
	strcpy(sa.sun_path, path);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return lc_err_setx(err, EEXIST, "--socket %s: exists and is not a socket",
					   path);
		/* a socket someone still listens on belongs to a running recorder */
		_cleanup_close_ int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return lc_err_setx(err, EADDRINUSE,
					   "--socket %s: another recorder is listening there",
					   path);
		if (unlink(path) < 0 && errno != ENOENT)
			return lc_err_set(err, errno, "--socket %s: removing the stale socket",
					  path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return lc_err_set(err, errno, "socket");
	/* the socket hands out control over workloads' syscalls: owner only, from birth */
	old = umask(0177);
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0)
		return lc_err_set(err, errno, "--socket %s: bind", path);
	if (chmod(path, 0600) < 0 || listen(fd, 128) < 0) {
		r = errno;
		unlink(path);
		return lc_err_set(err, r, "--socket %s", path);
	}
	return TAKE_FD(fd);
}

static int
check_dir(const char *dir, struct lc_err *err)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return lc_err_set(err, errno, "--dir %s", dir);
	if (stat(dir, &st) < 0)
		return lc_err_set(err, errno, "--dir %s", dir);
	if (!S_ISDIR(st.st_mode))
		return lc_err_setx(err, ENOTDIR, "--dir %s: not a directory", dir);
	return 0;
}

static void
recorder_shutdown(struct recorder *rec)
{
	for (size_t i = 0; i < rec->n_cts; i++) {
		/* answer what is already queued, so no workload is left waiting on us */
		for (int k = 0; k < BATCH; k++)
			if (evidence_handle(rec->cts[i].ev, rec->cts[i].fd, rec->cts[i].base) <= 0)
				break;
		container_finish(rec, &rec->cts[i]);
	}
	for (size_t i = 0; i < rec->n_clients; i++)
		client_close(&rec->clients[i]);
	for (size_t i = 0; i < BASE_CACHE; i++)
		seccomp_prog_free(rec->cache[i].prog);
	free(rec->cts);
	free(rec->clients);
	if (rec->sig_fd >= 0)
		close(rec->sig_fd);
	if (rec->listen_fd >= 0)
		close(rec->listen_fd);
}

/* Runs in the `strait seccomp recorder` process until SIGINT/SIGTERM. */
int
seccomp_recorder_run(const char *socket_path, const char *dir, struct lc_err *err)
{
	struct recorder rec = { .dir = dir, .listen_fd = -1, .sig_fd = -1 };
	_cleanup_free_ struct pollfd *pfd = NULL;
	size_t pfd_cap = 0;
	sigset_t mask, old;
	int r;

	if ((r = check_dir(dir, err)) < 0)
		return r;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, &old) < 0)
		return lc_err_set(err, errno, "seccomp recorder: sigprocmask");
	rec.sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	rec.clients = calloc(MAX_CLIENTS, sizeof(*rec.clients));
	if (rec.sig_fd < 0 || !rec.clients)
		r = lc_err_set(err, rec.sig_fd < 0 ? errno : ENOMEM, "seccomp recorder");
	else
		r = rec.listen_fd = listen_socket(socket_path, err);
	if (r >= 0)
		log_info("seccomp recorder: listening on %s, writing evidence to %s", socket_path,
			 dir);
	while (r >= 0 && !rec.stop) {
		size_t need = 2 + rec.n_cts + rec.n_clients;
		if (need > pfd_cap) {
			struct pollfd *p = realloc(pfd, (need + 16) * sizeof(*p));
			if (!p) {
				r = lc_err_set(err, ENOMEM, "seccomp recorder");
				break;
			}
			pfd = p;
			pfd_cap = need + 16;
		}
		r = loop_once(&rec, pfd);
		if (r < 0)
			lc_err_set(err, -r, "seccomp recorder: poll");
	}
	bool listening = rec.listen_fd >= 0;
	recorder_shutdown(&rec);
	if (listening)
		unlink(socket_path);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r < 0 ? r : 0;
}
