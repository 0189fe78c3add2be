/*
 * testplugin.c - a plain C Fluent Bit output plugin for flb-host's own
 * checks (tests/check.sh).  It records every callback it receives, one
 * line each, in the file named by $TP_OUT, so the checks can see what the
 * host did and on which thread/stack.
 *
 * Built twice (see Makefile):
 *   testplugin.so         name "testout", exports FLBPluginFlushCtx and
 *                         FLBPluginExitCtx (and every optional callback)
 *   testplugin-legacy.so  -DTP_LEGACY: name "testout_legacy", exports only
 *                         FLBPluginRegister/Init/Flush/Exit
 *
 * Environment (read at load/register time):
 *   TP_OUT          file the event lines are appended to
 *   TP_DUMP         file that gets one JSON line per flush (the decoded events)
 *   TP_BODIES       file that gets one line per event: its body's bytes in hex
 *   TP_RAW_DIR      directory that gets each flush's bytes as NNNN.msgpack
 *   TP_PREREG_RET   value FLBPluginPreRegister returns (default 0)
 *   TP_REG_RET      value FLBPluginRegister returns (default 0)
 *   TP_REG_TYPE     def->type to register (default 2)
 *   TP_REG_PROXY    def->proxy to register (default 11)
 *   TP_REG_NAME     def->name to register ("(null)" registers NULL)
 *   TESTPLUGIN_CONFIG_MAP        (testplugin.so only) register def->config_map,
 *                   a heap array made at each FLBPluginRegister and freed by
 *                   FLBPluginUnregister of that def. "1": id (str), init_ret
 *                   (int, default 1), get (str), label (str, MULT), header.
 *                   (prefixed str), verbose (bool, default off), old_key
 *                   (deprecated). Broken maps: "bad_type" (a type 99 key),
 *                   "no_terminator" (1025 named entries, none NULL),
 *                   "set_property", "dup_name" (ID after id), "empty_name",
 *                   "dynamic_env" (flags 2), "bool_default" (verbose=maybe),
 *                   "prefix_default" (header. with a default). Also "empty"
 *                   (no keys) and "one" (just id)
 *   TESTPLUGIN_CONFIG_MAP_RELOAD  the map registered by every FLBPluginRegister
 *                   after the first (a hot reload); unset: the same
 *   TESTPLUGIN_CONFIG_MAP_FREE_IN_INIT  if set, FLBPluginInit frees the map
 *                   (too early: Fluent Bit reads it for every instance)
 *   TESTPLUGIN_WRITE_CONFIG_MAP  if set, FLBPluginRegister writes
 *                   def->config_map even without a map (NULL), as a plugin
 *                   built for Fluent Bit 5.1.1 may. Without this or
 *                   TESTPLUGIN_CONFIG_MAP the plugin never touches offset 40
 *                   of the def (config_map), like one built for Fluent Bit 5.0
 *   TP_VERSION_CHILD  if set, FLBPluginRegister finds the exported
 *                   flb_plugin_proxy_register and prints "version LINE", the
 *                   first line the executable's --version printed
 *   TESTPLUGIN_WRITE_EVENT_TYPE  if set, FLBPluginRegister writes
 *                   def->event_type (0, logs), as a plugin built for Fluent
 *                   Bit 4.2 may. Without it the plugin never touches offset
 *                   32 (event_type), which a def up to Fluent Bit 4.1 lacks
 *
 * Properties (per instance, read in FLBPluginInit):
 *   id              label used in the lines (default: instance number)
 *   init_ret        value Init returns (default 1)
 *   flush_ret       value each flush returns (default 1 = FLB_OK)
 *   exit_ret        value ExitCtx/Exit returns (default 0)
 *   flush_sleep_ms  sleep inside each flush
 *   flush_until_inflight      a flush waits (at most 30 s) until this instance
 *                             has had N flushes in flight at once, so tests of
 *                             concurrency do not depend on sleeps overlapping
 *   flush_until_all_inflight  the same, counted across every instance
 *   stack_probe     bytes of stack to touch inside each flush
 *   get             comma-separated keys to look up in Init ("prop K=V" lines)
 *   log             if set, Init logs at every level that output_log_check
 *                   enables and writes a "logcheck" line
 *   check_api       if set, Init calls the API table's unused entries with
 *                   NULL instances (safe in flb-host, not in Fluent Bit)
 *   null            if set, each flush returns flush_ret at once, reading
 *                   and recording nothing: the null output flb-host --bench
 *                   runs as a baseline
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <msgpack.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../src/abi.h"

#ifdef TP_LEGACY
#define TP_DEFAULT_NAME "testout_legacy"
#else
#define TP_DEFAULT_NAME "testout"
#endif

#define EXPORT __attribute__((visibility("default")))

struct tp_instance {
    char id[64];
    struct flbgo_output_plugin *plugin;
    int flush_ret;
    int exit_ret;
    long sleep_ms;
    long until_inflight;
    long until_all_inflight;
    long stack_probe;
    int null_output;
    atomic_long flushes;
    atomic_int inflight;
    atomic_int max_inflight;
};

static const char *tp_name = TP_DEFAULT_NAME;
static atomic_int instance_seq;
static atomic_int raw_seq;
static atomic_int all_inflight;       /* across every instance */
static atomic_int all_max_inflight;
#ifdef TP_LEGACY
static struct tp_instance *legacy_instance;
#endif

