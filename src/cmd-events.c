/* `strait events [--stats] [--interval D] ID`: stats as runc prints them, once with
 * --stats, else every interval until the container stops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

/* "5s", "500ms", "1m", "2" (seconds) -> milliseconds; -1 when invalid. */
static long
parse_duration(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v < 0)
		return -1;
	if (!strcmp(end, "ms"))
		return (long)v;
	if (!*end || !strcmp(end, "s"))
		return (long)(v * 1000);
	if (!strcmp(end, "m"))
		return (long)(v * 60000);
	return -1;
}

int
cmd_events(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stats", no_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		CLI_HELP_OPT,
		{ 0 },
	};
	struct lc_err err = { 0 };
	bool once = false;
	long interval = 5000;
	int opt;

	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (opt == 's')
			once = true;
		else if (opt == 'i') {
			interval = parse_duration(optarg);
			if (interval <= 0)
				return cli_failf("events: --interval: invalid duration \"%s\"", optarg);
		} else
			return cli_getopt_result(c, opt);
	}
	int r = cli_want_args(c, argc, argv, 1);
	if (r)
		return r;
	/* As runc: the stream's first line comes after one interval. */
	for (bool first = true;; first = false) {
		char *json = NULL;
		struct timespec ts = { interval / 1000, (interval % 1000) * 1000000L };
		if (!once)
			nanosleep(&ts, NULL);
		if (lc_container_stats_json(&c->g, argv[optind], &json, &err) < 0)
			return once || first ? cli_fail(&err) : 0; /* the stream ends with the container */
		puts(json);
		fflush(stdout);
		free(json);
		if (once)
			return 0;
	}
}
