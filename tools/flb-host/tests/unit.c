/*
 * unit.c - unit tests of flb-host's pure parts: the event header and event
 * count, /proc/stat parsing and the cpu percentages, properties and log
 * level names.  Run by `make check`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_stat.h"
#include "event.h"
#include "log.h"
#include "props.h"
#include "util.h"

static int failures;
static int checks;

#define CHECK(cond) do { \
    checks++; \
    if (!(cond)) { \
        failures++; \
        fprintf(stderr, "unit: FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    } \
} while (0)

struct packed {
    msgpack_sbuffer sb;
    msgpack_packer pk;
};

static void packed_init(struct packed *p)
{
    msgpack_sbuffer_init(&p->sb);
    msgpack_packer_init(&p->pk, &p->sb, msgpack_sbuffer_write);
}

static int bytes_eq(const struct packed *p, const char *hex)
{
    size_t n = strlen(hex) / 2, i;

    if (p->sb.size != n) {
        fprintf(stderr, "unit: length %zu, expected %zu\n", p->sb.size, n);
        return 0;
    }
    for (i = 0; i < n; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        if ((unsigned char) p->sb.data[i] != v) {
            fprintf(stderr, "unit: byte %zu is %02x, expected %02x\n", i,
                    (unsigned char) p->sb.data[i], v);
            return 0;
        }
    }
    return 1;
}

static void test_event_header(void)
{
    struct packed p;

    packed_init(&p);
    event_pack_encoder_header(&p.pk, 1, 2, 9);
    CHECK(bytes_eq(&p, "9292d7000000000100000002df00000000df00000009"));
    msgpack_sbuffer_destroy(&p.sb);
}

static void test_event_count(void)
{
    /* two v2 events and one legacy event */
    static const unsigned char ok[] = {
        0x92, 0x92, 0xd7, 0x00, 0, 0, 0, 1, 0, 0, 0, 2, 0x80, 0x81, 0xa1, 'a', 0x01,
        0x92, 0x92, 0xd7, 0x00, 0, 0, 0, 1, 0, 0, 0, 2, 0x80, 0x80,
        0x92, 0xce, 0x65, 0x53, 0xf1, 0x00, 0x80
    };
    struct event_count c;

    event_count(ok, sizeof(ok), &c);
    CHECK(c.events == 3 && !c.malformed);
    event_count(ok, sizeof(ok) - 1, &c);
    CHECK(c.events == 2 && c.malformed && c.bad_offset == 31);
    {
        static const unsigned char bad[] = { 0x01, 0xc1 };
        event_count(bad, sizeof(bad), &c);
        CHECK(c.events == 1 && c.malformed && c.bad_offset == 1);
    }
    {
        /* a map32 announcing 2^32-1 entries in 5 bytes must fail, not wait */
        static const unsigned char huge[] = { 0xdf, 0xff, 0xff, 0xff, 0xff };
        event_count(huge, sizeof(huge), &c);
        CHECK(c.events == 0 && c.malformed && c.bad_offset == 0);
    }
    {
        static const unsigned char str8[] = { 0xd9, 0x03, 'a', 'b', 'c', 0xc0 };
        event_count(str8, sizeof(str8), &c);
        CHECK(c.events == 2 && !c.malformed);
    }
}

static void test_cpu(const char *vectors)
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
    struct packed mb;
    struct event_count c;

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

    packed_init(&mb);
    cpu_stat_encode(&mb.pk, 1, 2, p, 2);
    event_count(mb.sb.data, mb.sb.size, &c);
    CHECK(c.events == 1 && !c.malformed);
    msgpack_sbuffer_destroy(&mb.sb);

    /* byte for byte the first chunk of Fluent Bit's cpu input on 2 cores
     * (every value 0.0), given its time */
    {
        char path[4096];
        size_t size = 0;
        char *real;

        snprintf(path, sizeof(path), "%s/cpu/0000.msgpack", vectors);
        real = read_file(path, &size);
        CHECK(real != NULL);
        memset(p, 0, sizeof(p));
        packed_init(&mb);
        cpu_stat_encode(&mb.pk, 0x6b06a7d4, 0x04610dae, p, 2);
        CHECK(real != NULL && mb.sb.size == size && memcmp(mb.sb.data, real, size) == 0);
        msgpack_sbuffer_destroy(&mb.sb);
        free(real);
    }
}

static void test_props(void)
{
    struct props p;
    const char *err;

    memset(&p, 0, sizeof(p));
    CHECK(props_add_text(&p, "Foo=one", &err) == 0);
    CHECK(props_add_text(&p, "foo=two", &err) == 0);
    CHECK(props_add_text(&p, "empty=", &err) == 0);
    CHECK(props_add_text(&p, "env=${NOT_EXPANDED}", &err) == 0);
    CHECK(props_add_text(&p, "workers=2", &err) == 0);
    CHECK(props_add_text(&p, "workers=3", &err) == 0);
    CHECK(props_add_text(&p, "Tls.Verify=off", &err) == 0);
    CHECK(props_add_text(&p, "eq=a=b", &err) == 0);
    CHECK(props_add_text(&p, "noequals", &err) == -1);
    CHECK(props_add_text(&p, "=x", &err) == -1);

    CHECK(strcmp(props_get_for_plugin(&p, "FOO"), "one") == 0);
    CHECK(props_get_for_plugin(&p, "empty") == NULL);
    CHECK(strcmp(props_get_for_plugin(&p, "env"), "${NOT_EXPANDED}") == 0);
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
    CHECK(strcmp(log_level_name(1), "error") == 0 && log_level_name(6) == NULL);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: unit-tests VECTORS_DIR (the repository's tests/vectors)\n");
        return 2;
    }
    test_event_header();
    test_event_count();
    test_cpu(argv[1]);
    test_props();
    test_levels();
    if (failures > 0) {
        fprintf(stderr, "unit: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("unit: all %d checks passed\n", checks);
    return 0;
}
