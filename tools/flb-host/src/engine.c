/*
 * engine.c - lifecycle of plugins and instances.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "log.h"
#include "util.h"

int engine_load_plugins(struct engine *e, const struct cli *cli)
{
    size_t i, j;

    memset(e, 0, sizeof(*e));
    e->cli = cli;
    e->plugins = xcalloc(cli->plugin_count, sizeof(*e->plugins));
    for (i = 0; i < cli->plugin_count; i++) {
        if (plugin_load(&e->plugins[i], cli->plugins[i], cli->proxy_def_size) != 0) {
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
    size_t i;

    e->instances = xcalloc(cli->output_count, sizeof(*e->instances));
    for (i = 0; i < cli->output_count; i++) {
        const struct cli_output *o = &cli->outputs[i];
        struct plugin *p = find_plugin(e, o->name);

        if (p == NULL) {
            host_msg("no loaded plugin registered the name '%s'", o->name);
            return -1;
        }
        if (instance_setup(&e->instances[i], p, &o->props, cli->tag) != 0) {
            e->instance_count = i + 1;
            return -1;
        }
        e->instance_count = i + 1;
    }
    return 0;
}

int engine_init_instances(struct engine *e)
{
    size_t i;

    for (i = 0; i < e->instance_count; i++) {
        if (instance_init(&e->instances[i], api_table()) != 0) {
            return -1;
        }
    }
    return 0;
}

int engine_start(struct engine *e)
{
    size_t i;

    for (i = 0; i < e->instance_count; i++) {
        instance_pre_run(&e->instances[i]);
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
    size_t i;

    /* each instance gets its own copy; the last one the buffer itself */
    for (i = 0; i < e->instance_count; i++) {
        struct chunk *c = xmalloc(sizeof(*c));
        int last = i + 1 == e->instance_count;

        c->data = last ? data : xmalloc(size);
        if (!last && size > 0) {
            memcpy(c->data, data, size);
        }
        c->size = size;
        c->records = records;
        if (instance_enqueue(&e->instances[i], c) != 0) {
            if (!last) {
                free(data);
            }
            return -1;
        }
    }
    return 0;
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
        instance_exit(&e->instances[i]);
    }
    for (i = 0; i < e->plugin_count; i++) {
        plugin_unload(&e->plugins[i]);
    }
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
