/*
 * json_pack.h - one JSON object (a --jsonl line) packed as MessagePack:
 * parsed by Jansson, packed by msgpack-c.  Objects keep their key order,
 * strings are str, integers take msgpack-c's smallest encoding (int64 /
 * uint64; integers beyond 64 bits become float64), other numbers float64.
 *
 * Jansson because it is the strictest of the parsers Debian ships (it
 * validates UTF-8, rejects unpaired surrogates, control characters, leading
 * zeros, NaN and trailing text, as the JSON grammar does) and reports where
 * a line is wrong; json-c and yajl accept some of those or repair them
 * silently.  Its one gap, integers beyond long long, is closed in
 * json_pack.c.
 */
#ifndef FLB_HOST_JSON_PACK_H
#define FLB_HOST_JSON_PACK_H

#include <jansson.h>
#include <msgpack.h>
#include <stddef.h>

struct json_pack_error {
    int column;                          /* 1-based, in characters */
    char text[JSON_ERROR_TEXT_LENGTH];   /* Jansson's message */
};

/*
 * Parse text, which must hold one JSON object, and pack it.  Returns 0,
 * or -1 with err filled and nothing packed.  Duplicate keys are an error:
 * Jansson would keep only the last value, and MessagePack maps in Fluent Bit
 * may hold both, so neither silent choice would be faithful.
 */
int json_pack_object(msgpack_packer *pk, const char *text, size_t len,
                     struct json_pack_error *err);

#endif
