/*
 * json_pack.c - a JSON object to MessagePack, through Jansson and msgpack-c.
 *
 * Jansson holds integers in long long and fails the whole parse on an
 * integer token beyond it (json_error_numeric_overflow, positioned just
 * after the token), yet uint64 values such as 18446744073709551615 are
 * ordinary in Fluent Bit records.  Such "wide" tokens are taken out of a
 * copy of the line and the copy parsed again: the k-th one is overwritten by
 * the integer k, padded with spaces to its length so that every position
 * still matches the original line.  A second copy with null in their place
 * then tells which integers of the first parse stand for a wide token: the
 * two parses agree everywhere else.  The value is read from the original
 * text.
 */
#include "json_pack.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define LOAD_FLAGS (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL)

struct wide_token {
    size_t start;
    size_t len;
};

struct wide_tokens {
    const char *line;          /* the original text */
    struct wide_token *at;
    size_t count;
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * The integer token that made the parse fail, if that was the failure:
 * digits with an optional '-', ending at the error's position, that are
 * not the tail of a real such as 1e400 (also a numeric overflow).
 */
static int wide_token_at(const char *text, const json_error_t *e,
                         struct wide_token *tok)
{
    size_t end = (size_t) e->position;
    size_t start = end;

    if (json_error_code(e) != json_error_numeric_overflow) {
        return 0;
    }
    while (start > 0 && is_digit(text[start - 1])) {
        start--;
    }
    if (start == end) {
        return 0;
    }
    if (start > 0 && text[start - 1] == '-') {
        start--;
    }
    if (start > 0 && strchr(".eE+-0123456789", text[start - 1]) != NULL) {
        return 0;
    }
    tok->start = start;
    tok->len = end - start;
    return 1;
}

/* overwrite a token of copy with text, padded with spaces */
static void stand_in(char *copy, const struct wide_token *tok, const char *text)
{
    size_t n = strlen(text);

    memcpy(copy + tok->start, text, n);
    memset(copy + tok->start + n, ' ', tok->len - n);
}

/* parse the line with its wide integers replaced; NULL and *e on error */
static json_t *load_without_wide(const char *text, size_t len,
                                 struct wide_tokens *wide, json_t **twin,
                                 json_error_t *e)
{
    char *copy = xmalloc(len);
    json_t *root;
    size_t k;

    memcpy(copy, text, len);
    for (;;) {
        struct wide_token tok;
        char index[24];

        root = json_loadb(copy, len, LOAD_FLAGS, e);
        if (root != NULL || !wide_token_at(copy, e, &tok)) {
            break;
        }
        /* a wide token has at least 19 characters: its index always fits */
        snprintf(index, sizeof(index), "%zu", wide->count);
        stand_in(copy, &tok, index);
        wide->at = xrealloc(wide->at, (wide->count + 1) * sizeof(*wide->at));
        wide->at[wide->count++] = tok;
    }
    if (root != NULL) {
        for (k = 0; k < wide->count; k++) {
            stand_in(copy, &wide->at[k], "null");
        }
        *twin = json_loadb(copy, len, LOAD_FLAGS, e);
        if (*twin == NULL) {
            json_decref(root);
            root = NULL;
        }
    }
    free(copy);
    return root;
}

/* uint64 if it fits, otherwise (beyond 64 bits) the nearest float64 */
static void pack_wide(msgpack_packer *pk, const struct wide_tokens *wide,
                      json_int_t index)
{
    const struct wide_token *tok = &wide->at[index];
    char *text = xmalloc(tok->len + 1);
    unsigned long long u;

    memcpy(text, wide->line + tok->start, tok->len);
    text[tok->len] = '\0';
    errno = 0;
    u = strtoull(text, NULL, 10);
    if (text[0] != '-' && errno == 0) {
        msgpack_pack_uint64(pk, u);
    }
    else {
        msgpack_pack_double(pk, strtod(text, NULL));
    }
    free(text);
}

/* twin: the same value in the parse with null for wide integers, or NULL */
static void pack_value(msgpack_packer *pk, json_t *v, json_t *twin,
                       const struct wide_tokens *wide)
{
    const char *key;
    size_t key_len, i;
    json_t *item;

    switch (json_typeof(v)) {
    case JSON_OBJECT:
        msgpack_pack_map(pk, json_object_size(v));
        json_object_keylen_foreach(v, key, key_len, item) {
            msgpack_pack_str_with_body(pk, key, key_len);
            pack_value(pk, item, twin ? json_object_getn(twin, key, key_len) : NULL,
                       wide);
        }
        break;
    case JSON_ARRAY:
        msgpack_pack_array(pk, json_array_size(v));
        json_array_foreach(v, i, item) {
            pack_value(pk, item, twin ? json_array_get(twin, i) : NULL, wide);
        }
        break;
    case JSON_STRING:
        msgpack_pack_str_with_body(pk, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        if (twin != NULL && json_is_null(twin)) {
            pack_wide(pk, wide, json_integer_value(v));
        }
        else {
            msgpack_pack_int64(pk, json_integer_value(v));
        }
        break;
    case JSON_REAL:
        msgpack_pack_double(pk, json_real_value(v));
        break;
    case JSON_TRUE:
        msgpack_pack_true(pk);
        break;
    case JSON_FALSE:
        msgpack_pack_false(pk);
        break;
    case JSON_NULL:
        msgpack_pack_nil(pk);
        break;
    }
}

int json_pack_object(msgpack_packer *pk, const char *text, size_t len,
                     struct json_pack_error *err)
{
    struct wide_tokens wide = { text, NULL, 0 };
    json_t *twin = NULL;
    json_error_t e;
    json_t *root = load_without_wide(text, len, &wide, &twin, &e);
    int ret = -1;

    if (root == NULL) {
        err->column = e.column;
        snprintf(err->text, sizeof(err->text), "%s", e.text);
    }
    else if (!json_is_object(root)) {
        err->column = 1;
        snprintf(err->text, sizeof(err->text), "expected a JSON object");
    }
    else {
        pack_value(pk, root, twin, &wide);
        ret = 0;
    }
    free(wide.at);
    json_decref(twin);
    json_decref(root);
    return ret;
}
