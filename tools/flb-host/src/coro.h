/*
 * coro.h - a coroutine stack like the ones Fluent Bit runs flushes on:
 * a separately mapped stack (with a PROT_NONE guard page below it, so an
 * overflow faults instead of corrupting memory), entered with
 * makecontext/swapcontext from the thread that owns it.  One coro is
 * reused for every flush a worker thread runs.
 */
#ifndef FLB_HOST_CORO_H
#define FLB_HOST_CORO_H

#include <stddef.h>
#include <ucontext.h>

struct coro {
    void *map;          /* whole mapping: guard page + stack */
    size_t map_size;
    void *stack;        /* lowest usable address */
    size_t stack_size;  /* usable bytes */
    unsigned valgrind_id;
    ucontext_t caller;
    ucontext_t self;
    void (*fn)(void *arg);
    void *arg;
};

/* map a stack of at least stack_size bytes (rounded up to whole pages) */
int coro_create(struct coro *c, size_t stack_size);
/* run fn(arg) on the coroutine stack; returns once fn has returned */
int coro_run(struct coro *c, void (*fn)(void *arg), void *arg);
void coro_destroy(struct coro *c);

#endif
