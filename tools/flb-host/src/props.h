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
    char *value;   /* NULL if empty */
};

struct props {
    struct prop *items;
    size_t count;
    size_t cap;
};

/* add "key=value" text; returns 0, or -1 (message in *err) */
int props_add_text(struct props *p, const char *text, const char **err);
/* the last value set for key: for the keys the host consumes itself
 * (workers), which Fluent Bit overwrites on every setting */
const char *props_get_last(const struct props *p, const char *key);
/* the first value set for key (case-insensitive), NULL if unset, empty
 * or withheld: what the plugin sees */
const char *props_get_for_plugin(const struct props *p, const char *key);
/* 1 if Fluent Bit keeps this key for itself */
int props_key_withheld(const char *key);
void props_free(struct props *p);

#endif