/* ---- output helpers ---------------------------------------------------- */

static long tid(void)
{
    return (long) syscall(SYS_gettid);
}

static int on_main_thread(void)
{
    return tid() == (long) getpid();
}

static void append_file(const char *path, const char *buf, size_t len)
{
    int fd;
    ssize_t n;

    if (path == NULL || path[0] == '\0') {
        return;
    }
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return;
    }
    n = write(fd, buf, len);
    (void) n;
    close(fd);
}

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
    char line[2048];
    int n, m;
    va_list ap;

    n = snprintf(line, sizeof(line), "%s ", tp_name);
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - (size_t) n - 1, fmt, ap);
    va_end(ap);
    if (m < 0) {
        return;
    }
    n += m;
    if ((size_t) n > sizeof(line) - 2) {
        n = (int) sizeof(line) - 2;
    }
    line[n++] = '\n';
    append_file(getenv("TP_OUT"), line, (size_t) n);
}

static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    return (v != NULL && v[0] != '\0') ? atoi(v) : dflt;
}

/* ---- a growable string for dumps ---------------------------------------- */

struct sb {
    char *s;
    size_t len;
    size_t cap;
};

static void sb_put(struct sb *b, const char *s, size_t n)
{
    if (b->cap - b->len < n + 1) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n + 1) {
            cap *= 2;
        }
        b->s = realloc(b->s, cap);
        if (b->s == NULL) {
            abort();
        }
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_fmt(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_fmt(struct sb *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0) {
        sb_put(b, tmp, (size_t) n < sizeof(tmp) ? (size_t) n : sizeof(tmp) - 1);
    }
}

static void sb_json_string(struct sb *b, const unsigned char *s, size_t n)
{
    size_t i;

    sb_put(b, "\"", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = s[i];
        switch (c) {
        case '"':  sb_put(b, "\\\"", 2); break;
        case '\\': sb_put(b, "\\\\", 2); break;
        case '\n': sb_put(b, "\\n", 2); break;
        case '\r': sb_put(b, "\\r", 2); break;
        case '\t': sb_put(b, "\\t", 2); break;
        case '\b': sb_put(b, "\\b", 2); break;
        case '\f': sb_put(b, "\\f", 2); break;
        default:
            if (c < 0x20) {
                sb_fmt(b, "\\u%04x", c);
            }
            else {
                sb_put(b, (const char *) &c, 1);
            }
        }
    }
    sb_put(b, "\"", 1);
}

