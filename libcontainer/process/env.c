/* The workload's environment, container side: as runc does, a process whose env has no
 * HOME gets the home directory of its uid from the container's /etc/passwd, or "/". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "error.h"
#include "path.h"
#include "process/process.h"

/* The 6th field of the /etc/passwd line of uid, malloc'd, or NULL. */
static char *
passwd_home(uid_t uid)
{
	struct lc_err err = { 0 };
	_cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = -1;
	if (rootfd < 0 || path_open_in_root(rootfd, "/etc/passwd", O_RDONLY | O_CLOEXEC, &fd, &err) < 0)
		return NULL;
	FILE *f = fdopen(fd, "re");
	if (!f) {
		close(fd);
		return NULL;
	}
	char line[1024], *home = NULL;
	while (!home && fgets(line, sizeof(line), f)) {
		char *field[7] = { 0 }, *p = line;
		int n = 0;
		/* strsep keeps empty fields (a password field of "") */
		while (n < 7 && (field[n] = strsep(&p, ":\n")))
			n++;
		if (n >= 6 && field[2] && strtoul(field[2], NULL, 10) == uid && field[5][0] == '/')
			home = strdup(field[5]);
	}
	fclose(f);
	return home;
}

int
exec_env_home(struct spec_process *p, struct lc_err *err)
{
	for (size_t i = 0; i < p->n_env; i++)
		if (!strncmp(p->env[i], "HOME=", 5))
			return 0;
	_cleanup_free_ char *home = passwd_home(p->user.uid);
	char **env = realloc(p->env, (p->n_env + 2) * sizeof(char *));
	if (!env)
		return lc_err_set(err, ENOMEM, "HOME");
	p->env = env;
	if (asprintf(&env[p->n_env], "HOME=%s", home ? home : "/") < 0)
		return lc_err_set(err, ENOMEM, "HOME");
	env[++p->n_env] = NULL;
	return 0;
}
