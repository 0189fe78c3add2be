/*
 * json.c - JSON text to MessagePack, in one pass.
 */
#include "json.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_DEPTH 512

struct parser {
    const char *s;
    size_t len;
    size_t pos;
    int depth;
    struct mpbuf *out;
    const char *err;
    size_t err_pos;
    char *scratch;          /* decoded string bytes */
    size_t scratch_cap;
};

static int fail(struct parser *p, const char *msg)
{
    if (p->err == NULL) {
        p->err = msg;
        p->err_pos = p->pos;
    }
    return -1;
}

static void skip_ws(struct parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
        p->pos++;
    }
}

static int peek(struct parser *p)
{
    return p->pos < p->len ? (unsigned char) p->s[p->pos] : -1;
}

static int value(struct parser *p);

static int literal(struct parser *p, const char *word)
{
    size_t n = strlen(word);

    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0) {
        return fail(p, "invalid literal");
    }
    p->pos += n;
    return 0;
}

static int hex4(struct parser *p, unsigned *out)
{
    unsigned v = 0;
    int i;

    if (p->len - p->pos < 4) {
        return fail(p, "truncated \\u escape");
    }
    for (i = 0; i < 4; i++) {
        char c = p->s[p->pos + (size_t) i];
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= (unsigned) (c - '0');
        }
        else if (c >= 'a' && c <= 'f') {
            v |= (unsigned) (c - 'a' + 10);
        }
        else if (c >= 'A' && c <= 'F') {
            v |= (unsigned) (c - 'A' + 10);
        }
        else {
            return fail(p, "invalid \\u escape");
        }
    }
    p->pos += 4;
    *out = v;
    return 0;
}

static void scratch_put(struct parser *p, size_t *n, const char *bytes, size_t count)
{
    if (p->scratch_cap - *n < count) {
        size_t cap = p->scratch_cap ? p->scratch_cap : 64;
        while (cap - *n < count) {
            cap *= 2;
        }
        p->scratch = xrealloc(p->scratch, cap);
        p->scratch_cap = cap;
    }
    memcpy(p->scratch + *n, bytes, count);
    *n += count;
}

static void put_utf8(struct parser *p, size_t *n, unsigned cp)
{
    char u[4];
    size_t k;

    if (cp < 0x80) {
        u[0] = (char) cp;
        k = 1;
    }
    else if (cp < 0x800) {
        u[0] = (char) (0xc0 | (cp >> 6));
        u[1] = (char) (0x80 | (cp & 0x3f));
        k = 2;
    }
    else if (cp < 0x10000) {
        u[0] = (char) (0xe0 | (cp >> 12));
        u[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char) (0x80 | (cp & 0x3f));
        k = 3;
    }
    else {
        u[0] = (char) (0xf0 | (cp >> 18));
        u[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char) (0x80 | (cp & 0x3f));
        k = 4;
    }
    scratch_put(p, n, u, k);
}

/* a string at p->pos (on the opening quote), written as a msgpack str */
static int string(struct parser *p)
{
    size_t n = 0;

    p->pos++;   /* opening quote */
    for (;;) {
        size_t start = p->pos;
        char c;

        /* copy a run of plain bytes at once */
        while (p->pos < p->len) {
            c = p->s[p->pos];
            if (c == '"' || c == '\\' || (unsigned char) c < 0x20) {
                break;
            }
            p->pos++;
        }
        if (p->pos > start) {
            scratch_put(p, &n, p->s + start, p->pos - start);
        }
        if (p->pos >= p->len) {
            return fail(p, "unterminated string");
        }
        c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            mp_write_str(p->out, p->scratch, n);
            return 0;
        }
        if (c != '\\') {
            return fail(p, "control character in string");
        }
        p->pos++;
        if (p->pos >= p->len) {
            return fail(p, "unterminated string");
        }
        c = p->s[p->pos++];
        switch (c) {
        case '"':  scratch_put(p, &n, "\"", 1); break;
        case '\\': scratch_put(p, &n, "\\", 1); break;
        case '/':  scratch_put(p, &n, "/", 1); break;
        case 'b':  scratch_put(p, &n, "\b", 1); break;
        case 'f':  scratch_put(p, &n, "\f", 1); break;
        case 'n':  scratch_put(p, &n, "\n", 1); break;
        case 'r':  scratch_put(p, &n, "\r", 1); break;
        case 't':  scratch_put(p, &n, "\t", 1); break;
        case 'u': {
            unsigned cp;
            if (hex4(p, &cp) != 0) {
                return -1;
            }
            if (cp >= 0xdc00 && cp <= 0xdfff) {
                p->pos -= 6;
                return fail(p, "unpaired low surrogate in \\u escape");
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                unsigned lo;
                if (p->len - p->pos < 2 || p->s[p->pos] != '\\' ||
                    p->s[p->pos + 1] != 'u') {
                    return fail(p, "high surrogate not followed by a \\u low surrogate");
                }
                p->pos += 2;
                if (hex4(p, &lo) != 0) {
                    return -1;
                }
                if (lo < 0xdc00 || lo > 0xdfff) {
                    p->pos -= 6;
                    return fail(p, "high surrogate not followed by a low surrogate");
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }
            put_utf8(p, &n, cp);
            break;
        }
        default:
            p->pos--;
            return fail(p, "invalid escape in string");
        }
    }
}