/* shortest text that reads back as the same double; always with '.' or 'e' */
static void sb_double(struct sb *b, double v)
{
    char tmp[64];
    int prec;

    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (strtod(tmp, NULL) == v) {
            break;
        }
    }
    if (strpbrk(tmp, ".eEn") == NULL) {
        strcat(tmp, ".0");
    }
    sb_put(b, tmp, strlen(tmp));
}

/* ---- the chunk, read with msgpack-c as Fluent Bit reads it -------------- */

static void dump_object(struct sb *b, const msgpack_object *o);

/* the dump is JSON: a key that is not a string becomes its JSON text */
static void dump_key(struct sb *b, const msgpack_object *k)
{
    struct sb text = { NULL, 0, 0 };

    if (k->type == MSGPACK_OBJECT_STR) {
        dump_object(b, k);
        return;
    }
    dump_object(&text, k);
    sb_json_string(b, (const unsigned char *) (text.s ? text.s : ""), text.len);
    free(text.s);
}

static void dump_ext(struct sb *b, const msgpack_object_ext *ext)
{
    uint32_t be[2];

    if (ext->type == 0 && ext->size == sizeof(be)) {
        memcpy(be, ext->ptr, sizeof(be));
        sb_fmt(b, "{\"$eventtime\":[%u,%u]}", ntohl(be[0]), ntohl(be[1]));
        return;
    }
    sb_fmt(b, "{\"$ext\":[%d,%u]}", ext->type, ext->size);
}

static void dump_object(struct sb *b, const msgpack_object *o)
{
    uint32_t i;

    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        sb_put(b, "null", 4);
        break;
    case MSGPACK_OBJECT_BOOLEAN:
        sb_fmt(b, "%s", o->via.boolean ? "true" : "false");
        break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        sb_fmt(b, "%" PRIu64, o->via.u64);
        break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        sb_fmt(b, "%" PRId64, o->via.i64);
        break;
    case MSGPACK_OBJECT_FLOAT32:
        sb_put(b, "{\"$f32\":", 8);
        sb_double(b, o->via.f64);
        sb_put(b, "}", 1);
        break;
    case MSGPACK_OBJECT_FLOAT64:
        sb_double(b, o->via.f64);
        break;
    case MSGPACK_OBJECT_STR:
        sb_json_string(b, (const unsigned char *) o->via.str.ptr, o->via.str.size);
        break;
    case MSGPACK_OBJECT_BIN:
        sb_fmt(b, "{\"$bin\":%u}", o->via.bin.size);
        break;
    case MSGPACK_OBJECT_EXT:
        dump_ext(b, &o->via.ext);
        break;
    case MSGPACK_OBJECT_ARRAY:
        sb_put(b, "[", 1);
        for (i = 0; i < o->via.array.size; i++) {
            if (i) {
                sb_put(b, ",", 1);
            }
            dump_object(b, &o->via.array.ptr[i]);
        }
        sb_put(b, "]", 1);
        break;
    case MSGPACK_OBJECT_MAP:
        sb_put(b, "{", 1);
        for (i = 0; i < o->via.map.size; i++) {
            if (i) {
                sb_put(b, ",", 1);
            }
            dump_key(b, &o->via.map.ptr[i].key);
            sb_put(b, ":", 1);
            dump_object(b, &o->via.map.ptr[i].val);
        }
        sb_put(b, "}", 1);
        break;
    }
}

/* the bytes of an event's body, [header, body], as one line of hex */
static void body_hex(struct sb *b, const char *data, size_t start, size_t end)
{
    msgpack_unpacked header;
    size_t off = start + 1;   /* past the fixarray 2 */
    int ok;

    msgpack_unpacked_init(&header);
    ok = (unsigned char) data[start] == 0x92 &&
         msgpack_unpack_next(&header, data, end, &off) == MSGPACK_UNPACK_SUCCESS;
    msgpack_unpacked_destroy(&header);
    if (!ok) {
        sb_put(b, "not-an-event\n", 13);
        return;
    }
    for (; off < end; off++) {
        sb_fmt(b, "%02x", (unsigned char) data[off]);
    }
    sb_put(b, "\n", 1);
}

