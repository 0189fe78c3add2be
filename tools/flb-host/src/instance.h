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
#include "chunk.h"
#include "plugin.h"
#include "props.h"

#define INSTANCE_MAGIC 0x464c4269u   /* "FLBi" */

struct instance {
    unsigned magic;
    int k;                          /* K-th instance of its plugin */
    char *name;                     /* "NAME.K" */
    struct plugin *plugin;
    const struct props *props;
    int log_level;                  /* 0 off .. 5 trace, default 3 info */
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
    int bench;                      /* --bench: time each flush */

    /* counters, under lock */
    unsigned long long flushes;
    unsigned long long ok;
    unsigned long long errors;
    unsigned long long retries;
    unsigned long long records;
    unsigned long long dropped;
    unsigned long long flush_cpu_ns;  /* --bench: thread CPU inside flush calls */
    int warned_odd_return;
    int exit_failed;
};

/* set up from the -o/-p settings; -1 after printing why (bad log_level/workers) */
int instance_setup(struct instance *in, struct plugin *p,
                   const struct props *props, const char *tag);
/* Fluent Bit's check of the instance's properties against the config map
 * plugin p registered (none: nothing to check), read from the plugin's own
 * array; prints Fluent Bit's messages; 0, or -1 if the instance must not start */
int instance_property_check(struct instance *in, struct plugin *p);
/* the property check, then FLBPluginInit on the calling thread; -1 after
 * printing the failure (Init is not called if the check fails) */
int instance_init(struct instance *in);
/* FLBPluginOutputPreRun(enable_hot_reload) if exported */
void instance_pre_run(struct instance *in, int enable_hot_reload);
/* FLBPluginOutputPreExit(hot_reloading) then FLBPluginExitCtx / FLBPluginExit */
void instance_exit(struct instance *in, int hot_reloading);
/* after instance_exit and instance_finish: free what Init and the flush
 * threads used, so that Init can run again (a reload); counters are kept */
void instance_reset(struct instance *in);
/* "flb-host: output NAME.K: flushes=... ok=... error=... retry=... records=..." */
void instance_report(struct instance *in);
void instance_free(struct instance *in);

/* worker.c */
int instance_start_workers(struct instance *in, size_t stack_size);
/* queue a chunk (takes a reference); blocks while the queue is full;
 * -1 if a stop was requested meanwhile */
int instance_enqueue(struct instance *in, struct chunk *c);
/* no more chunks: let the workers finish (dropping queued chunks if asked)
 * and join them */
void instance_finish(struct instance *in, int drop_queued);

#endif
