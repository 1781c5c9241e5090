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

static void
print_table(const struct lc_list_entry *e, size_t n)
{
	int w = 2;
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(e[i].id) > w)
			w = (int)strlen(e[i].id);
	printf("%-*s   %-8s %-10s %-40s %-31s %s\n", w, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
	for (size_t i = 0; i < n; i++)
		printf("%-*s   %-8d %-10s %-40s %-31s %s\n", w, e[i].id, e[i].pid, e[i].status, e[i].bundle,
		       e[i].created ? e[i].created : "", e[i].owner);
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
