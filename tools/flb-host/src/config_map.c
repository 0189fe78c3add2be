/*
 * config_map.c - a plugin's config map: the checks at registration, and
 * Fluent Bit 5.1.1's property check of an instance (src/flb_config_map.c
 * flb_config_map_create / flb_config_map_properties_check, called from
 * flb_output_plugin_property_check in src/flb_output.c) with its messages.
 */
#include "config_map.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static int type_known(int type)
{
    return (type >= ABI_CONFIG_MAP_STR && type <= ABI_CONFIG_MAP_DEPRECATED) ||
           (type >= ABI_CONFIG_MAP_CLIST && type <= ABI_CONFIG_MAP_CLIST_4) ||
           (type >= ABI_CONFIG_MAP_SLIST && type <= ABI_CONFIG_MAP_SLIST_4) ||
           type == ABI_CONFIG_MAP_VARIANT;
}

long config_map_validate(const struct flb_config_map *map, char *err, size_t errlen)
{
    long n, i, j;

    for (n = 0; map[n].name != NULL; n++) {
        if (n == CONFIG_MAP_MAX_KEYS) {
            snprintf(err, errlen, "no terminating entry (name == NULL) after "
                     "%d keys", CONFIG_MAP_MAX_KEYS);
            return -1;
        }
    }
    for (i = 0; i < n; i++) {
        const struct flb_config_map *m = &map[i];

        if (m->name[0] == '\0') {
            snprintf(err, errlen, "entry %ld has an empty name", i);
            return -1;
        }
        if (!type_known(m->type)) {
            snprintf(err, errlen, "entry %ld ('%s') has unknown type %d", i,
                     m->name, m->type);
            return -1;
        }
        if ((m->flags & ~ABI_CONFIG_MAP_MULT) != 0) {
            snprintf(err, errlen, "entry %ld ('%s') has flags %d; a proxy plugin "
                     "may set only FLB_CONFIG_MAP_MULT (1)", i, m->name, m->flags);
            return -1;
        }
        if (m->set_property != 0) {
            snprintf(err, errlen, "entry %ld ('%s') has set_property %d; it must "
                     "be 0 (Fluent Bit has no context of a proxy plugin to "
                     "write to)", i, m->name, m->set_property);
            return -1;
        }
        for (j = 0; j < i; j++) {
            if (strcasecmp(map[j].name, m->name) == 0) {
                snprintf(err, errlen, "entry %ld ('%s') repeats the name of "
                         "entry %ld ('%s')", i, m->name, j, map[j].name);
                return -1;
            }
        }
    }
    return n;
}

/* ---- the instance check ---------------------------------------------------- */

struct text {
    char *s;
    size_t len;
    size_t cap;
};

static void text_add(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void text_add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if (t->cap - t->len < (size_t) n + 1) {
        t->cap = (t->len + (size_t) n + 1) * 2;
        t->s = xrealloc(t->s, t->cap);
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, (size_t) n + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t) n;
}

/* flb_config_map_create: the defaults it reads into each instance's copy
 * (translate_default_value); -1 where it fails */
static int check_defaults(const char *plugin_name, const struct flb_config_map *map,
                          struct text *log)
{
    const struct flb_config_map *m;

    for (m = map; m->name != NULL; m++) {
        char *val;
        int ok = 1;

        if (m->def_value == NULL) {
            continue;
        }
        val = props_expand_env(m->def_value);   /* flb_env_var_translate */
        if (val == NULL) {
            return -1;
        }
        if (m->type == ABI_CONFIG_MAP_STR_PREFIX) {
            text_add(log, "[error] [config map] invalid default value for "
                     "prefixed string '%s'\n", m->name);
            ok = 0;
        }
        else if (m->type == ABI_CONFIG_MAP_BOOL &&
                 strcasecmp(val, "true") != 0 && strcasecmp(val, "on") != 0 &&
                 strcasecmp(val, "yes") != 0 && strcasecmp(val, "false") != 0 &&
                 strcasecmp(val, "off") != 0 && strcasecmp(val, "no") != 0) {
            text_add(log, "[error] [config map] invalid default value for "
                     "boolean '%s=%s'\n", m->name, val);
            ok = 0;
        }
        free(val);
        if (!ok) {
            text_add(log, "[error] [output] error loading config map for '%s' "
                     "plugin\n", plugin_name);
            return -1;
        }
    }
    return 0;
}

