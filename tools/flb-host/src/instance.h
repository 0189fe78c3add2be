/*
 * instance.h - one configured output instance (-o NAME -p ...): its
 * properties, the structures handed to FLBPluginInit, its flush queue and
 * worker threads, and its counters.
 */
#ifndef FLB_HOST_INSTANCE_H
#define FLB_HOST_INSTANCE_H

#include <pthread.h>
#include <stddef.h>

#include "abi.h"
#include "plugin.h"
#include "props.h"

#define INSTANCE_MAGIC 0x464c4269u   /* "FLBi" */

/* one batch of events queued for one instance: the instance's own malloc'd
 * copy, which the flush gets and which is freed as soon as the call
 * returns, so that a plugin keeping a pointer into it is caught */
struct chunk {
    unsigned char *data;
    size_t size;
    size_t records;
};

struct instance {
    unsigned magic;
    int k;                          /* K-th instance of its plugin */
    char *name;                     /* "NAME.K" */
    struct plugin *plugin;
    const struct props *props;
    int workers;                    /* 0: one flush thread */
    const char *tag;

    struct flbgo_output_plugin *go; /* passed to FLBPluginInit */
    struct abi_proxy_context *ctx;  /* go->context */
    int initialised;                /* Init succeeded, exit not yet run */
    int init_ok;                    /* Init succeeded at some point */

    /* queue of chunks waiting for a flush (ring buffer) */
    pthread_mutex_t lock;
    pthread_cond_t has_work;
    pthread_cond_t has_room;
    struct chunk **ring;
    size_t ring_cap;
    size_t ring_head;
    size_t ring_len;
    int closing;                    /* no more chunks will come */
    int dropping;                   /* drop what is still queued */

    pthread_t *threads;
    size_t thread_count;
    size_t stack_size;

    /* counters, under lock */
    unsigned long long flushes;
    unsigned long long ok;
    unsigned long long errors;
    unsigned long long retries;
    unsigned long long records;
    unsigned long long dropped;
    int warned_odd_return;
    int exit_failed;
};

/* set up from the -o/-p settings; -1 after printing why (bad workers) */
int instance_setup(struct instance *in, struct plugin *p,
                   const struct props *props, const char *tag);
/* FLBPluginInit on the calling thread with the api table the plugin calls
 * back into; -1 after printing the failure */
int instance_init(struct instance *in, struct flb_api *api);
/* FLBPluginOutputPreRun(0) if exported */
void instance_pre_run(struct instance *in);
/* FLBPluginOutputPreExit(0) then FLBPluginExitCtx */
void instance_exit(struct instance *in);
/* "flb-host: output NAME.K: flushes=... ok=... error=... retry=... records=..." */
void instance_report(struct instance *in);
void instance_free(struct instance *in);

/* worker.c */
int instance_start_workers(struct instance *in, size_t stack_size);
/* queue a chunk (ownership taken, freed on failure too); blocks while the
 * queue is full; -1 if a stop was requested meanwhile */
int instance_enqueue(struct instance *in, struct chunk *c);
/* no more chunks: let the workers finish (dropping queued chunks if asked)
 * and join them */
void instance_finish(struct instance *in, int drop_queued);

#endif
