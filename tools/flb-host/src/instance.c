/*
 * instance.c - set up, initialise, shut down and report one output instance.
 */
#include "instance.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

#define MAX_WORKERS 256

int instance_setup(struct instance *in, struct plugin *p,
                   const struct props *props, const char *tag)
{
    const char *v;
    size_t nlen;

    memset(in, 0, sizeof(*in));
    in->magic = INSTANCE_MAGIC;
    pthread_mutex_init(&in->lock, NULL);
    pthread_cond_init(&in->has_work, NULL);
    pthread_cond_init(&in->has_room, NULL);
    in->plugin = p;
    in->props = props;
    in->tag = tag;
    in->k = p->instance_count++;
    nlen = strlen(p->name) + 16;
    in->name = xmalloc(nlen);
    snprintf(in->name, nlen, "%s.%d", p->name, in->k);

    in->workers = 0;
    v = props_get_last(props, "workers");
    if (v != NULL) {
        char *end;
        long w;

        errno = 0;
        w = strtol(v, &end, 10);
        if (errno != 0 || end == v || *end != '\0' || w < 0 || w > MAX_WORKERS) {
            host_msg("output %s: invalid workers '%s' (expected 0..%d)",
                     in->name, v, MAX_WORKERS);
            return -1;
        }
        in->workers = (int) w;
    }
    return 0;
}

int instance_init(struct instance *in, struct flb_api *api)
{
    int ret;

    in->ctx = xcalloc(1, sizeof(*in->ctx));
    in->go = xcalloc(1, sizeof(*in->go));
    in->go->name = xstrdup(in->plugin->name);
    in->go->api = api;
    in->go->o_ins = in;
    in->go->context = in->ctx;

    ret = in->plugin->init(in->go);
    if (ret <= 0) {
        host_msg("init of output '%s' (instance %d) failed (returned %d)",
                 in->plugin->name, in->k, ret);
        return -1;
    }
    in->initialised = 1;
    in->init_ok = 1;
    return 0;
}

void instance_pre_run(struct instance *in)
{
    /* Fluent Bit calls it once per instance and ignores the result */
    if (in->plugin->pre_run != NULL) {
        (void) in->plugin->pre_run(0);
    }
}

void instance_exit(struct instance *in)
{
    struct plugin *p = in->plugin;
    int ret;

    if (!in->initialised) {
        return;
    }
    /* Fluent Bit's proxy exit callback: PreExit, then ExitCtx, for each
     * instance in turn */
    if (p->pre_exit != NULL) {
        p->pre_exit(0);
    }
    ret = p->exit_ctx != NULL ? p->exit_ctx(in->ctx->remote_context) : 0;
    if (ret < 0) {
        host_msg("output %s: FLBPluginExitCtx returned %d", in->name, ret);
        in->exit_failed = 1;
    }
    in->initialised = 0;
}

void instance_report(struct instance *in)
{
    host_msg("output %s: flushes=%llu ok=%llu error=%llu retry=%llu records=%llu",
             in->name, in->flushes, in->ok, in->errors, in->retries, in->records);
    if (in->dropped > 0) {
        host_msg("output %s: %llu queued chunk(s) dropped after a stop signal",
                 in->name, in->dropped);
    }
}

void instance_free(struct instance *in)
{
    if (in->go != NULL) {
        free(in->go->name);
        free(in->go);
    }
    free(in->ctx);
    free(in->ring);
    free(in->threads);
    free(in->name);
    if (in->magic == INSTANCE_MAGIC) {
        pthread_mutex_destroy(&in->lock);
        pthread_cond_destroy(&in->has_work);
        pthread_cond_destroy(&in->has_room);
    }
    in->magic = 0;
}
