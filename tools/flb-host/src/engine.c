/*
 * engine.c - lifecycle of plugins and instances.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "chunk.h"
#include "log.h"
#include "signals.h"
#include "util.h"

int engine_load_plugins(struct engine *e, const struct cli *cli)
{
    size_t i, j;

    memset(e, 0, sizeof(*e));
    e->cli = cli;
    e->plugins = xcalloc(cli->plugin_count, sizeof(*e->plugins));
    for (i = 0; i < cli->plugin_count; i++) {
        if (plugin_load(&e->plugins[i], cli->plugins[i], 0,
                        cli->proxy_def_size) != 0) {
            e->plugin_count = i;
            return -1;
        }
        e->plugin_count = i + 1;
        for (j = 0; j < i; j++) {
            if (strcasecmp(e->plugins[j].name, e->plugins[i].name) == 0) {
                host_msg("plugin %s registered the name '%s', already "
                         "registered by %s", e->plugins[i].path,
                         e->plugins[i].name, e->plugins[j].path);
                return -1;
            }
        }
    }
    return 0;
}

static struct plugin *find_plugin(struct engine *e, const char *name)
{
    size_t i;

    for (i = 0; i < e->plugin_count; i++) {
        if (strcasecmp(e->plugins[i].name, name) == 0) {
            return &e->plugins[i];
        }
    }
    return NULL;
}

int engine_create_instances(struct engine *e)
{
    const struct cli *cli = e->cli;
    size_t i, j;

    e->instances = xcalloc(cli->output_count, sizeof(*e->instances));
    for (i = 0; i < cli->output_count; i++) {
        const struct cli_output *o = &cli->outputs[i];
        struct plugin *p = find_plugin(e, o->name);

        if (p == NULL) {
            char names[512];
            size_t used = 0;

            names[0] = '\0';
            for (j = 0; j < e->plugin_count && used < sizeof(names) - 1; j++) {
                int n = snprintf(names + used, sizeof(names) - used, "%s%s",
                                 j ? ", " : "", e->plugins[j].name);
                if (n < 0) {
                    break;
                }
                used += (size_t) n;
            }
            host_msg("no loaded plugin registered the name '%s' "
                     "(registered: %s)", o->name, names);
            return -1;
        }
        if (instance_setup(&e->instances[i], p, &o->props, cli->tag) != 0) {
            e->instance_count = i + 1;
            return -1;
        }
        e->instances[i].bench = cli->bench;
        e->instance_count = i + 1;
    }
    api_set_instances(e->instances, e->instance_count);
    return 0;
}

int engine_init_instances(struct engine *e)
{
    size_t i;

    for (i = 0; i < e->instance_count; i++) {
        if (instance_init(&e->instances[i]) != 0) {
            return -1;
        }
    }
    return 0;
}

int engine_start(struct engine *e)
{
    size_t i;

    for (i = 0; i < e->instance_count; i++) {
        instance_pre_run(&e->instances[i], e->cli->hot_reload);
    }
    e->workers_started = 1;
    for (i = 0; i < e->instance_count; i++) {
        if (instance_start_workers(&e->instances[i], e->cli->stack_size) != 0) {
            return -1;
        }
    }
    return 0;
}

int engine_dispatch(struct engine *e, unsigned char *data, size_t size,
                    size_t records)
{
    struct chunk *c;
    size_t i;
    int ret = 0;

    /* a SIGHUP reload runs here, between two chunks, on the main thread */
    if (e->cli->hot_reload && signals_take_reload() && engine_reload(e) == -2) {
        free(data);
        return -1;
    }
    c = chunk_new(data, size, records);

    for (i = 0; i < e->instance_count; i++) {
        if (instance_enqueue(&e->instances[i], c) != 0) {
            ret = -1;
            break;
        }
    }
    chunk_unref(c);
    return ret;
}

int engine_dispatch_packed(struct engine *e, msgpack_sbuffer *sb, size_t records)
{
    size_t size = sb->size;

    return engine_dispatch(e, (unsigned char *) msgpack_sbuffer_release(sb), size,
                           records);
}

void engine_drain(struct engine *e, int drop_queued)
{
    size_t i;

    if (!e->workers_started) {
        return;
    }
    for (i = 0; i < e->instance_count; i++) {
        instance_finish(&e->instances[i], drop_queued);
    }
    e->workers_started = 0;
}

void engine_shutdown(struct engine *e)
{
    size_t i;

    for (i = 0; i < e->instance_count; i++) {
        instance_exit(&e->instances[i], 0);
    }
    for (i = 0; i < e->plugin_count; i++) {
        plugin_unload(&e->plugins[i]);
    }
}

int engine_reload(struct engine *e)
{
    struct plugin *fresh = xcalloc(e->plugin_count, sizeof(*fresh));
    size_t i;

    host_msg("reloading: SIGHUP (reload %lu)", e->reloads + 1);
    for (i = 0; i < e->plugin_count; i++) {
        if (plugin_load(&fresh[i], e->plugins[i].path, 1,
                        e->cli->proxy_def_size) != 0) {
            host_msg("reload halted: %s could not be registered again; "
                     "the running instances are kept", e->plugins[i].path);
            while (i-- > 0) {
                plugin_unload(&fresh[i]);
            }
            free(fresh);
            return -1;
        }
    }
    /* Fluent Bit checks every instance's properties against the new
     * registrations before it stops the old context
     * (flb_reload_property_check_all): a failure keeps the old one */
    for (i = 0; i < e->instance_count; i++) {
        struct instance *in = &e->instances[i];
        struct plugin *np = &fresh[in->plugin - e->plugins];

        if (instance_property_check(in, np) != 0) {
            host_msg("reload halted: the properties of output %s do not match "
                     "the config map %s registered again; the running "
                     "instances are kept", in->name, np->path);
            for (i = 0; i < e->plugin_count; i++) {
                plugin_unload(&fresh[i]);
            }
            free(fresh);
            return -1;
        }
    }

    /* stop the old context */
    engine_drain(e, 0);
    for (i = 0; i < e->instance_count; i++) {
        instance_exit(&e->instances[i], 1);
    }
    for (i = 0; i < e->plugin_count; i++) {
        plugin_unload(&e->plugins[i]);
    }

    /* the new context: the instances keep their place (and counters) and
     * point at the same slots, which now hold the new registrations */
    for (i = 0; i < e->plugin_count; i++) {
        fresh[i].instance_count = e->plugins[i].instance_count;
        e->plugins[i] = fresh[i];
    }
    free(fresh);
    for (i = 0; i < e->instance_count; i++) {
        instance_reset(&e->instances[i]);
    }
    if (engine_init_instances(e) != 0) {
        host_msg("reload aborted: an instance failed to initialise");
        e->reload_failed = 1;
        return -2;
    }
    if (engine_start(e) != 0) {
        return -2;
    }
    e->reloads++;
    host_stdout_line("flb-host: reloaded");
    return 0;
}

int engine_report(struct engine *e)
{
    size_t i;
    int failed = 0;

    for (i = 0; i < e->instance_count; i++) {
        struct instance *in = &e->instances[i];

        if (!in->init_ok) {
            continue;   /* never initialised */
        }
        instance_report(in);
        if (in->errors > 0 || in->retries > 0 || in->exit_failed) {
            failed = 1;
        }
    }
    return failed;
}

void engine_free(struct engine *e)
{
    size_t i;

    for (i = 0; i < e->instance_count; i++) {
        instance_free(&e->instances[i]);
    }
    free(e->instances);
    free(e->plugins);
    memset(e, 0, sizeof(*e));
}