/* the number of events of a chunk, its JSON dump and its bodies if asked */
static long decode_chunk(const char *data, size_t size, struct sb *dump,
                         struct sb *bodies)
{
    msgpack_unpacked event;
    size_t off = 0;
    long events = 0;
    int bad = 0;

    msgpack_unpacked_init(&event);
    if (dump != NULL) {
        sb_put(dump, "[", 1);
    }
    while (off < size) {
        size_t start = off;

        if (msgpack_unpack_next(&event, data, size, &off) != MSGPACK_UNPACK_SUCCESS) {
            bad = 1;
            break;
        }
        if (dump != NULL) {
            if (events) {
                sb_put(dump, ",", 1);
            }
            dump_object(dump, &event.data);
        }
        if (bodies != NULL) {
            body_hex(bodies, data, start, off);
        }
        events++;
    }
    if (dump != NULL) {
        sb_put(dump, "]", 1);
    }
    msgpack_unpacked_destroy(&event);
    return bad ? -1 : events;
}

/* ---- stack inspection ----------------------------------------------------- */

static int __attribute__((noinline)) touch_stack(long left)
{
    volatile char buf[512];

    buf[0] = (char) left;
    buf[sizeof(buf) - 1] = 1;
    if (left <= (long) sizeof(buf)) {
        return buf[0];
    }
    return touch_stack(left - (long) sizeof(buf)) + buf[sizeof(buf) - 1];
}

/* is addr on this thread's own stack, and how far outside it is */
static int on_thread_stack(const void *addr, long *distance)
{
    pthread_attr_t attr;
    void *base = NULL;
    size_t size = 0;
    uintptr_t a = (uintptr_t) addr, lo, hi;

    *distance = -1;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) {
        return -1;
    }
    pthread_attr_getstack(&attr, &base, &size);
    pthread_attr_destroy(&attr);
    lo = (uintptr_t) base;
    hi = lo + size;
    if (a >= lo && a < hi) {
        *distance = 0;
        return 1;
    }
    *distance = (long) (a < lo ? lo - a : a - hi);
    return 0;
}

/* ---- config maps (TESTPLUGIN_CONFIG_MAP) ----------------------------------- */

#ifndef TP_LEGACY
struct tp_key {
    int type;
    const char *name;
    const char *def_value;
    int flags;
    const char *desc;
};

static const struct tp_key tp_good_keys[] = {
    { ABI_CONFIG_MAP_STR,        "id",       NULL,  0, "label of the instance's lines" },
    { ABI_CONFIG_MAP_INT,        "init_ret", "1",   0, "value FLBPluginInit returns" },
    { ABI_CONFIG_MAP_STR,        "get",      NULL,  0, "keys to look up in Init" },
    { ABI_CONFIG_MAP_STR,        "label",    NULL,  ABI_CONFIG_MAP_MULT, "may repeat" },
    { ABI_CONFIG_MAP_STR_PREFIX, "header.",  NULL,  0, "a family of keys" },
    { ABI_CONFIG_MAP_BOOL,       "verbose",  "off", 0, "a boolean" },
    { ABI_CONFIG_MAP_DEPRECATED, "old_key",  NULL,  0, "no longer used" },
};
#define TP_GOOD_KEYS (sizeof(tp_good_keys) / sizeof(tp_good_keys[0]))
#define TP_NO_TERMINATOR_KEYS 1025

static int tp_registrations;
static struct flb_config_map *tp_last_map;    /* of the latest Register */
static struct flb_config_map *tp_freed_map;   /* freed by Init (too early) */

static void tp_set_key(struct flb_config_map *m, const struct tp_key *k)
{
    m->type = k->type;
    m->name = (char *) k->name;
    m->def_value = (char *) k->def_value;
    m->flags = k->flags;
    m->desc = (char *) k->desc;
}

