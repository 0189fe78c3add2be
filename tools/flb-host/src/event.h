/*
 * event.h - Fluent Bit's v2 log event, [[EventTime, {metadata}], body]:
 * the header the cpu source packs, as Fluent Bit's log event encoder does
 * for cpu, mem and most native inputs (map32 metadata and body headers
 * however few entries they hold), and the walk that counts the events of
 * a chunk.  Both go through msgpack-c, the library Fluent Bit packs with.
 */
#ifndef FLB_HOST_EVENT_H
#define FLB_HOST_EVENT_H

#include <msgpack.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The outer fixarray 2, the header [EventTime, {}] with map32 metadata
 * (EventTime: ext type 0, BE uint32 seconds, BE uint32 nanoseconds), then
 * the body's map32 header for body_entries pairs, which come next.
 * pk must write into a msgpack_sbuffer.
 */
void event_pack_encoder_header(msgpack_packer *pk, uint32_t sec, uint32_t nsec,
                               uint32_t body_entries);

struct event_count {
    size_t events;       /* complete top-level objects */
    int malformed;       /* 1 if walking stopped before the end */
    size_t bad_offset;   /* where the object it stopped at starts */
};

/* walk a chunk (top-level objects, one after the other) */
void event_count(const void *chunk, size_t len, struct event_count *out);

#endif
