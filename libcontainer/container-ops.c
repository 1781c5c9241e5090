/* Operations on a running container through its cgroup: pause/resume, ps, update and
 * the stats behind `events`. Each loads the cgroup manager from the state file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cgroup/cgroup.h"
#include "container.h"
#include "error.h"
#include "json.h"
#include "spec.h"

/* Reads the state of id and loads its cgroup; fails unless status is one of allowed
 * (a bitmask of 1 << ST_*). */
static int
open_container(const struct lc_global *g, const char *id, unsigned allowed, struct lc_state **ret_st,
	       struct cgroup_mgr **ret_cg, struct lc_err *err)
{
	struct lc_state *st = NULL;
	int r = container_load(g, id, &st, err);
	if (r < 0)
		return r;
	enum ct_status status = container_status(g->root, st);
	if (!(allowed & (1u << status))) {
		r = lc_err_setx(err, EINVAL, "container \"%s\" is %s", id, state_status_name(status));
		state_free(st);
		return r;
	}
	if (!st->cgroup) {
		state_free(st);
		return lc_err_setx(err, ENOENT, "container \"%s\" has no cgroup", id);
	}
	r = cgroup_load(CGROUP_ROOT, st->cgroup, ret_cg, err);
	if (r < 0) {
		state_free(st);
		return r;
	}
	*ret_st = st;
	return 0;
}

int
lc_container_pause(const struct lc_global *g, const char *id, bool pause, struct lc_err *err)
{
	_cleanup_state_ struct lc_state *st = NULL;
	struct cgroup_mgr *cg = NULL;
	unsigned allowed = pause ? 1u << ST_RUNNING : 1u << ST_PAUSED;
	int r = open_container(g, id, allowed, &st, &cg, err);
	if (r < 0)
		return r;
	r = cgroup_freeze(cg, pause, err);
	cgroup_free(cg);
	return r;
}

int
lc_container_pids(const struct lc_global *g, const char *id, pid_t **ret, size_t *ret_n,
		  struct lc_err *err)
{
	_cleanup_state_ struct lc_state *st = NULL;
	struct cgroup_mgr *cg = NULL;
	unsigned allowed = 1u << ST_CREATED | 1u << ST_RUNNING | 1u << ST_PAUSED | 1u << ST_STOPPED;
	int r = open_container(g, id, allowed, &st, &cg, err);
	if (r < 0)
		return r;
	r = cgroup_pids(cg, ret, ret_n, err);
	cgroup_free(cg);
	return r;
}

int
lc_container_update(const struct lc_global *g, const char *id, const char *resources_json,
		    struct lc_err *err)
{
	_cleanup_state_ struct lc_state *st = NULL;
	_cleanup_spec_ struct lc_spec *s = NULL;
	_cleanup_free_ char *doc = NULL;
	struct cgroup_mgr *cg = NULL;
	unsigned allowed = 1u << ST_CREATED | 1u << ST_RUNNING | 1u << ST_PAUSED;
	int r = open_container(g, id, allowed, &st, &cg, err);
	if (r < 0)
		return r;
	/* The resources object goes through the one config parser, wrapped as the
	 * linux.resources of a minimal document, so that its rules and messages are the
	 * same as for config.json. */
	if (asprintf(&doc, "{\"ociVersion\":\"%s\",\"root\":{\"path\":\"/\"},\"linux\":{\"resources\":%s}}",
		     OCI_SPEC_VERSION, resources_json) < 0) {
		cgroup_free(cg);
		return lc_err_set(err, ENOMEM, "update");
	}
	r = spec_parse(doc, strlen(doc), "resources", st->bundle, &s, err);
	if (r >= 0)
		r = cgroup_apply(cg, &s->linux_.resources, err);
	cgroup_free(cg);
	return r;
}

int
lc_container_stats_json(const struct lc_global *g, const char *id, char **ret_json,
			struct lc_err *err)
{
	_cleanup_state_ struct lc_state *st = NULL;
	struct cgroup_mgr *cg = NULL;
	struct cgroup_stats cs = { 0 };
	unsigned allowed = 1u << ST_CREATED | 1u << ST_RUNNING | 1u << ST_PAUSED;
	int r = open_container(g, id, allowed, &st, &cg, err);
	if (r < 0)
		return r;
	r = cgroup_stats(cg, &cs, err);
	cgroup_free(cg);
	if (r < 0)
		return r;
	r = stats_event_json(id, &cs, ret_json);
	cgroup_stats_free(&cs);
	return r < 0 ? lc_err_set(err, r, "events") : 0;
}
