/*
 * chunk.h - one batch of events on its way to the output instances.
 * Shared (reference counted) by every instance's queue; each flush then
 * gets its own malloc'd copy of data and tag, freed after the call.
 */
#ifndef FLB_HOST_CHUNK_H
#define FLB_HOST_CHUNK_H

#include <stdatomic.h>
#include <stddef.h>

struct chunk {
    unsigned char *data;
    size_t size;
    size_t records;
    atomic_int refs;
};

/* takes ownership of data (malloc'd); refs starts at 1 */
struct chunk *chunk_new(unsigned char *data, size_t size, size_t records);
void chunk_ref(struct chunk *c);
void chunk_unref(struct chunk *c);

#endif
