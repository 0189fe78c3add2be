/*
 * worker.c - the flush side of an output instance: a bounded queue of
 * chunks and the threads that take chunks from it and call the plugin's
 * flush on a coroutine stack.  With workers=N there are N threads sharing
 * the queue (each chunk goes to one of them); with workers=0 there is one
 * thread, so that instance's flushes run one after the other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coro.h"
#include "instance.h"
#include "log.h"
#include "signals.h"
#include "util.h"

#define QUEUE_CAPACITY 64

struct flush_call {
    struct instance *in;
    const unsigned char *data;
    size_t size;
    char *tag;
    int ret;
};

/* runs on the coroutine stack */
static void flush_on_coro(void *arg)
{
    struct flush_call *fc = arg;

    fc->ret = fc->in->plugin->flush_ctx(fc->in->ctx->remote_context, fc->data,
                                        fc->size, fc->tag);
}

static void count_result(struct instance *in, const struct chunk *c, int ret)
{
    int odd = 0;

    pthread_mutex_lock(&in->lock);
    in->flushes++;
    in->records += c->records;
    switch (ret) {
    case ABI_FLB_OK:
        in->ok++;
        break;
    case ABI_FLB_RETRY:
        in->retries++;
        break;
    case ABI_FLB_ERROR:
        in->errors++;
        break;
    default:
        in->errors++;
        if (!in->warned_odd_return) {
            in->warned_odd_return = 1;
            odd = 1;
        }
        break;
    }
    pthread_mutex_unlock(&in->lock);
    if (odd) {
        host_warn("output %s: flush returned %d (not FLB_OK/FLB_ERROR/"
                  "FLB_RETRY), counted as an error", in->name, ret);
    }
}

static void chunk_free(struct chunk *c)
{
    free(c->data);
    free(c);
}

static void run_flush(struct instance *in, struct coro *co, struct chunk *c)
{
    struct flush_call fc;

    fc.in = in;
    fc.data = c->data;
    fc.size = c->size;
    fc.tag = xstrdup(in->tag);
    fc.ret = ABI_FLB_ERROR;

    if (coro_run(co, flush_on_coro, &fc) != 0) {
        host_msg("output %s: cannot switch to the coroutine stack", in->name);
        fc.ret = ABI_FLB_ERROR;
    }
    free(fc.tag);
    count_result(in, c, fc.ret);
    chunk_free(c);
}

static void *worker_main(void *arg)
{
    struct instance *in = arg;
    struct coro co;

    /* stop signals are for the main thread (and the plugin's own threads) */
    signals_block_here();

    if (coro_create(&co, in->stack_size) != 0) {
        host_msg("output %s: cannot allocate a %zu-byte coroutine stack: %s",
                 in->name, in->stack_size, strerror(errno));
        abort();
    }

    for (;;) {
        struct chunk *c;

        pthread_mutex_lock(&in->lock);
        while (in->ring_len == 0 && !in->closing) {
            pthread_cond_wait(&in->has_work, &in->lock);
        }
        if (in->ring_len > 0 && (in->dropping || signals_stop_requested())) {
            while (in->ring_len > 0) {
                c = in->ring[in->ring_head];
                in->ring_head = (in->ring_head + 1) % in->ring_cap;
                in->ring_len--;
                in->dropped++;
                chunk_free(c);
            }
            pthread_cond_broadcast(&in->has_room);
        }
        if (in->ring_len == 0) {
            /* closing and nothing left */
            pthread_mutex_unlock(&in->lock);
            break;
        }
        c = in->ring[in->ring_head];
        in->ring_head = (in->ring_head + 1) % in->ring_cap;
        in->ring_len--;
        pthread_cond_signal(&in->has_room);
        pthread_mutex_unlock(&in->lock);

        run_flush(in, &co, c);
    }

    coro_destroy(&co);
    return NULL;
}

int instance_start_workers(struct instance *in, size_t stack_size)
{
    size_t i;
    int err;

    in->stack_size = stack_size;
    in->ring_cap = QUEUE_CAPACITY;
    in->ring = xcalloc(in->ring_cap, sizeof(*in->ring));
    in->thread_count = in->workers > 0 ? (size_t) in->workers : 1;
    in->threads = xcalloc(in->thread_count, sizeof(*in->threads));

    for (i = 0; i < in->thread_count; i++) {
        err = pthread_create(&in->threads[i], NULL, worker_main, in);
        if (err != 0) {
            host_msg("output %s: cannot start a flush thread: %s", in->name,
                     strerror(err));
            in->thread_count = i;
            return -1;
        }
    }
    return 0;
}

int instance_enqueue(struct instance *in, struct chunk *c)
{
    pthread_mutex_lock(&in->lock);
    while (in->ring_len == in->ring_cap) {
        struct timespec deadline;

        if (signals_stop_requested()) {
            pthread_mutex_unlock(&in->lock);
            chunk_free(c);
            return -1;
        }
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_nsec += 100 * 1000 * 1000;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&in->has_room, &in->lock, &deadline);
    }
    in->ring[(in->ring_head + in->ring_len) % in->ring_cap] = c;
    in->ring_len++;
    pthread_cond_signal(&in->has_work);
    pthread_mutex_unlock(&in->lock);
    return 0;
}

void instance_finish(struct instance *in, int drop_queued)
{
    size_t i;

    pthread_mutex_lock(&in->lock);
    in->closing = 1;
    if (drop_queued) {
        in->dropping = 1;
    }
    pthread_cond_broadcast(&in->has_work);
    pthread_mutex_unlock(&in->lock);

    for (i = 0; i < in->thread_count; i++) {
        pthread_join(in->threads[i], NULL);
    }
    in->thread_count = 0;

    /* nothing can be left, but be tidy if no thread ever ran */
    while (in->ring_len > 0) {
        chunk_free(in->ring[in->ring_head]);
        in->ring_head = (in->ring_head + 1) % in->ring_cap;
        in->ring_len--;
        in->dropped++;
    }
}
