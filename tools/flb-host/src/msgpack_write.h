/*
 * msgpack_write.h - a tiny MessagePack encoder into a growable buffer,
 * enough for the events the jsonl and cpu sources build. Integers and
 * containers use the smallest encoding.
 */
#ifndef FLB_HOST_MSGPACK_WRITE_H
#define FLB_HOST_MSGPACK_WRITE_H

#include <stddef.h>
#include <stdint.h>

struct mpbuf {
    unsigned char *data;
    size_t len;
    size_t cap;
};

void mpb_init(struct mpbuf *b);
void mpb_free(struct mpbuf *b);
/* hand the bytes over to the caller (the buffer is reset) */
unsigned char *mpb_release(struct mpbuf *b, size_t *len);

void mp_write_nil(struct mpbuf *b);
void mp_write_bool(struct mpbuf *b, int v);
void mp_write_uint(struct mpbuf *b, uint64_t v);
void mp_write_int(struct mpbuf *b, int64_t v);     /* negative or not */
void mp_write_double(struct mpbuf *b, double v);   /* always float64 */
void mp_write_str(struct mpbuf *b, const char *s, size_t len);
void mp_write_array(struct mpbuf *b, uint32_t count);
void mp_write_map(struct mpbuf *b, uint32_t count);
/* Fluent Bit EventTime: fixext 8, type 0, BE seconds + BE nanoseconds */
void mp_write_eventtime(struct mpbuf *b, uint32_t sec, uint32_t nsec);
/* the v2 event header [[EventTime, {}] and the outer fixarray 2 */
void mp_write_event_start(struct mpbuf *b, uint32_t sec, uint32_t nsec);

/*
 * Containers whose size is known only at the end: begin reserves room for
 * the largest header and returns its offset; end writes the smallest
 * header for count and moves the contents down.
 */
size_t mp_container_begin(struct mpbuf *b);
void mp_container_end(struct mpbuf *b, size_t offset, int is_map, uint32_t count);

#endif
