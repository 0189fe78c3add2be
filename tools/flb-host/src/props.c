/*
 * props.c - per-instance properties and the list of withheld keys.
 */
#include "props.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* keys consumed by Fluent Bit's output core, never visible to a plugin */
static const char *const withheld_keys[] = {
    "match", "match_regex", "alias", "log_level", "log_suppress_interval",
    "host", "port", "ipv6", "retry_limit", "workers",
    "storage.total_limit_size", "tls", NULL
};

int props_key_withheld(const char *key)
{
    size_t i;

    for (i = 0; withheld_keys[i] != NULL; i++) {
        if (strcasecmp(key, withheld_keys[i]) == 0) {
            return 1;
        }
    }
    /* every tls.* key and the networking net.* keys */
    if (strncasecmp(key, "tls.", 4) == 0 || strncasecmp(key, "net.", 4) == 0) {
        return 1;
    }
    return 0;
}

int props_add_text(struct props *p, const char *text, const char **err)
{
    const char *eq = strchr(text, '=');
    size_t klen;
    struct prop *item;

    if (eq == NULL) {
        *err = "expected key=value";
        return -1;
    }
    klen = (size_t) (eq - text);
    while (klen > 0 && (text[klen - 1] == ' ' || text[klen - 1] == '\t')) {
        klen--;
    }
    while (klen > 0 && (*text == ' ' || *text == '\t')) {
        text++;
        klen--;
    }
    if (klen == 0) {
        *err = "empty key";
        return -1;
    }
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        struct prop *grown = realloc(p->items, cap * sizeof(*grown));
        if (grown == NULL) {
            *err = "out of memory";
            return -1;
        }
        p->items = grown;
        p->cap = cap;
    }
    item = &p->items[p->count];
    item->key = strndup(text, klen);
    /* ${VAR} is left as it is: real Fluent Bit expands it (RealFluentBit/EndpointTests) */
    item->value = strdup(eq + 1);
    if (item->key == NULL || item->value == NULL) {
        free(item->key);
        free(item->value);
        *err = "out of memory";
        return -1;
    }
    if (item->value[0] == '\0') {
        free(item->value);
        item->value = NULL;
    }
    p->count++;
    return 0;
}

const char *props_get_last(const struct props *p, const char *key)
{
    size_t i = p->count;

    while (i-- > 0) {
        if (strcasecmp(p->items[i].key, key) == 0) {
            return p->items[i].value;
        }
    }
    return NULL;
}

/* the first setting of a key wins, as in Fluent Bit */
const char *props_get_for_plugin(const struct props *p, const char *key)
{
    size_t i;

    for (i = 0; key != NULL && !props_key_withheld(key) && i < p->count; i++) {
        if (strcasecmp(p->items[i].key, key) == 0) {
            return p->items[i].value;
        }
    }
    return NULL;
}

void props_free(struct props *p)
{
    size_t i;

    for (i = 0; i < p->count; i++) {
        free(p->items[i].key);
        free(p->items[i].value);
    }
    free(p->items);
    memset(p, 0, sizeof(*p));
}