/* the map of a variant, zero-terminated (but for "no_terminator"); NULL
 * for an unknown variant */
static struct flb_config_map *tp_make_map(const char *variant)
{
    static char names[TP_NO_TERMINATOR_KEYS][16];
    struct flb_config_map *map;
    size_t n = TP_GOOD_KEYS, i;
    struct tp_key extra = { ABI_CONFIG_MAP_STR, NULL, NULL, 0, NULL };

    if (strcmp(variant, "no_terminator") == 0) {
        map = calloc(TP_NO_TERMINATOR_KEYS, sizeof(*map));
        for (i = 0; map != NULL && i < TP_NO_TERMINATOR_KEYS; i++) {
            snprintf(names[i], sizeof(names[i]), "k%zu", i);
            map[i].name = names[i];
        }
        return map;
    }
    if (strcmp(variant, "empty") == 0) {
        return calloc(1, sizeof(*map));
    }
    if (strcmp(variant, "one") == 0) {
        map = calloc(2, sizeof(*map));
        if (map != NULL) {
            tp_set_key(&map[0], &tp_good_keys[0]);
        }
        return map;
    }
    if (strcmp(variant, "bad_type") == 0) {
        extra.type = 99;
        extra.name = "bad";
    }
    else if (strcmp(variant, "set_property") == 0) {
        extra.name = "writes";
    }
    else if (strcmp(variant, "dup_name") == 0) {
        extra.name = "ID";
    }
    else if (strcmp(variant, "empty_name") == 0) {
        extra.name = "";
    }
    else if (strcmp(variant, "dynamic_env") == 0) {
        extra.name = "templated";
        extra.flags = ABI_CONFIG_MAP_DYNAMIC_ENV;
    }
    else if (strcmp(variant, "1") != 0 && strcmp(variant, "bool_default") != 0 &&
             strcmp(variant, "prefix_default") != 0) {
        return NULL;
    }
    map = calloc(n + 2, sizeof(*map));
    if (map == NULL) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        tp_set_key(&map[i], &tp_good_keys[i]);
        if (strcmp(variant, "bool_default") == 0 && strcmp(map[i].name, "verbose") == 0) {
            map[i].def_value = (char *) "maybe";
        }
        if (strcmp(variant, "prefix_default") == 0 && strcmp(map[i].name, "header.") == 0) {
            map[i].def_value = (char *) "x";
        }
    }
    if (extra.name != NULL) {
        tp_set_key(&map[n], &extra);
        if (strcmp(variant, "set_property") == 0) {
            map[n].set_property = 1;
        }
    }
    return map;
}
#endif

/* ---- the plugin ------------------------------------------------------------ */

#ifndef TP_LEGACY
EXPORT int FLBPluginPreRegister(int hot_reloading)
{
    int ret = env_int("TP_PREREG_RET", 0);

    out("preregister arg=%d main=%d", hot_reloading, on_main_thread());
    return ret;
}
#endif

/* what a plugin does to tell which Fluent Bit loaded it */
static void tp_print_version(void)
{
    char exe[4096], cmd[4200], line[256] = "";
    ssize_t n;
    FILE *f;

    if (dlsym(RTLD_DEFAULT, "flb_plugin_proxy_register") == NULL) {
        out("version none: no flb_plugin_proxy_register");
        return;
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0) {
        out("version none: no /proc/self/exe");
        return;
    }
    exe[n] = '\0';
    snprintf(cmd, sizeof(cmd), "'%s' --version", exe);
    f = popen(cmd, "r");
    if (f == NULL || fgets(line, sizeof(line), f) == NULL) {
        out("version none: no answer");
    }
    else {
        line[strcspn(line, "\n")] = '\0';
        out("version %s", line);
    }
    if (f != NULL) {
        pclose(f);
    }
}

