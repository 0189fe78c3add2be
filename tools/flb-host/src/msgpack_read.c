/*
 * msgpack_read.c - skip MessagePack objects without decoding them.
 */
#include "msgpack_read.h"

#include <stdint.h>

static uint64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/*
 * Read one header at *pos: advance past it and its payload bytes, and add
 * the number of nested objects that follow to *children.
 */
static int header(const unsigned char *buf, size_t len, size_t *pos,
                  uint64_t *children)
{
    size_t p = *pos;
    unsigned char b;
    uint64_t payload = 0;   /* bytes after the header */
    int lenbytes = 0;       /* size of a length field */
    uint64_t count = 0;
    int is_map = 0;

    if (p >= len) {
        return -1;
    }
    b = buf[p++];
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
        /* positive/negative fixint, nil, false, true */
    }
    else if (b >= 0xa0 && b <= 0xbf) {
        payload = b & 0x1f;
    }
    else if (b >= 0x90 && b <= 0x9f) {
        count = b & 0x0f;
    }
    else if (b >= 0x80 && b <= 0x8f) {
        count = b & 0x0f;
        is_map = 1;
    }
    else {
        switch (b) {
        case 0xcc: case 0xd0: payload = 1; break;
        case 0xcd: case 0xd1: payload = 2; break;
        case 0xce: case 0xd2: case 0xca: payload = 4; break;
        case 0xcf: case 0xd3: case 0xcb: payload = 8; break;
        case 0xd4: payload = 2; break;           /* fixext 1: type + 1 */
        case 0xd5: payload = 3; break;
        case 0xd6: payload = 5; break;
        case 0xd7: payload = 9; break;
        case 0xd8: payload = 17; break;
        case 0xc4: case 0xd9: lenbytes = 1; break;   /* bin8, str8 */
        case 0xc5: case 0xda: lenbytes = 2; break;
        case 0xc6: case 0xdb: lenbytes = 4; break;
        case 0xc7: lenbytes = 1; payload = 1; break; /* ext8: + type */
        case 0xc8: lenbytes = 2; payload = 1; break;
        case 0xc9: lenbytes = 4; payload = 1; break;
        case 0xdc: case 0xdd: case 0xde: case 0xdf: {
            int n = (b == 0xdc || b == 0xde) ? 2 : 4;
            if (len - p < (size_t) n) {
                return -1;
            }
            count = be(buf + p, n);
            p += (size_t) n;
            is_map = (b == 0xde || b == 0xdf);
            break;
        }
        default:
            return -1;   /* 0xc1 is never used */
        }
    }
    if (lenbytes > 0) {
        if (len - p < (size_t) lenbytes) {
            return -1;
        }
        payload += be(buf + p, lenbytes);
        p += (size_t) lenbytes;
    }
    if (payload > len - p) {
        return -1;
    }
    p += (size_t) payload;
    if (is_map) {
        count *= 2;
    }
    /* every nested object takes at least one byte */
    if (count > (uint64_t) (len - p)) {
        return -1;
    }
    *children += count;
    *pos = p;
    return 0;
}

int mp_skip(const unsigned char *buf, size_t len, size_t *pos)
{
    uint64_t pending = 1;
    size_t p = *pos;

    while (pending > 0) {
        pending--;
        if (header(buf, len, &p, &pending) != 0) {
            return -1;
        }
        if (pending > (uint64_t) (len - p)) {
            return -1;   /* more objects announced than bytes left */
        }
    }
    *pos = p;
    return 0;
}

void mp_count_events(const unsigned char *buf, size_t len,
                     struct mp_event_count *out)
{
    size_t pos = 0;

    out->events = 0;
    out->not_pairs = 0;
    out->malformed = 0;
    out->bad_offset = 0;
    while (pos < len) {
        size_t start = pos;
        if (mp_skip(buf, len, &pos) != 0) {
            out->malformed = 1;
            out->bad_offset = start;
            return;
        }
        out->events++;
        if (buf[start] != 0x92 &&
            !(buf[start] == 0xdc && pos - start >= 3 && buf[start + 1] == 0 &&
              buf[start + 2] == 2) &&
            !(buf[start] == 0xdd && pos - start >= 5 && buf[start + 1] == 0 &&
              buf[start + 2] == 0 && buf[start + 3] == 0 && buf[start + 4] == 2)) {
            out->not_pairs++;
        }
    }
}
