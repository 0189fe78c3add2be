/*
 * msgpack_read.h - a minimal MessagePack walker: skip one object and count
 * the events of a chunk (a concatenation of top-level objects).
 */
#ifndef FLB_HOST_MSGPACK_READ_H
#define FLB_HOST_MSGPACK_READ_H

#include <stddef.h>

/* skip the object at *pos; 0 and *pos advanced, or -1 if malformed/truncated */
int mp_skip(const unsigned char *buf, size_t len, size_t *pos);

struct mp_event_count {
    size_t events;       /* complete top-level objects */
    size_t not_pairs;    /* of those, how many are not 2-element arrays */
    int malformed;       /* 1 if walking stopped before the end */
    size_t bad_offset;   /* where it stopped */
};

void mp_count_events(const unsigned char *buf, size_t len,
                     struct mp_event_count *out);

#endif
