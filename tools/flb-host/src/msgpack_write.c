/*
 * msgpack_write.c - MessagePack encoder.
 */
#include "msgpack_write.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void mpb_init(struct mpbuf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void mpb_free(struct mpbuf *b)
{
    free(b->data);
    mpb_init(b);
}

unsigned char *mpb_release(struct mpbuf *b, size_t *len)
{
    unsigned char *d = b->data;

    *len = b->len;
    mpb_init(b);
    return d;
}

static unsigned char *room(struct mpbuf *b, size_t n)
{
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n) {
            cap *= 2;
        }
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    b->len += n;
    return b->data + b->len - n;
}

static void put_be(unsigned char *p, uint64_t v, int n)
{
    int i;

    for (i = n - 1; i >= 0; i--) {
        p[i] = (unsigned char) (v & 0xff);
        v >>= 8;
    }
}

static void tagged(struct mpbuf *b, unsigned char tag, uint64_t v, int n)
{
    unsigned char *p = room(b, 1 + (size_t) n);
    p[0] = tag;
    put_be(p + 1, v, n);
}

void mp_write_nil(struct mpbuf *b)
{
    *room(b, 1) = 0xc0;
}

void mp_write_bool(struct mpbuf *b, int v)
{
    *room(b, 1) = v ? 0xc3 : 0xc2;
}

void mp_write_uint(struct mpbuf *b, uint64_t v)
{
    if (v <= 0x7f) {
        *room(b, 1) = (unsigned char) v;
    }
    else if (v <= 0xff) {
        tagged(b, 0xcc, v, 1);
    }
    else if (v <= 0xffff) {
        tagged(b, 0xcd, v, 2);
    }
    else if (v <= 0xffffffffULL) {
        tagged(b, 0xce, v, 4);
    }
    else {
        tagged(b, 0xcf, v, 8);
    }
}

void mp_write_int(struct mpbuf *b, int64_t v)
{
    if (v >= 0) {
        mp_write_uint(b, (uint64_t) v);
    }
    else if (v >= -32) {
        *room(b, 1) = (unsigned char) (0xe0 | (v + 32));
    }
    else if (v >= INT8_MIN) {
        tagged(b, 0xd0, (uint64_t) v, 1);
    }
    else if (v >= INT16_MIN) {
        tagged(b, 0xd1, (uint64_t) v, 2);
    }
    else if (v >= INT32_MIN) {
        tagged(b, 0xd2, (uint64_t) v, 4);
    }
    else {
        tagged(b, 0xd3, (uint64_t) v, 8);
    }
}

void mp_write_double(struct mpbuf *b, double v)
{
    uint64_t bits;

    memcpy(&bits, &v, sizeof(bits));
    tagged(b, 0xcb, bits, 8);
}

void mp_write_str(struct mpbuf *b, const char *s, size_t len)
{
    if (len <= 31) {
        *room(b, 1) = (unsigned char) (0xa0 | len);
    }
    else if (len <= 0xff) {
        tagged(b, 0xd9, len, 1);
    }
    else if (len <= 0xffff) {
        tagged(b, 0xda, len, 2);
    }
    else {
        tagged(b, 0xdb, len, 4);
    }
    if (len > 0) {
        memcpy(room(b, len), s, len);
    }
}

void mp_write_array(struct mpbuf *b, uint32_t count)
{
    if (count <= 15) {
        *room(b, 1) = (unsigned char) (0x90 | count);
    }
    else if (count <= 0xffff) {
        tagged(b, 0xdc, count, 2);
    }
    else {
        tagged(b, 0xdd, count, 4);
    }
}

void mp_write_map(struct mpbuf *b, uint32_t count)
{
    if (count <= 15) {
        *room(b, 1) = (unsigned char) (0x80 | count);
    }
    else if (count <= 0xffff) {
        tagged(b, 0xde, count, 2);
    }
    else {
        tagged(b, 0xdf, count, 4);
    }
}

void mp_write_eventtime(struct mpbuf *b, uint32_t sec, uint32_t nsec)
{
    unsigned char *p = room(b, 10);

    p[0] = 0xd7;
    p[1] = 0x00;
    put_be(p + 2, sec, 4);
    put_be(p + 6, nsec, 4);
}

void mp_write_event_start(struct mpbuf *b, uint32_t sec, uint32_t nsec)
{
    mp_write_array(b, 2);
    mp_write_array(b, 2);
    mp_write_eventtime(b, sec, nsec);
    mp_write_map(b, 0);
}

#define CONTAINER_RESERVE 5

size_t mp_container_begin(struct mpbuf *b)
{
    room(b, CONTAINER_RESERVE);
    return b->len - CONTAINER_RESERVE;
}

void mp_container_end(struct mpbuf *b, size_t offset, int is_map, uint32_t count)
{
    unsigned char hdr[CONTAINER_RESERVE];
    size_t hlen;
    size_t body = offset + CONTAINER_RESERVE;
    size_t body_len = b->len - body;

    if (count <= 15) {
        hdr[0] = (unsigned char) ((is_map ? 0x80 : 0x90) | count);
        hlen = 1;
    }
    else if (count <= 0xffff) {
        hdr[0] = is_map ? 0xde : 0xdc;
        put_be(hdr + 1, count, 2);
        hlen = 3;
    }
    else {
        hdr[0] = is_map ? 0xdf : 0xdd;
        put_be(hdr + 1, count, 4);
        hlen = 5;
    }
    memcpy(b->data + offset, hdr, hlen);
    if (hlen < CONTAINER_RESERVE) {
        memmove(b->data + offset + hlen, b->data + body, body_len);
        b->len -= CONTAINER_RESERVE - hlen;
    }
}
