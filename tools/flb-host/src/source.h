/*
 * source.h - where records come from: exactly one source per run.
 * open() checks what can be checked before any plugin is loaded;
 * run() feeds the engine until the source is exhausted or a stop is
 * requested.
 */
#ifndef FLB_HOST_SOURCE_H
#define FLB_HOST_SOURCE_H

#include "cli.h"
#include "engine.h"

enum source_result {
    SOURCE_DONE = 0,      /* finite source exhausted */
    SOURCE_STOPPED = 1,   /* a stop signal ended it */
    SOURCE_FAILED = 2     /* bad input (message printed) */
};

struct source {
    enum source_result (*run)(struct source *s, struct engine *e);
    void (*close)(struct source *s);
    void *state;
};

/* each returns 0, or -1 after printing why */
int source_chunks_open(const struct cli *cli, struct source *s);
int source_cpu_open(const struct cli *cli, struct source *s);

#endif
