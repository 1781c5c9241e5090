/* The operator's runtime config file, /etc/strait/strait.conf (or --config /
 * STRAIT_CONFIG): one "key = value" per line, '#' comments. Every key also has a global
 * flag, which wins over the file. Container annotations never weaken these settings. */
#ifndef STRAIT_RUNTIME_CONFIG_H
#define STRAIT_RUNTIME_CONFIG_H

#include <stdbool.h>
#include "strait.h"

#define STRAIT_CONFIG_DEFAULT "/etc/strait/strait.conf"

/* Parses the file at path into c (keys not in the file keep their values). A missing
 * file is fine when !required (the default path); errors name file:line, key, value. */
int config_load(const char *path, bool required, struct lc_config *c, struct lc_err *err);
/* Applies one "key=value" setting (used for both the file and the global flags). */
int config_set(struct lc_config *c, const char *key, const char *value, const char *where,
	       struct lc_err *err);

#endif
