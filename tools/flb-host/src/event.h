/*
 * event.h - Fluent Bit's v2 log event, [[EventTime, {metadata}], body]:
 * the header the sources pack before a body, and the walk that counts the
 * events of a chunk.  Both go through msgpack-c, the library Fluent Bit
 * packs records with, so a chunk the host builds has the encodings of one
 * Fluent Bit builds (smallest integer width, str, float64).
 *
 * Fluent Bit 5.1 gives events two shapes (both are in tests/vectors):
 *  - a record packed whole, as dummy, http or a JSON parser make it: the
 *    metadata {} and every map header in its smallest form;
 *  - a record built field by field through Fluent Bit's log event encoder,
 *    as cpu, mem and most native inputs make it: the encoder reserves a
 *    map32 header for the metadata and for the body and fills in the count
 *    at the end, so both stay map32 however few entries they hold.
 */
#ifndef FLB_HOST_EVENT_H
#define FLB_HOST_EVENT_H

#include <msgpack.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A record packed whole: the outer fixarray 2 and the header
 * [EventTime, {}]; the body comes next.  EventTime is ext type 0 of 8
 * bytes: BE uint32 seconds, BE uint32 nanoseconds, as Fluent Bit's
 * flb_time_append_to_msgpack writes it.
 */
void event_pack_header(msgpack_packer *pk, uint32_t sec, uint32_t nsec);

/*
 * A record built by the log event encoder: the same with map32 metadata,
 * then the body's map32 header for body_entries pairs, which come next.
 * pk must write into a msgpack_sbuffer.
 */
void event_pack_encoder_header(msgpack_packer *pk, uint32_t sec, uint32_t nsec,
                               uint32_t body_entries);

struct event_count {
    size_t events;       /* complete top-level objects */
    size_t not_pairs;    /* of those, how many are not 2-element arrays */
    int malformed;       /* 1 if walking stopped before the end */
    size_t bad_offset;   /* where the object it stopped at starts */
};

/* walk a chunk (top-level objects, one after the other) */
void event_count(const void *chunk, size_t len, struct event_count *out);

#endif