static int digits(struct parser *p)
{
    size_t start = p->pos;

    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        p->pos++;
    }
    return p->pos > start ? 0 : -1;
}

static int number(struct parser *p)
{
    size_t start = p->pos;
    int negative = 0;
    int integral = 1;
    char small[64];
    char *text = small;
    size_t n;

    if (peek(p) == '-') {
        negative = 1;
        p->pos++;
    }
    if (peek(p) == '0') {
        p->pos++;
        if (peek(p) >= '0' && peek(p) <= '9') {
            return fail(p, "leading zero in number");
        }
    }
    else if (digits(p) != 0) {
        return fail(p, "invalid number");
    }
    if (peek(p) == '.') {
        integral = 0;
        p->pos++;
        if (digits(p) != 0) {
            return fail(p, "expected digits after the decimal point");
        }
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        integral = 0;
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-') {
            p->pos++;
        }
        if (digits(p) != 0) {
            return fail(p, "expected digits in the exponent");
        }
    }

    n = p->pos - start;
    if (n + 1 > sizeof(small)) {
        text = xmalloc(n + 1);
    }
    memcpy(text, p->s + start, n);
    text[n] = '\0';

    errno = 0;
    if (integral && negative) {
        long long v = strtoll(text, NULL, 10);
        if (errno == 0) {
            mp_write_int(p->out, (int64_t) v);
        }
    }
    else if (integral) {
        unsigned long long v = strtoull(text, NULL, 10);
        if (errno == 0) {
            mp_write_uint(p->out, (uint64_t) v);
        }
    }
    if (!integral || errno != 0) {
        /* a float, or an integer beyond 64 bits */
        errno = 0;
        mp_write_double(p->out, strtod(text, NULL));
    }
    if (text != small) {
        free(text);
    }
    return 0;
}

static int array(struct parser *p)
{
    size_t at = mp_container_begin(p->out);
    uint32_t count = 0;

    p->pos++;   /* [ */
    skip_ws(p);
    if (peek(p) == ']') {
        p->pos++;
        mp_container_end(p->out, at, 0, 0);
        return 0;
    }
    for (;;) {
        if (value(p) != 0) {
            return -1;
        }
        count++;
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p) == ']') {
            p->pos++;
            break;
        }
        return fail(p, "expected ',' or ']' in array");
    }
    mp_container_end(p->out, at, 0, count);
    return 0;
}

static int object(struct parser *p)
{
    size_t at = mp_container_begin(p->out);
    uint32_t count = 0;

    p->pos++;   /* { */
    skip_ws(p);
    if (peek(p) == '}') {
        p->pos++;
        mp_container_end(p->out, at, 1, 0);
        return 0;
    }
    for (;;) {
        skip_ws(p);
        if (peek(p) != '"') {
            return fail(p, "expected a string key in object");
        }
        if (string(p) != 0) {
            return -1;
        }
        skip_ws(p);
        if (peek(p) != ':') {
            return fail(p, "expected ':' after object key");
        }
        p->pos++;
        if (value(p) != 0) {
            return -1;
        }
        count++;
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p) == '}') {
            p->pos++;
            break;
        }
        return fail(p, "expected ',' or '}' in object");
    }
    mp_container_end(p->out, at, 1, count);
    return 0;
}

static int value(struct parser *p)
{
    int c;
    int ret;

    skip_ws(p);
    c = peek(p);
    switch (c) {
    case '{':
    case '[':
        if (++p->depth > MAX_DEPTH) {
            return fail(p, "nesting too deep");
        }
        ret = c == '{' ? object(p) : array(p);
        p->depth--;
        return ret;
    case '"':
        return string(p);
    case 't':
        if (literal(p, "true") != 0) {
            return -1;
        }
        mp_write_bool(p->out, 1);
        return 0;
    case 'f':
        if (literal(p, "false") != 0) {
            return -1;
        }
        mp_write_bool(p->out, 0);
        return 0;
    case 'n':
        if (literal(p, "null") != 0) {
            return -1;
        }
        mp_write_nil(p->out);
        return 0;
    case -1:
        return fail(p, "unexpected end of input");
    default:
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number(p);
        }
        return fail(p, "unexpected character");
    }
}

int json_object_to_msgpack(const char *text, size_t len, struct mpbuf *out,
                           struct json_error *err)
{
    struct parser p;
    int ret;

    memset(&p, 0, sizeof(p));
    p.s = text;
    p.len = len;
    p.out = out;

    skip_ws(&p);
    if (peek(&p) != '{') {
        ret = fail(&p, "expected a JSON object");
    }
    else {
        ret = value(&p);
        if (ret == 0) {
            skip_ws(&p);
            if (p.pos != p.len) {
                ret = fail(&p, "unexpected text after the object");
            }
        }
    }
    free(p.scratch);
    if (ret != 0) {
        err->message = p.err ? p.err : "invalid JSON";
        err->column = p.err_pos + 1;
    }
    return ret;
}
