/*
 * json.h - a small strict JSON parser that writes MessagePack directly:
 * objects, arrays, strings (all escapes, \uXXXX with surrogate pairs to
 * UTF-8), integers (int64 / uint64; larger ones become float64), floats,
 * true, false, null.
 */
#ifndef FLB_HOST_JSON_H
#define FLB_HOST_JSON_H

#include <stddef.h>

#include "msgpack_write.h"

struct json_error {
    const char *message;
    size_t column;       /* 1-based byte column */
};

/*
 * Parse one JSON value that must be an object and fill the whole text
 * (whitespace around it is fine); append its MessagePack form to out.
 * Returns 0, or -1 with err filled (out then holds partial output).
 */
int json_object_to_msgpack(const char *text, size_t len, struct mpbuf *out,
                           struct json_error *err);

#endif
