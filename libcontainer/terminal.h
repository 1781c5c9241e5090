/* process.terminal: the pty is made inside the container from its own devpts, the
 * peer comes from TIOCGPTPEER (no path lookup in the container's /dev/pts, CVE-2025-52565
 * class), /dev/console is a bind of that peer fd, and the master goes to the
 * --console-socket (connected by the runtime with unix_connect) or, for an interactive
 * run/exec, back to the runtime. */
#ifndef STRAIT_TERMINAL_H
#define STRAIT_TERMINAL_H

#include <sys/types.h>
#include "spec.h"

/* Container process, inside the container's mount namespace after pivot_root: makes
 * the pty, binds /dev/console (when bind_console), makes the peer the controlling
 * terminal and stdio, and hands the master to console_fd (>= 0) or to the runtime
 * through sync_fd. */
int terminal_setup(const struct spec_process *p, bool bind_console, int console_fd, int sync_fd,
		   struct lc_err *err);

/* Runtime, foreground run/exec without a console socket: relays between our stdio
 * and the master until pid exits (our stdin in raw mode when it is a terminal, window
 * size kept in sync). Returns the exit code, or 128+signal. */
int terminal_relay(pid_t pid, int master);

#endif
