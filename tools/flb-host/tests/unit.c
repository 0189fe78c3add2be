/*
 * unit.c - unit tests of flb-host's pure parts: the MessagePack writer and
 * walker, the JSON parser, /proc/stat parsing and the cpu percentages,
 * properties and log levels.  Run by `make check`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_stat.h"
#include "json.h"
#include "log.h"
#include "msgpack_read.h"
#include "msgpack_write.h"
#include "props.h"

static int failures;
static int checks;

#define CHECK(cond) do { \
    checks++; \
    if (!(cond)) { \
        failures++; \
        fprintf(stderr, "unit: FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    } \
} while (0)

static int bytes_eq(const struct mpbuf *b, const char *hex)
{
    size_t n = strlen(hex) / 2, i;

    if (b->len != n) {
        fprintf(stderr, "unit: length %zu, expected %zu\n", b->len, n);
        return 0;
    }
    for (i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        if (b->data[i] != v) {
            fprintf(stderr, "unit: byte %zu is %02x, expected %02x\n", i,
                    b->data[i], v);
            return 0;
        }
    }
    return 1;
}

static void test_writer(void)
{
    struct mpbuf b;
    size_t at;
    int i;

    mpb_init(&b);
    mp_write_uint(&b, 0); mp_write_uint(&b, 127); mp_write_uint(&b, 128);
    mp_write_uint(&b, 255); mp_write_uint(&b, 256); mp_write_uint(&b, 65535);
    mp_write_uint(&b, 65536); mp_write_uint(&b, 4294967295ULL);
    mp_write_uint(&b, 4294967296ULL);
    CHECK(bytes_eq(&b, "007fcc80ccffcd0100cdffffce00010000ceffffffff"
                       "cf0000000100000000"));
    b.len = 0;
    mp_write_int(&b, -1); mp_write_int(&b, -32); mp_write_int(&b, -33);
    mp_write_int(&b, -128); mp_write_int(&b, -129); mp_write_int(&b, -32769);
    mp_write_int(&b, INT64_MIN); mp_write_int(&b, 5);
    CHECK(bytes_eq(&b, "ffe0d0dfd080d1ff7fd2ffff7fffd38000000000000000" "05"));
    b.len = 0;
    mp_write_double(&b, 1.5); mp_write_nil(&b); mp_write_bool(&b, 1);
    mp_write_bool(&b, 0);
    CHECK(bytes_eq(&b, "cb3ff8000000000000c0c3c2"));
    b.len = 0;
    mp_write_eventtime(&b, 0x6b06a7d4, 0x04610dae);
    CHECK(bytes_eq(&b, "d7006b06a7d404610dae"));
    b.len = 0;
    mp_write_event_start(&b, 1, 2);
    CHECK(bytes_eq(&b, "9292d700000000010000000280"));
    b.len = 0;
    mp_write_str(&b, "abc", 3);
    CHECK(bytes_eq(&b, "a3616263"));
    b.len = 0;
    {
        char s[40];
        memset(s, 'x', sizeof(s));
        mp_write_str(&b, s, 32);
        CHECK(b.len == 34 && b.data[0] == 0xd9 && b.data[1] == 32);
    }
    /* containers patched afterwards: fixmap, array16 */
    b.len = 0;
    at = mp_container_begin(&b);
    mp_write_str(&b, "k", 1);
    mp_write_uint(&b, 1);
    mp_container_end(&b, at, 1, 1);
    CHECK(bytes_eq(&b, "81a16b01"));
    b.len = 0;
    at = mp_container_begin(&b);
    for (i = 0; i < 16; i++) {
        mp_write_uint(&b, 1);
    }
    mp_container_end(&b, at, 0, 16);
    CHECK(b.len == 19 && b.data[0] == 0xdc && b.data[1] == 0 && b.data[2] == 16 &&
          b.data[3] == 1 && b.data[18] == 1);
    mpb_free(&b);
}

static void test_walker(void)
{
    /* two v2 events and one legacy event */
    static const unsigned char ok[] = {
        0x92, 0x92, 0xd7, 0x00, 0, 0, 0, 1, 0, 0, 0, 2, 0x80, 0x81, 0xa1, 'a', 0x01,
        0x92, 0x92, 0xd7, 0x00, 0, 0, 0, 1, 0, 0, 0, 2, 0x80, 0x80,
        0x92, 0xce, 0x65, 0x53, 0xf1, 0x00, 0x80
    };
    struct mp_event_count c;
    size_t pos = 0;

    mp_count_events(ok, sizeof(ok), &c);
    CHECK(c.events == 3 && !c.malformed && c.not_pairs == 0);
    mp_count_events(ok, sizeof(ok) - 1, &c);
    CHECK(c.events == 2 && c.malformed && c.bad_offset == 31);
    {
        static const unsigned char bad[] = { 0x01, 0xc1 };
        mp_count_events(bad, sizeof(bad), &c);
        CHECK(c.events == 1 && c.not_pairs == 1 && c.malformed && c.bad_offset == 1);
    }
    {
        /* a map32 announcing 2^32-1 entries in 5 bytes must fail fast */
        static const unsigned char huge[] = { 0xdf, 0xff, 0xff, 0xff, 0xff };
        CHECK(mp_skip(huge, sizeof(huge), &pos) == -1);
    }
    {
        static const unsigned char str8[] = { 0xd9, 0x03, 'a', 'b', 'c', 0xc0 };
        pos = 0;
        CHECK(mp_skip(str8, sizeof(str8), &pos) == 0 && pos == 5);
    }
}