/* helper_map_options: "The following properties are allowed: a, b, and c." */
static void add_allowed(struct text *log, const struct flb_config_map *map)
{
    size_t n = 0, i;

    while (map[n].name != NULL) {
        n++;
    }
    text_add(log, "The following properties are allowed: ");
    for (i = 0; i < n; i++) {
        if (i + 1 < n) {
            text_add(log, "%s, ", map[i].name);
        }
        else if (n == 1) {
            text_add(log, "%s.", map[i].name);
        }
        else {
            text_add(log, "and %s.", map[i].name);
        }
    }
}

int config_map_check(const char *plugin_name, const struct flb_config_map *map,
                     const struct props *props, char **log_out)
{
    struct text log = { NULL, 0, 0 };
    char **keys;          /* the keys of ins->properties, lowercased */
    size_t count = 0, i, j;
    int ret = 0;

    *log_out = NULL;
    if (check_defaults(plugin_name, map, &log) != 0) {
        *log_out = log.s;
        return -1;
    }

    /* the keys Fluent Bit leaves in ins->properties, in the order given;
     * fluent-bit's command line (a "classic" config format) lowercases them */
    keys = xcalloc(props->count + 1, sizeof(*keys));
    for (i = 0; i < props->count; i++) {
        const struct prop *p = &props->items[i];

        if (props_key_diverted(p->key, p->value != NULL)) {
            continue;
        }
        keys[count] = xstrdup(p->key);
        for (j = 0; keys[count][j] != '\0'; j++) {
            keys[count][j] = (char) tolower((unsigned char) keys[count][j]);
        }
        count++;
    }

    for (i = 0; i < count && ret == 0; i++) {
        const char *key = keys[i];
        size_t klen = strlen(key);
        const struct flb_config_map *m = NULL, *it;
        int found = 0, times = 0;

        /* _debug.http.* is skipped only by builds with
         * FLB_HTTP_CLIENT_DEBUG, which releases do not enable */
        if (strcasecmp(key, "active") == 0 || strcasecmp(key, "condition") == 0) {
            continue;
        }
        for (it = map; it->name != NULL; it++) {
            size_t len = strlen(it->name);

            if (it->type != ABI_CONFIG_MAP_STR_PREFIX && len != klen) {
                continue;
            }
            if (strncasecmp(key, it->name, len) == 0) {
                m = it;
                if (it->type == ABI_CONFIG_MAP_STR_PREFIX && klen <= len) {
                    text_add(&log, "[error] [config] incomplete prefixed key "
                             "'%s'\n", key);
                    break;
                }
                if (it->type == ABI_CONFIG_MAP_DEPRECATED) {
                    text_add(&log, "[warn] [config] %s: '%s' is deprecated\n",
                             plugin_name, key);
                }
                found = 1;
                break;
            }
        }
        if (!found) {
            text_add(&log, "[error] [config] %s: unknown configuration property "
                     "'%s'. ", plugin_name, key);
            add_allowed(&log, map);
            text_add(&log, "\n");
            ret = -1;
            break;
        }
        /* property_count: same length, case-sensitive */
        for (j = 0; j < count; j++) {
            if (strcmp(keys[j], key) == 0) {
                times++;
            }
        }
        if ((m->flags & ABI_CONFIG_MAP_MULT) == 0 && times > 1) {
            text_add(&log, "[error] [config] %s: configuration property '%s' is "
                     "set %i times\n", plugin_name, key, times);
            ret = -1;
        }
    }
    if (ret != 0) {
        /* flb_helper("try the command: %s -o %s -h\n", program_name, name) */
        text_add(&log, "[help] try the command: fluent-bit -o %s -h\n", plugin_name);
    }

    for (i = 0; i < count; i++) {
        free(keys[i]);
    }
    free(keys);
    *log_out = log.s;
    return ret;
}
