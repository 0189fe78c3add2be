/*
 * testplugin.c - a plain C Fluent Bit output plugin for flb-host's own
 * checks (tests/check.sh).  It records every callback it receives, one
 * line each, in the file named by $TP_OUT, so the checks can see what the
 * host did and on which thread/stack.
 *
 * It registers the name "testout" and exports every callback of the
 * proxy ABI that takes a context (FLBPluginFlushCtx, FLBPluginExitCtx).
 *
 * Environment (read at load/register time):
 *   TP_OUT          file the event lines are appended to
 *   TP_RAW_DIR      directory that gets each flush's bytes as NNNN.msgpack
 *   TP_PREREG_RET   value FLBPluginPreRegister returns (default 0)
 *   TP_REG_RET      value FLBPluginRegister returns (default 0)
 *   TP_REG_NAME     def->name to register ("(null)" registers NULL)
 *   TESTPLUGIN_WRITE_CONFIG_MAP  if set, FLBPluginRegister writes
 *                   def->config_map (NULL), as a plugin built for Fluent
 *                   Bit 5.1.1 may. Without it the plugin never touches
 *                   offset 40 of the def (config_map), like one built for 5.0
 *   TESTPLUGIN_WRITE_EVENT_TYPE  if set, FLBPluginRegister writes
 *                   def->event_type (0, logs), as a plugin built for Fluent
 *                   Bit 4.2 may. Without it the plugin never touches offset
 *                   32 (event_type), which a def up to Fluent Bit 4.1 lacks
 *
 * Properties (per instance, read in FLBPluginInit):
 *   id              label used in the lines (default: instance number)
 *   init_ret        value Init returns (default 1)
 *   flush_ret       value each flush returns (default 1 = FLB_OK)
 *   exit_ret        value ExitCtx returns (default 0)
 *   flush_sleep_ms  sleep inside each flush
 *   flush_until_inflight      a flush waits (at most 30 s) until this instance
 *                             has had N flushes in flight at once, so tests of
 *                             concurrency do not depend on sleeps overlapping
 *   flush_until_all_inflight  the same, counted across every instance
 *   stack_probe     bytes of stack to touch inside each flush
 *   get             comma-separated keys to look up in Init ("prop K=V" lines)
 *   null            if set, each flush returns flush_ret at once, reading
 *                   and recording nothing: the do-nothing proxy plugin
 *                   bench.sh runs in real Fluent Bit as a baseline
 */
#include <errno.h>
#include <fcntl.h>
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

#define TP_DEFAULT_NAME "testout"

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

/* ---- the chunk, read with msgpack-c as Fluent Bit reads it -------------- */

/* the number of events of a chunk, or -1 if it is not MessagePack */
static long count_events(const char *data, size_t size)
{
    msgpack_unpacked event;
    size_t off = 0;
    long events = 0;

    msgpack_unpacked_init(&event);
    while (off < size && msgpack_unpack_next(&event, data, size, &off) == MSGPACK_UNPACK_SUCCESS) {
        events++;
    }
    msgpack_unpacked_destroy(&event);
    return off < size ? -1 : events;
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

/* is addr on this thread's own stack (a flush must run on another one) */
static int on_thread_stack(const void *addr)
{
    pthread_attr_t attr;
    void *base = NULL;
    size_t size = 0;

    if (pthread_getattr_np(pthread_self(), &attr) != 0) {
        return -1;
    }
    pthread_attr_getstack(&attr, &base, &size);
    pthread_attr_destroy(&attr);
    return (const char *) addr >= (const char *) base &&
           (const char *) addr < (const char *) base + size;
}

/* ---- the plugin ------------------------------------------------------------ */

EXPORT int FLBPluginPreRegister(int hot_reloading)
{
    int ret = env_int("TP_PREREG_RET", 0);

    out("preregister arg=%d main=%d", hot_reloading, on_main_thread());
    return ret;
}

EXPORT int FLBPluginRegister(struct flb_plugin_proxy_def *def)
{
    const char *name = getenv("TP_REG_NAME");
    static char name_buf[128];
    int writes_event_type = getenv("TESTPLUGIN_WRITE_EVENT_TYPE") != NULL;
    int writes_map = getenv("TESTPLUGIN_WRITE_CONFIG_MAP") != NULL;

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
    /* a plugin built for Fluent Bit 5.1.1 may write config_map (offset 40),
     * one built for 4.2 event_type (offset 32); older ones touch neither */
    out("register zeroed=%d main=%d", def->type == 0 && def->proxy == 0 &&
        def->flags == 0 && def->description == NULL &&
        (!writes_event_type || def->event_type == 0) &&
        (!writes_map || def->config_map == NULL), on_main_thread());
    if (writes_map) {
        def->config_map = NULL;
    }
    def->type = ABI_TYPE_OUTPUT;
    def->proxy = ABI_PROXY_GOLANG;
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

    v = prop(plugin, "get");
    if (v != NULL) {
        char *keys = strdup(v), *save = NULL, *k;
        for (k = strtok_r(keys, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
            const char *val = prop(plugin, k);
            out("prop id=%s %s=%s", ins->id, k, val ? val : "(null)");
        }
        free(keys);
    }

    if (init_ret > 0) {
        plugin->context->remote_context = ins;
    }
    else {
        free(ins);
    }
    return init_ret;
}

EXPORT int FLBPluginOutputPreRun(int enable_hot_reload)
{
    out("prerun arg=%d main=%d", enable_hot_reload, on_main_thread());
    return 0;
}

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
    int on_stack = on_thread_stack(&local);
    int now = atomic_fetch_add(&ins->inflight, 1) + 1;
    int max = atomic_load(&ins->max_inflight);
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
    events = count_events(data, size);
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
        "sp=%p tid=%ld", ins->id, tag, size, events,
        on_main_thread(), on_stack, (void *) &local, tid());
    atomic_fetch_sub(&ins->inflight, 1);
    atomic_fetch_sub(&all_inflight, 1);
    return ins->flush_ret;
}

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
}

__attribute__((destructor)) static void tp_unload(void)
{
    out("unload");
}