EXPORT int FLBPluginRegister(struct flb_plugin_proxy_def *def)
{
    const char *name = getenv("TP_REG_NAME");
    static char name_buf[128];
    int writes_event_type = getenv("TESTPLUGIN_WRITE_EVENT_TYPE") != NULL;

    if (getenv("TP_VERSION_CHILD") != NULL) {
        tp_print_version();
    }

    if (name != NULL) {
        if (strcmp(name, "(null)") == 0) {
            tp_name = "(null)";
            def->name = NULL;
        }
        else {
            snprintf(name_buf, sizeof(name_buf), "%s", name);
            tp_name = name_buf;
            def->name = name_buf;
        }
    }
    else {
        def->name = (char *) TP_DEFAULT_NAME;
    }
#ifndef TP_LEGACY
    {
        /* a plugin built for Fluent Bit 5.1.1 may read and write config_map
         * (offset 40); one built for 5.0 never touches it */
        const char *variant = getenv("TESTPLUGIN_CONFIG_MAP");
        const char *reload = getenv("TESTPLUGIN_CONFIG_MAP_RELOAD");
        int uses_map = variant != NULL || getenv("TESTPLUGIN_WRITE_CONFIG_MAP") != NULL;

        if (tp_registrations++ > 0 && reload != NULL) {
            variant = reload;
        }
        out("register zeroed=%d main=%d", def->type == 0 && def->proxy == 0 &&
            def->flags == 0 && def->description == NULL &&
            (!writes_event_type || def->event_type == 0) &&
            (!uses_map || def->config_map == NULL), on_main_thread());
        if (variant != NULL) {
            def->config_map = tp_make_map(variant);
            tp_last_map = def->config_map;
            out("config_map variant=%s registered=%d", variant, def->config_map != NULL);
        }
        else if (uses_map) {
            def->config_map = NULL;
        }
    }
#else
    out("register zeroed=%d main=%d", def->type == 0 && def->proxy == 0 &&
        def->flags == 0 && def->description == NULL &&
        (!writes_event_type || def->event_type == 0), on_main_thread());
#endif
    def->type = env_int("TP_REG_TYPE", ABI_TYPE_OUTPUT);
    def->proxy = env_int("TP_REG_PROXY", ABI_PROXY_GOLANG);
    def->flags = 0;
    def->description = (char *) "flb-host test plugin";
    if (writes_event_type) {
        def->event_type = 0;
    }
    return env_int("TP_REG_RET", 0);
}

static const char *prop(struct flbgo_output_plugin *p, const char *key)
{
    return p->api->output_get_property(key, p->o_ins);
}

static long prop_long(struct flbgo_output_plugin *p, const char *key, long dflt)
{
    const char *v = prop(p, key);
    return v != NULL ? strtol(v, NULL, 10) : dflt;
}

