/*
 * event.c - the v2 event headers, and counting the events of a chunk.
 */
#include "event.h"

#include <arpa/inet.h>
#include <string.h>

static void pack_time(msgpack_packer *pk, uint32_t sec, uint32_t nsec)
{
    uint32_t be[2] = { htonl(sec), htonl(nsec) };

    msgpack_pack_array(pk, 2);
    msgpack_pack_array(pk, 2);
    msgpack_pack_ext_with_body(pk, be, sizeof(be), 0);
}

/*
 * As Fluent Bit's flb_mp_map_header does: announce 65536 entries so that
 * msgpack-c writes a map32 header, then put the real count in it.
 */
static void pack_map32(msgpack_packer *pk, uint32_t entries)
{
    msgpack_sbuffer *sb = pk->data;
    uint32_t be = htonl(entries);

    msgpack_pack_map(pk, 0x10000);
    memcpy(sb->data + sb->size - sizeof(be), &be, sizeof(be));
}

void event_pack_encoder_header(msgpack_packer *pk, uint32_t sec, uint32_t nsec,
                               uint32_t body_entries)
{
    pack_time(pk, sec, nsec);
    pack_map32(pk, 0);
    pack_map32(pk, body_entries);
}

void event_count(const void *chunk, size_t len, struct event_count *out)
{
    msgpack_unpacked event;
    size_t off = 0;

    out->events = 0;
    out->malformed = 0;
    out->bad_offset = 0;
    msgpack_unpacked_init(&event);
    while (off < len) {
        size_t start = off;
        msgpack_unpack_return r = msgpack_unpack_next(&event, chunk, len, &off);

        if (r != MSGPACK_UNPACK_SUCCESS) {
            /* truncated, invalid, or a header announcing more than memory holds */
            out->malformed = 1;
            out->bad_offset = start;
            break;
        }
        out->events++;
    }
    msgpack_unpacked_destroy(&event);
}
