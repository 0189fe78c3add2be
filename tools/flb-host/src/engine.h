/*
 * engine.h - the whole pipeline in Fluent Bit's order: load and register
 * plugins, set up and initialise instances, run flushes, shut down.
 */
#ifndef FLB_HOST_ENGINE_H
#define FLB_HOST_ENGINE_H

#include <msgpack/sbuffer.h>
#include <stddef.h>

#include "cli.h"
#include "instance.h"
#include "plugin.h"

struct engine {
    const struct cli *cli;
    struct plugin *plugins;
    size_t plugin_count;
    struct instance *instances;
    size_t instance_count;
    int workers_started;
};

/* dlopen + register every -e, in order; -1 after printing why */
int engine_load_plugins(struct engine *e, const struct cli *cli);
/* create the -o instances; -1 after printing why (unknown name, ...) */
int engine_create_instances(struct engine *e);
/* FLBPluginInit for each instance in order on this (the main) thread;
 * on a failure, -1 (the caller then shuts down what was initialised) */
int engine_init_instances(struct engine *e);
/* FLBPluginOutputPreRun per instance, then the flush threads */
int engine_start(struct engine *e);
/* hand a chunk (ownership of data, malloc'd, taken) to every instance;
 * -1 when a stop was requested */
int engine_dispatch(struct engine *e, unsigned char *data, size_t size,
                    size_t records);
/* the same for what a source packed: the buffer's bytes are taken */
int engine_dispatch_packed(struct engine *e, msgpack_sbuffer *sb, size_t records);
/* no more chunks: wait for the flushes (dropping queued ones if asked)
 * and join the threads */
void engine_drain(struct engine *e, int drop_queued);
/* exit callbacks of initialised instances, then Unregister + dlclose */
void engine_shutdown(struct engine *e);
/* summary lines; 1 if any flush or exit callback failed, else 0 */
int engine_report(struct engine *e);
void engine_free(struct engine *e);

#endif