EXPORT int FLBPluginInit(struct flbgo_output_plugin *plugin)
{
    struct tp_instance *ins = calloc(1, sizeof(*ins));
    const char *v;
    int init_ret;

    if (ins == NULL) {
        return 0;
    }
    ins->plugin = plugin;
    v = prop(plugin, "id");
    if (v != NULL) {
        snprintf(ins->id, sizeof(ins->id), "%s", v);
    }
    else {
        snprintf(ins->id, sizeof(ins->id), "%d", atomic_fetch_add(&instance_seq, 1));
    }
    ins->flush_ret = (int) prop_long(plugin, "flush_ret", ABI_FLB_OK);
    ins->exit_ret = (int) prop_long(plugin, "exit_ret", 0);
    ins->sleep_ms = prop_long(plugin, "flush_sleep_ms", 0);
    ins->until_inflight = prop_long(plugin, "flush_until_inflight", 0);
    ins->until_all_inflight = prop_long(plugin, "flush_until_all_inflight", 0);
    ins->stack_probe = prop_long(plugin, "stack_probe", 0);
    init_ret = (int) prop_long(plugin, "init_ret", 1);
    ins->null_output = prop(plugin, "null") != NULL;

    out("init id=%s name=%s main=%d ctx_null=%d remote_null=%d", ins->id,
        plugin->name ? plugin->name : "(null)", on_main_thread(),
        plugin->context == NULL,
        plugin->context ? plugin->context->remote_context == NULL : -1);
#ifndef TP_LEGACY
    /* a bug on purpose: the map must outlive every instance */
    if (getenv("TESTPLUGIN_CONFIG_MAP_FREE_IN_INIT") != NULL && tp_freed_map == NULL) {
        tp_freed_map = tp_last_map;
        free(tp_last_map);
    }
#endif

    v = prop(plugin, "get");
    if (v != NULL) {
        char *keys = strdup(v), *save = NULL, *k;
        for (k = strtok_r(keys, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
            const char *val = prop(plugin, k);
            out("prop id=%s %s=%s", ins->id, k, val ? val : "(null)");
        }
        free(keys);
    }

    if (prop(plugin, "log") != NULL) {
        int lvl;
        char checks[64];
        int n = 0;

        for (lvl = 1; lvl <= 5; lvl++) {
            int on = plugin->api->output_log_check(plugin->o_ins, lvl);
            n += snprintf(checks + n, sizeof(checks) - (size_t) n, "%s%d=%d",
                          lvl > 1 ? " " : "", lvl, on ? 1 : 0);
            if (on) {
                plugin->api->log_print(lvl, __FILE__, __LINE__,
                                       "[%s] level %d from instance %s",
                                       tp_name, lvl, ins->id);
            }
        }
        out("logcheck id=%s %s", ins->id, checks);
    }

    /* the host's unused table entries must be safe to call (property check_api):
     * real Fluent Bit's are not (input_get_property(key, NULL) crashes it) */
    if (prop(plugin, "check_api") != NULL &&
        (plugin->api->input_get_property("x", NULL) != NULL ||
        plugin->api->output_get_cmt_instance(plugin->o_ins) != NULL ||
        plugin->api->input_get_cmt_instance(NULL) != NULL ||
        plugin->api->input_log_check(NULL, 1) != 0 ||
        plugin->api->custom_get_property("x", NULL) != NULL ||
        plugin->api->custom_log_check(NULL, 1) != 0)) {
        out("api-unexpected id=%s", ins->id);
    }

    if (init_ret > 0) {
#ifdef TP_LEGACY
        legacy_instance = ins;
#else
        plugin->context->remote_context = ins;
#endif
    }
    else {
        free(ins);
    }
    return init_ret;
}

#ifndef TP_LEGACY
EXPORT int FLBPluginOutputPreRun(int enable_hot_reload)
{
    out("prerun arg=%d main=%d", enable_hot_reload, on_main_thread());
    return 0;
}
#endif

static int do_flush_recorded(struct tp_instance *ins, const void *data,
                             size_t size, const char *tag);

static int do_flush(struct tp_instance *ins, const void *data, size_t size,
                    const char *tag)
{
    if (ins->null_output) {
        return ins->flush_ret;
    }
    return do_flush_recorded(ins, data, size, tag);
}

static int do_flush_recorded(struct tp_instance *ins, const void *data,
                             size_t size, const char *tag)
{
    int local = 0;
    long dist;
    int on_stack = on_thread_stack(&local, &dist);
    int now = atomic_fetch_add(&ins->inflight, 1) + 1;
    int max = atomic_load(&ins->max_inflight);
    struct sb dump = { NULL, 0, 0 };
    struct sb bodies = { NULL, 0, 0 };
    const char *dump_path = getenv("TP_DUMP");
    const char *bodies_path = getenv("TP_BODIES");
    const char *raw_dir = getenv("TP_RAW_DIR");
    long events;

    int all_now = atomic_fetch_add(&all_inflight, 1) + 1;
    int all_max = atomic_load(&all_max_inflight);

    while (now > max && !atomic_compare_exchange_weak(&ins->max_inflight, &max, now)) {
    }
    while (all_now > all_max &&
           !atomic_compare_exchange_weak(&all_max_inflight, &all_max, all_now)) {
    }
    if (ins->stack_probe > 0) {
        touch_stack(ins->stack_probe);
    }
    events = decode_chunk(data, size, dump_path ? &dump : NULL,
                          bodies_path ? &bodies : NULL);
    if (dump_path != NULL) {
        sb_put(&dump, "\n", 1);
        append_file(dump_path, dump.s, dump.len);
    }
    if (bodies_path != NULL && bodies.len > 0) {
        append_file(bodies_path, bodies.s, bodies.len);
    }
    free(dump.s);
    free(bodies.s);
    if (raw_dir != NULL) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%04d.msgpack", raw_dir,
                 atomic_fetch_add(&raw_seq, 1));
        append_file(path, data, size);
    }
    if (ins->until_inflight > 0 || ins->until_all_inflight > 0) {
        /* 1 ms polls, 30 s at most: a host that never overlaps flushes fails the
         * test's max_inflight check instead of hanging it */
        struct timespec tick = { 0, 1000000L };
        int polls;

        for (polls = 0; polls < 30000; polls++) {
            if (atomic_load(&ins->max_inflight) >= ins->until_inflight &&
                atomic_load(&all_max_inflight) >= ins->until_all_inflight) {
                break;
            }
            nanosleep(&tick, NULL);
        }
    }
    if (ins->sleep_ms > 0) {
        struct timespec ts = { ins->sleep_ms / 1000, (ins->sleep_ms % 1000) * 1000000L };
        nanosleep(&ts, NULL);
    }
    atomic_fetch_add(&ins->flushes, 1);
    out("flush id=%s tag=%s size=%zu events=%ld main=%d on_thread_stack=%d "
        "stack_dist=%ld sp=%p tid=%ld", ins->id, tag, size, events,
        on_main_thread(), on_stack, dist, (void *) &local, tid());
    atomic_fetch_sub(&ins->inflight, 1);
    atomic_fetch_sub(&all_inflight, 1);
    return ins->flush_ret;
}

