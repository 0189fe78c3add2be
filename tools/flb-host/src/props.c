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

/* flb_output_set_property (src/flb_output.c, 5.1.1, built with TLS and
 * regex as the release is): keys diverted whatever their value ... */
static const char *const diverted_always[] = {
    "match", "host", "port", "retry_limit",
    "tls.vhost", "tls.ca_path", "tls.ca_file", "tls.crt_file", "tls.key_file",
    "tls.key_passwd", "tls.min_version", "tls.max_version", "tls.ciphers",
    "tls.proxy.ca_path", "tls.proxy.ca_file", NULL
};
/* ... and keys diverted only with a non-empty value */
static const char *const diverted_with_value[] = {
    "match_regex", "alias", "log_level", "log_suppress_interval", "ipv6",
    "tls", "tls.verify", "tls.verify_hostname", "tls.debug",
    "tls.proxy.verify", "tls.proxy.verify_hostname",
    "storage.total_limit_size", "workers", NULL
};

int props_key_diverted(const char *key, int has_value)
{
    size_t i;

    for (i = 0; diverted_always[i] != NULL; i++) {
        if (strcasecmp(key, diverted_always[i]) == 0) {
            return 1;
        }
    }
    if (!has_value) {
        return 0;
    }
    for (i = 0; diverted_with_value[i] != NULL; i++) {
        if (strcasecmp(key, diverted_with_value[i]) == 0) {
            return 1;
        }
    }
    return strncasecmp(key, "net.", 4) == 0 || strncasecmp(key, "oauth2", 6) == 0;
}

/* expand ${NAME} from the environment (unset -> empty), like Fluent Bit
 * does for configuration values */
char *props_expand_env(const char *v)
{
    size_t cap = strlen(v) + 1;
    size_t len = 0;
    char *out = malloc(cap);

    if (out == NULL) {
        return NULL;
    }
    while (*v != '\0') {
        const char *end;
        const char *val = NULL;
        size_t add;

        if (v[0] == '$' && v[1] == '{' && (end = strchr(v + 2, '}')) != NULL) {
            size_t nlen = (size_t) (end - (v + 2));
            char *name = malloc(nlen + 1);

            if (name == NULL) {
                free(out);
                return NULL;
            }
            memcpy(name, v + 2, nlen);
            name[nlen] = '\0';
            val = getenv(name);
            free(name);
            v = end + 1;
            if (val == NULL) {
                continue;
            }
            add = strlen(val);
        }
        else {
            val = v;
            add = 1;
            v++;
        }
        if (len + add + 1 > cap) {
            char *grown;
            cap = (len + add + 1) * 2;
            grown = realloc(out, cap);
            if (grown == NULL) {
                free(out);
                return NULL;
            }
            out = grown;
        }
        memcpy(out + len, val, add);
        len += add;
    }
    out[len] = '\0';
    return out;
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
    item->value = props_expand_env(eq + 1);
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

static const struct prop *find(const struct props *p, const char *key)
{
    size_t i;

    for (i = 0; i < p->count; i++) {
        if (strcasecmp(p->items[i].key, key) == 0) {
            return &p->items[i];
        }
    }
    return NULL;
}

const char *props_get_raw(const struct props *p, const char *key)
{
    const struct prop *item = find(p, key);
    return item ? item->value : NULL;
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

int props_has(const struct props *p, const char *key)
{
    return find(p, key) != NULL;
}

const char *props_get_for_plugin(const struct props *p, const char *key)
{
    if (key == NULL || props_key_withheld(key)) {
        return NULL;
    }
    return props_get_raw(p, key);
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
