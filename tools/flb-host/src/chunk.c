/*
 * chunk.c - reference counted event buffers.
 */
#include "chunk.h"

#include <stdlib.h>

#include "util.h"

struct chunk *chunk_new(unsigned char *data, size_t size, size_t records)
{
    struct chunk *c = xmalloc(sizeof(*c));

    c->data = data;
    c->size = size;
    c->records = records;
    atomic_init(&c->refs, 1);
    return c;
}

void chunk_ref(struct chunk *c)
{
    atomic_fetch_add(&c->refs, 1);
}

void chunk_unref(struct chunk *c)
{
    if (atomic_fetch_sub(&c->refs, 1) == 1) {
        free(c->data);
        free(c);
    }
}