static int json_hex(const char *json, const char *hex)
{
    struct mpbuf b;
    struct json_error err;
    int ok;

    mpb_init(&b);
    if (json_object_to_msgpack(json, strlen(json), &b, &err) != 0) {
        fprintf(stderr, "unit: json error for %s: %s at %zu\n", json,
                err.message, err.column);
        mpb_free(&b);
        return 0;
    }
    ok = bytes_eq(&b, hex);
    mpb_free(&b);
    return ok;
}

static int json_error_at(const char *json, size_t column)
{
    struct mpbuf b;
    struct json_error err;
    int ret;

    mpb_init(&b);
    ret = json_object_to_msgpack(json, strlen(json), &b, &err);
    mpb_free(&b);
    if (ret == 0) {
        fprintf(stderr, "unit: %s parsed but should not\n", json);
        return 0;
    }
    if (err.column != column) {
        fprintf(stderr, "unit: %s: error '%s' at column %zu, expected %zu\n",
                json, err.message, err.column, column);
        return 0;
    }
    return 1;
}

static void test_json(void)
{
    CHECK(json_hex("{}", "80"));
    CHECK(json_hex(" { \"a\" : 1 } ", "81a16101"));
    CHECK(json_hex("{\"a\":[true,false,null]}", "81a16193c3c2c0"));
    CHECK(json_hex("{\"a\":-1,\"b\":-129}", "82a161ffa162d1ff7f"));
    CHECK(json_hex("{\"u\":18446744073709551615}", "81a175cfffffffffffffffff"));
    CHECK(json_hex("{\"i\":-9223372036854775808}", "81a169d38000000000000000"));
    CHECK(json_hex("{\"f\":1.5}", "81a166cb3ff8000000000000"));
    CHECK(json_hex("{\"f\":1e0}", "81a166cb3ff0000000000000"));
    /* beyond 64 bits: float64 */
    CHECK(json_hex("{\"b\":18446744073709551616}", "81a162cb43f0000000000000"));
    CHECK(json_hex("{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "81a173a8225c2f080c0a0d09"));
    CHECK(json_hex("{\"s\":\"\\u00e9\"}", "81a173a2c3a9"));
    CHECK(json_hex("{\"s\":\"\\u20AC\"}", "81a173a3e282ac"));
    CHECK(json_hex("{\"s\":\"\\ud83d\\ude00\"}", "81a173a4f09f9880"));
    CHECK(json_hex("{\"s\":\"\xc3\xa9\"}", "81a173a2c3a9"));
    CHECK(json_hex("{\"o\":{\"p\":{}}}", "81a16f81a17080"));

    CHECK(json_error_at("", 1));
    CHECK(json_error_at("[1]", 1));
    CHECK(json_error_at("{\"a\":01}", 7));
    CHECK(json_error_at("{\"a\":1,}", 8));
    CHECK(json_error_at("{\"a\":1} x", 9));
    CHECK(json_error_at("{\"a\":tru}", 6));
    CHECK(json_error_at("{\"a\":\"\\ude00\"}", 7));
    CHECK(json_error_at("{\"a\":\"\\ud83dx\"}", 13));
    CHECK(json_error_at("{\"a\":\"\\x\"}", 8));
    CHECK(json_error_at("{\"a\":\"tab\there\"}", 10));
    CHECK(json_error_at("{\"a\":1.}", 8));
    CHECK(json_error_at("{\"a\":-}", 7));
    CHECK(json_error_at("{a:1}", 2));
    CHECK(json_error_at("{\"a\" 1}", 6));
    CHECK(json_error_at("{\"a\":\"abc", 10));
}

static void test_cpu(void)
{
    static const char stat1[] =
        "cpu  100 10 50 1000 5 0 0 0 0 0\n"
        "cpu0 50 5 25 500 2 0 0 0 0 0\n"
        "cpu1 50 5 25 500 3 0 0 0 0 0\n"
        "intr 1 2 3\n";
    static const char stat2[] =
        "cpu  102 10 51 1100 5 0 0 0 0 0\n"
        "cpu0 52 5 25 550 2 0 0 0 0 0\n"
        "cpu1 50 5 26 550 3 0 0 0 0 0\n";
    struct cpu_times a[3], b[3];
    struct cpu_percent p[3];
    struct mpbuf mb;
    struct mp_event_count c;

    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    CHECK(cpu_stat_parse(stat1, a, 2) == 2);
    CHECK(a[0].user == 100 && a[0].nice == 10 && a[0].system == 50);
    CHECK(a[2].user == 50 && a[2].system == 25);
    CHECK(cpu_stat_parse(stat2, b, 2) == 2);
    CHECK(cpu_stat_parse("intr 1\n", b, 2) == -1);

    cpu_stat_compute(a, b, 2, 100, 1.0, p);
    /* system-wide: 3 ticks of 100/s over 2 cpus in 1 s = 1.5 % */
    CHECK(p[0].cpu == 1.5 && p[0].user == 1.0 && p[0].system == 0.5);
    CHECK(p[1].cpu == 2.0 && p[1].user == 2.0 && p[1].system == 0.0);
    CHECK(p[2].cpu == 1.0 && p[2].user == 0.0 && p[2].system == 1.0);

    /* the interval divides, as Fluent Bit's interval_sec + 1e-9 * nsec */
    cpu_stat_compute(a, b, 2, 100, 0 + 1e-9 * 200000000, p);
    CHECK(fabs(p[0].cpu - 7.5) < 1e-9 && fabs(p[1].cpu - 10.0) < 1e-9);
    CHECK(p[0].cpu == ((3.0 / 100) * 100) / 2 / (0 + 1e-9 * 200000000));

    mpb_init(&mb);
    cpu_stat_encode(&mb, 1, 2, p, 2);
    mp_count_events(mb.data, mb.len, &c);
    CHECK(c.events == 1 && !c.malformed && c.not_pairs == 0);
    /* header, then map of 9 starting with "cpu_p" float64 */
    CHECK(mb.len > 20 && mb.data[13] == 0x89 && mb.data[14] == 0xa5 &&
          memcmp(mb.data + 15, "cpu_p", 5) == 0 && mb.data[20] == 0xcb);
    mpb_free(&mb);
}

static void test_props(void)
{
    struct props p;
    const char *err;

    memset(&p, 0, sizeof(p));
    setenv("FLB_HOST_UNIT_VAR", "expanded", 1);
    unsetenv("FLB_HOST_UNIT_UNSET");
    CHECK(props_add_text(&p, "Foo=one", &err) == 0);
    CHECK(props_add_text(&p, "foo=two", &err) == 0);
    CHECK(props_add_text(&p, "empty=", &err) == 0);
    CHECK(props_add_text(&p, "env=a-${FLB_HOST_UNIT_VAR}-${FLB_HOST_UNIT_UNSET}-b", &err) == 0);
    CHECK(props_add_text(&p, "workers=2", &err) == 0);
    CHECK(props_add_text(&p, "workers=3", &err) == 0);
    CHECK(props_add_text(&p, "Tls.Verify=off", &err) == 0);
    CHECK(props_add_text(&p, "eq=a=b", &err) == 0);
    CHECK(props_add_text(&p, "noequals", &err) == -1);
    CHECK(props_add_text(&p, "=x", &err) == -1);

    CHECK(strcmp(props_get_for_plugin(&p, "FOO"), "one") == 0);
    CHECK(props_get_for_plugin(&p, "empty") == NULL);
    CHECK(props_has(&p, "empty"));
    CHECK(strcmp(props_get_for_plugin(&p, "env"), "a-expanded--b") == 0);
    CHECK(strcmp(props_get_for_plugin(&p, "eq"), "a=b") == 0);
    CHECK(props_get_for_plugin(&p, "workers") == NULL);
    CHECK(strcmp(props_get_last(&p, "workers"), "3") == 0);
    CHECK(props_get_for_plugin(&p, "tls.verify") == NULL);
    CHECK(props_get_for_plugin(&p, "missing") == NULL);

    CHECK(props_key_withheld("match") && props_key_withheld("Match_Regex") &&
          props_key_withheld("alias") && props_key_withheld("log_level") &&
          props_key_withheld("log_suppress_interval") && props_key_withheld("host") &&
          props_key_withheld("port") && props_key_withheld("retry_limit") &&
          props_key_withheld("workers") && props_key_withheld("storage.total_limit_size") &&
          props_key_withheld("tls") && props_key_withheld("tls.anything") &&
          props_key_withheld("net.keepalive"));
    CHECK(!props_key_withheld("http_port") && !props_key_withheld("tlsx") &&
          !props_key_withheld("hostname"));
    props_free(&p);
}

static void test_levels(void)
{
    CHECK(log_level_parse("error") == 1 && log_level_parse("warn") == 2 &&
          log_level_parse("Warning") == 2 && log_level_parse("INFO") == 3 &&
          log_level_parse("debug") == 4 && log_level_parse("trace") == 5 &&
          log_level_parse("off") == 0 && log_level_parse("loud") == -1);
    CHECK(strcmp(log_level_name(1), "error") == 0 && log_level_name(6) == NULL);
}

int main(void)
{
    test_writer();
    test_walker();
    test_json();
    test_cpu();
    test_props();
    test_levels();
    if (failures > 0) {
        fprintf(stderr, "unit: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("unit: all %d checks passed\n", checks);
    return 0;
}