#ifdef TP_LEGACY
EXPORT int FLBPluginFlush(const void *data, size_t size, const char *tag)
{
    return do_flush(legacy_instance, data, size, tag);
}

EXPORT int FLBPluginExit(void)
{
    struct tp_instance *ins = legacy_instance;
    int ret;

    out("exit id=%s main=%d flushes=%ld max_inflight=%d all_max_inflight=%d",
        ins->id, on_main_thread(), atomic_load(&ins->flushes),
        atomic_load(&ins->max_inflight), atomic_load(&all_max_inflight));
    ret = ins->exit_ret;
    return ret;
}
#else
EXPORT int FLBPluginFlushCtx(void *remote_context, const void *data, size_t size,
                             char *tag)
{
    return do_flush(remote_context, data, size, tag);
}

EXPORT void FLBPluginOutputPreExit(int shutdown_by_hot_reloading)
{
    out("preexit arg=%d main=%d", shutdown_by_hot_reloading, on_main_thread());
}

EXPORT int FLBPluginExitCtx(void *remote_context)
{
    struct tp_instance *ins = remote_context;
    int ret;

    out("exit id=%s main=%d flushes=%ld max_inflight=%d all_max_inflight=%d",
        ins->id, on_main_thread(), atomic_load(&ins->flushes),
        atomic_load(&ins->max_inflight), atomic_load(&all_max_inflight));
    ret = ins->exit_ret;
    free(ins);
    return ret;
}

EXPORT void FLBPluginUnregister(struct flb_plugin_proxy_def *def)
{
    out("unregister name=%s", def->name ? def->name : "(null)");
    /* exactly this def's map: after a reload two registrations are alive */
    if (getenv("TESTPLUGIN_CONFIG_MAP") != NULL && def->config_map != tp_freed_map) {
        free(def->config_map);
    }
}
#endif

__attribute__((destructor)) static void tp_unload(void)
{
    out("unload");
#ifdef TP_LEGACY
    free(legacy_instance);
    legacy_instance = NULL;
#endif
}
