/* `strait list [--format table|json] [-q]`. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static void
print_json_string(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void
print_json(const struct lc_list_entry *e, size_t n)
{
	putchar('[');
	for (size_t i = 0; i < n; i++) {
		printf("%s{\"ociVersion\":\"%s\",\"id\":", i ? "," : "", OCI_SPEC_VERSION);
		print_json_string(e[i].id);
		printf(",\"pid\":%d,\"status\":", e[i].pid);
		print_json_string(e[i].status);
		printf(",\"bundle\":");
		print_json_string(e[i].bundle);
		printf(",\"rootfs\":");
		print_json_string(e[i].rootfs);
		printf(",\"created\":");
		print_json_string(e[i].created);
		printf(",\"owner\":");
		print_json_string(e[i].owner);
		putchar('}');
	}
	puts("]");
}

/* As runc's table (Go's tabwriter, minimum width 12, padding 3): each column as wide
 * as its longest cell plus 3, at least 12; the last one unpadded. */
static void
print_table(const struct lc_list_entry *e, size_t n)
{
	enum { NCOL = 5 };
	static const char *const head[NCOL] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED" };
	int w[NCOL];
	char pid[24];

	for (int c = 0; c < NCOL; c++)
		w[c] = (int)strlen(head[c]);
	for (size_t i = 0; i < n; i++) {
		const char *cell[NCOL] = { e[i].id, pid, e[i].status, e[i].bundle,
					   e[i].created ? e[i].created : "" };
		snprintf(pid, sizeof(pid), "%d", e[i].pid);
		for (int c = 0; c < NCOL; c++)
			if ((int)strlen(cell[c]) > w[c])
				w[c] = (int)strlen(cell[c]);
	}
	for (int c = 0; c < NCOL; c++)
		w[c] = w[c] + 3 < 12 ? 12 : w[c] + 3;
	for (int c = 0; c < NCOL; c++)
		printf("%-*s", w[c], head[c]);
	puts("OWNER");
	for (size_t i = 0; i < n; i++) {
		snprintf(pid, sizeof(pid), "%d", e[i].pid);
		const char *cell[NCOL] = { e[i].id, pid, e[i].status, e[i].bundle,
					   e[i].created ? e[i].created : "" };
		for (int c = 0; c < NCOL; c++)
			printf("%-*s", w[c], cell[c]);
		puts(e[i].owner);
	}
}

int
cmd_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		CLI_HELP_OPT,
		{ 0 },
	};
	struct lc_err err = { 0 };
	struct lc_list_entry *e = NULL;
	bool json = false, quiet = false;
	size_t n = 0;
	int opt;

	while ((opt = getopt_long(argc, argv, ":f:qh", opts, NULL)) != -1) {
		if (opt == 'f' && !strcmp(optarg, "json"))
			json = true;
		else if (opt == 'f' && strcmp(optarg, "table"))
			return cli_failf("list: --format: unknown format \"%s\" (table or json)", optarg);
		else if (opt == 'q')
			quiet = true;
		else if (opt != 'f')
			return cli_getopt_result(c, opt);
	}
	int r = cli_want_args(c, argc, argv, 0);
	if (r)
		return r;
	if (lc_container_list(&c->g, &e, &n, &err) < 0)
		return cli_fail(&err);
	if (quiet)
		for (size_t i = 0; i < n; i++)
			puts(e[i].id);
	else if (json)
		print_json(e, n);
	else
		print_table(e, n);
	lc_list_free(e, n);
	return 0;
}
