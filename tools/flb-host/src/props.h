/*
 * props.h - the key=value properties of one output instance (-p), looked
 * up the way Fluent Bit's output_get_property does: case-insensitive
 * keys, the first setting of a key wins, an empty value reads as NULL,
 * and the keys Fluent Bit consumes itself are never handed to the plugin.
 */
#ifndef FLB_HOST_PROPS_H
#define FLB_HOST_PROPS_H

#include <stddef.h>

struct prop {
    char *key;
    char *value;   /* ${VAR} already expanded; NULL if empty */
};

struct props {
    struct prop *items;
    size_t count;
    size_t cap;
};

/* add "key=value" text; returns 0, or -1 (message in *err) */
int props_add_text(struct props *p, const char *text, const char **err);
/* the first value set for key (case-insensitive), NULL if unset/empty;
 * sees withheld keys too (for the host's own use) */
const char *props_get_raw(const struct props *p, const char *key);
/* the last value set for key: for the keys the host consumes itself
 * (workers, log_level), which Fluent Bit overwrites on every setting */
const char *props_get_last(const struct props *p, const char *key);
/* what the plugin may see: NULL for withheld keys */
const char *props_get_for_plugin(const struct props *p, const char *key);
/* 1 if Fluent Bit keeps this key for itself */
int props_key_withheld(const char *key);
/*
 * 1 if Fluent Bit 5.1.1's flb_output_set_property diverts KEY (with a value,
 * has_value != 0, or an empty one) to its own settings, so that it never
 * reaches the instance's property list that a config map checks. Some keys
 * go there whatever the value (match, host, port, retry_limit and the
 * tls.* paths); the rest only with a non-empty value, as Fluent Bit's
 * "&& tmp" branches do (workers, log_level, alias, net.*, oauth2*, tls,
 * tls.verify, ...). Other tls.* keys are not diverted at all.
 */
int props_key_diverted(const char *key, int has_value);
/* 1 if key was given at all (even with an empty value) */
int props_has(const struct props *p, const char *key);
/* ${VAR} expanded from the environment (unset: empty); malloc'd, NULL if
 * out of memory */
char *props_expand_env(const char *v);
void props_free(struct props *p);

#endif
