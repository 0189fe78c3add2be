/*
 * unit.c - unit tests of flb-host's pure parts: the event header and event
 * count, JSON lines packed as MessagePack, /proc/stat parsing and the cpu
 * percentages, properties and log levels, config maps (the checks at
 * registration and Fluent Bit's property check).  Run by `make check`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_map.h"
#include "cpu_stat.h"
#include "event.h"
#include "json_pack.h"
#include "log.h"
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
    event_pack_header(&p.pk, 0x6b06a7d4, 0x04610dae);
    CHECK(bytes_eq(&p, "9292d7006b06a7d404610dae80"));
    p.sb.size = 0;
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
    CHECK(c.events == 3 && !c.malformed && c.not_pairs == 0);
    event_count(ok, sizeof(ok) - 1, &c);
    CHECK(c.events == 2 && c.malformed && c.bad_offset == 31);
    {
        static const unsigned char bad[] = { 0x01, 0xc1 };
        event_count(bad, sizeof(bad), &c);
        CHECK(c.events == 1 && c.not_pairs == 1 && c.malformed && c.bad_offset == 1);
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
        CHECK(c.events == 2 && c.not_pairs == 2 && !c.malformed);
    }
}

static int json_hex(const char *json, const char *hex)
{
    struct packed p;
    struct json_pack_error err;
    int ok;

    packed_init(&p);
    if (json_pack_object(&p.pk, json, strlen(json), &err) != 0) {
        fprintf(stderr, "unit: json error for %s: %s at %d\n", json, err.text,
                err.column);
        msgpack_sbuffer_destroy(&p.sb);
        return 0;
    }
    ok = bytes_eq(&p, hex);
    msgpack_sbuffer_destroy(&p.sb);
    return ok;
}

/* json must fail at column, with a message containing what */
static int json_error_at(const char *json, int column, const char *what)
{
    struct packed p;
    struct json_pack_error err;
    int ret;

    packed_init(&p);
    ret = json_pack_object(&p.pk, json, strlen(json), &err);
    if (ret == 0) {
        fprintf(stderr, "unit: %s parsed but should not\n", json);
        msgpack_sbuffer_destroy(&p.sb);
        return 0;
    }
    if (p.sb.size != 0) {
        fprintf(stderr, "unit: %s: a failed line packed %zu bytes\n", json, p.sb.size);
        ret = 0;
    }
    msgpack_sbuffer_destroy(&p.sb);
    if (err.column != column || strstr(err.text, what) == NULL) {
        fprintf(stderr, "unit: %s: error '%s' at column %d, expected '%s' at %d\n",
                json, err.text, err.column, what, column);
        return 0;
    }
    return ret != 0;
}

static void test_json(void)
{
    CHECK(json_hex("{}", "80"));
    CHECK(json_hex(" { \"a\" : 1 } ", "81a16101"));
    CHECK(json_hex("{\"a\":[true,false,null]}", "81a16193c3c2c0"));
    /* the smallest width, as msgpack-c and so Fluent Bit choose it */
    CHECK(json_hex("{\"a\":[0,127,128,255,256,65535,65536,4294967295,4294967296]}",
                   "81a16199007fcc80ccffcd0100cdffffce00010000ceffffffff"
                   "cf0000000100000000"));
    CHECK(json_hex("{\"a\":[-1,-32,-33,-128,-129,-32769]}",
                   "81a16196ffe0d0dfd080d1ff7fd2ffff7fff"));
    CHECK(json_hex("{\"a\":-1,\"b\":-129}", "82a161ffa162d1ff7f"));
    CHECK(json_hex("{\"u\":18446744073709551615}", "81a175cfffffffffffffffff"));
    CHECK(json_hex("{\"u\":9223372036854775808}", "81a175cf8000000000000000"));
    CHECK(json_hex("{\"i\":-9223372036854775808}", "81a169d38000000000000000"));
    CHECK(json_hex("{\"f\":1.5}", "81a166cb3ff8000000000000"));
    CHECK(json_hex("{\"f\":1e0}", "81a166cb3ff0000000000000"));
    CHECK(json_hex("{\"f\":0.0}", "81a166cb0000000000000000"));
    /* beyond 64 bits: float64 */
    CHECK(json_hex("{\"b\":18446744073709551616}", "81a162cb43f0000000000000"));
    CHECK(json_hex("{\"b\":-9223372036854775809}", "81a162cbc3e0000000000000"));
    /* wide integers among ordinary values that look like their stand-ins */
    CHECK(json_hex("{\"a\":0,\"b\":[null,18446744073709551615,1],"
                   "\"c\":{\"d\":18446744073709551614},\"e\":0}",
                   "84a16100a16293c0cfffffffffffffffff01"
                   "a16381a164cffffffffffffffffea16500"));
    /* key order is kept */
    CHECK(json_hex("{\"z\":1,\"a\":2,\"m\":3}", "83a17a01a16102a16d03"));
    CHECK(json_hex("{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "81a173a8225c2f080c0a0d09"));
    CHECK(json_hex("{\"s\":\"\\u00e9\"}", "81a173a2c3a9"));
    CHECK(json_hex("{\"s\":\"\\u20AC\"}", "81a173a3e282ac"));
    CHECK(json_hex("{\"s\":\"\\ud83d\\ude00\"}", "81a173a4f09f9880"));
    CHECK(json_hex("{\"s\":\"\xc3\xa9\"}", "81a173a2c3a9"));
    CHECK(json_hex("{\"s\":\"a\\u0000b\"}", "81a173a3610062"));
    CHECK(json_hex("{\"o\":{\"p\":{}}}", "81a16f81a17080"));
    {
        /* str8 from 32 bytes: str, never bin */
        char json[64];
        snprintf(json, sizeof(json), "{\"s\":\"%s\"}", "0123456789abcdef0123456789abcdef");
        CHECK(json_hex(json, "81a173d9203031323334353637383961626364656630313233343536373839616263646566"));
    }

    CHECK(json_error_at("[1]", 1, "expected a JSON object"));
    CHECK(json_error_at("{\"a\":01}", 6, "invalid token"));
    CHECK(json_error_at("{\"a\":1,}", 8, "string or '}' expected"));
    CHECK(json_error_at("{\"a\":1} x", 9, "end of file expected"));
    CHECK(json_error_at("{\"a\":tru}", 8, "invalid token"));
    CHECK(json_error_at("{\"a\":\"\\ude00\"}", 13, "invalid Unicode"));
    CHECK(json_error_at("{\"a\":\"\\ud83dx\"}", 14, "invalid Unicode"));
    CHECK(json_error_at("{\"a\":\"\\x\"}", 8, "invalid escape"));
    CHECK(json_error_at("{\"a\":\"tab\there\"}", 9, "control character"));
    CHECK(json_error_at("{\"a\":1.}", 7, "invalid token"));
    CHECK(json_error_at("{\"a\":-}", 6, "invalid token"));
    CHECK(json_error_at("{a:1}", 2, "string or '}' expected"));
    CHECK(json_error_at("{\"a\" 1}", 6, "':' expected"));
    CHECK(json_error_at("{\"a\":\"abc", 9, "premature end of input"));
    CHECK(json_error_at("{\"a\":1,\"a\":2}", 10, "duplicate object key"));
    CHECK(json_error_at("{\"a\":NaN}", 8, "invalid token"));
    CHECK(json_error_at("{\"a\":\"\xff\"}", 6, "unable to decode byte 0xff"));
    /* a real beyond float64 is no wide integer */
    CHECK(json_error_at("{\"a\":1e400}", 10, "real number overflow"));
    /* an error after a wide integer is still found, at the right place */
    CHECK(json_error_at("{\"a\":18446744073709551615,\"b\":tru}", 33, "invalid token"));
}

/* the whole of a file, or NULL */
static char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long n;

    if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
        fseek(f, 0, SEEK_SET) == 0) {
        data = malloc((size_t) n);
        if (data != NULL && fread(data, 1, (size_t) n, f) != (size_t) n) {
            free(data);
            data = NULL;
        }
        *size = (size_t) n;
    }
    if (f != NULL) {
        fclose(f);
    }
    return data;
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
    CHECK(c.events == 1 && !c.malformed && c.not_pairs == 0);
    msgpack_sbuffer_destroy(&mb.sb);

    /* byte for byte the first chunk of Fluent Bit's cpu input on 2 cores
     * (every value 0.0), given its time */
    {
        char path[4096];
        size_t size = 0;
        char *real;

        snprintf(path, sizeof(path), "%s/cpu/0000.msgpack", vectors);
        real = read_all(path, &size);
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

static void test_diverted(void)
{
    /* diverted whatever the value */
    CHECK(props_key_diverted("match", 0) && props_key_diverted("Host", 0) &&
          props_key_diverted("port", 0) && props_key_diverted("retry_limit", 0) &&
          props_key_diverted("tls.ca_file", 0) && props_key_diverted("tls.proxy.ca_path", 1));
    /* only with a value */
    CHECK(props_key_diverted("workers", 1) && !props_key_diverted("workers", 0));
    CHECK(props_key_diverted("log_level", 1) && !props_key_diverted("log_level", 0));
    CHECK(props_key_diverted("tls", 1) && !props_key_diverted("tls", 0));
    CHECK(props_key_diverted("Net.KeepAlive", 1) && !props_key_diverted("net.keepalive", 0));
    CHECK(props_key_diverted("oauth2.enable", 1) && props_key_diverted("alias", 1) &&
          props_key_diverted("storage.total_limit_size", 1) && props_key_diverted("ipv6", 1));
    /* never */
    CHECK(!props_key_diverted("tls.foo", 1) && !props_key_diverted("_debug.http.x", 1) &&
          !props_key_diverted("name", 1) && !props_key_diverted("http_port", 1) &&
          !props_key_diverted("hostname", 1));
}

/* an entry of a test map */
static struct flb_config_map key(int type, const char *name, const char *def, int flags)
{
    struct flb_config_map m;

    memset(&m, 0, sizeof(m));
    m.type = type;
    m.name = (char *) name;
    m.def_value = (char *) def;
    m.flags = flags;
    return m;
}

/* config_map_check's result and log for properties given as "k=v" texts */
static int map_check(const struct flb_config_map *map, const char *want_log,
                     int n, const char *const *kv)
{
    struct props p;
    const char *err;
    char *log = NULL;
    int ret, i, ok;

    memset(&p, 0, sizeof(p));
    for (i = 0; i < n; i++) {
        props_add_text(&p, kv[i], &err);
    }
    ret = config_map_check("out", map, &p, &log);
    ok = strcmp(log ? log : "", want_log) == 0;
    if (!ok) {
        fprintf(stderr, "unit: config map log:\n%s--- expected:\n%s---\n",
                log ? log : "", want_log);
    }
    free(log);
    props_free(&p);
    return ok ? ret : -2;
}

#define KV(...) (int) (sizeof((const char *[]) { __VA_ARGS__ }) / sizeof(const char *)), \
                (const char *[]) { __VA_ARGS__ }

static void test_config_map(void)
{
    struct flb_config_map map[5], one[2], none[1], bad[3];
    static struct flb_config_map many[CONFIG_MAP_MAX_KEYS + 1];
    static char names[CONFIG_MAP_MAX_KEYS + 1][8];
    char err[256];
    size_t i;
    const char *allowed = "The following properties are allowed: "
                          "id, label, header., and old.\n";
    const char *help = "[help] try the command: fluent-bit -o out -h\n";
    char want[512];

    map[0] = key(ABI_CONFIG_MAP_STR, "id", NULL, 0);
    map[1] = key(ABI_CONFIG_MAP_INT, "label", "1", ABI_CONFIG_MAP_MULT);
    map[2] = key(ABI_CONFIG_MAP_STR_PREFIX, "header.", NULL, 0);
    map[3] = key(ABI_CONFIG_MAP_DEPRECATED, "old", NULL, 0);
    memset(&map[4], 0, sizeof(map[4]));
    memset(one, 0, sizeof(one));
    one[0] = key(ABI_CONFIG_MAP_BOOL, "on", "Yes", 0);
    memset(none, 0, sizeof(none));

    /* registration */
    CHECK(config_map_validate(map, err, sizeof(err)) == 4);
    CHECK(config_map_validate(none, err, sizeof(err)) == 0);
    for (i = 0; i < CONFIG_MAP_MAX_KEYS; i++) {
        snprintf(names[i], sizeof(names[i]), "k%zu", i);
        many[i] = key(ABI_CONFIG_MAP_STR, names[i], NULL, 0);
    }
    memset(&many[CONFIG_MAP_MAX_KEYS], 0, sizeof(many[0]));
    CHECK(config_map_validate(many, err, sizeof(err)) == CONFIG_MAP_MAX_KEYS);
    many[CONFIG_MAP_MAX_KEYS] = key(ABI_CONFIG_MAP_STR, "one_more", NULL, 0);
    CHECK(config_map_validate(many, err, sizeof(err)) == -1 &&
          strstr(err, "no terminating entry") != NULL);
    memset(bad, 0, sizeof(bad));
    bad[0] = key(ABI_CONFIG_MAP_STR, "a", NULL, 0);
    bad[1] = key(8, "b", NULL, 0);
    CHECK(config_map_validate(bad, err, sizeof(err)) == -1 &&
          strcmp(err, "entry 1 ('b') has unknown type 8") == 0);
    bad[1] = key(ABI_CONFIG_MAP_VARIANT, "b", NULL, 0);
    CHECK(config_map_validate(bad, err, sizeof(err)) == 2);
    bad[1] = key(ABI_CONFIG_MAP_SLIST_4, "A", NULL, 0);
    CHECK(config_map_validate(bad, err, sizeof(err)) == -1 &&
          strcmp(err, "entry 1 ('A') repeats the name of entry 0 ('a')") == 0);
    bad[1] = key(ABI_CONFIG_MAP_CLIST, "", NULL, 0);
    CHECK(config_map_validate(bad, err, sizeof(err)) == -1 &&
          strcmp(err, "entry 1 has an empty name") == 0);
    bad[1] = key(ABI_CONFIG_MAP_STR, "b", NULL, ABI_CONFIG_MAP_DYNAMIC_ENV);
    CHECK(config_map_validate(bad, err, sizeof(err)) == -1 && strstr(err, "flags 2") != NULL);
    bad[1] = key(ABI_CONFIG_MAP_STR, "b", NULL, 0);
    bad[1].set_property = 1;
    CHECK(config_map_validate(bad, err, sizeof(err)) == -1 &&
          strstr(err, "set_property 1") != NULL);

    /* Fluent Bit's check of an instance */
    CHECK(map_check(map, "", KV("id=1", "Label=a", "label=b", "header.x=1",
                                "HEADER.y=2", "active=false", "condition=x")) == 0);
    snprintf(want, sizeof(want), "[error] [config] out: unknown configuration "
             "property 'bogus'. %s%s", allowed, help);
    CHECK(map_check(map, want, KV("id=1", "Bogus=2", "also=3")) == -1);
    /* the keys Fluent Bit keeps for itself are not checked, but some only
     * when they have a value */
    CHECK(map_check(map, "", KV("workers=2", "match=*", "match=", "host=",
                                "tls.ca_file=", "net.keepalive=on", "log_level=debug")) == 0);
    snprintf(want, sizeof(want), "[error] [config] out: unknown configuration "
             "property 'workers'. %s%s", allowed, help);
    CHECK(map_check(map, want, KV("workers=")) == -1);
    snprintf(want, sizeof(want), "[error] [config] out: unknown configuration "
             "property 'tls.foo'. %s%s", allowed, help);
    CHECK(map_check(map, want, KV("tls.foo=1")) == -1);
    /* repeats: counted after lowercasing, allowed with MULT */
    snprintf(want, sizeof(want), "[error] [config] out: configuration property "
             "'id' is set 3 times\n%s", help);
    CHECK(map_check(map, want, KV("id=1", "ID=2", "Id=3")) == -1);
    snprintf(want, sizeof(want), "[error] [config] out: configuration property "
             "'header.a' is set 2 times\n%s", help);
    CHECK(map_check(map, want, KV("header.a=1", "header.b=1", "header.a=2")) == -1);
    /* a prefix alone is incomplete */
    snprintf(want, sizeof(want), "[error] [config] incomplete prefixed key 'header.'\n"
             "[error] [config] out: unknown configuration property 'header.'. %s%s",
             allowed, help);
    CHECK(map_check(map, want, KV("header.=1")) == -1);
    CHECK(map_check(map, "[warn] [config] out: 'old' is deprecated\n", KV("old=1")) == 0);
    /* the list of one key, and of none */
    snprintf(want, sizeof(want), "[error] [config] out: unknown configuration "
             "property 'x'. The following properties are allowed: on.\n%s", help);
    CHECK(map_check(one, want, KV("x=1")) == -1);
    snprintf(want, sizeof(want), "[error] [config] out: unknown configuration "
             "property 'x'. The following properties are allowed: \n%s", help);
    CHECK(map_check(none, want, KV("x=1")) == -1);
    CHECK(map_check(none, "", KV("match=*")) == 0);
    /* defaults, as flb_config_map_create reads them */
    one[0].def_value = (char *) "maybe";
    CHECK(map_check(one, "[error] [config map] invalid default value for boolean "
                    "'on=maybe'\n[error] [output] error loading config map for "
                    "'out' plugin\n", KV("on=1")) == -1);
    one[0] = key(ABI_CONFIG_MAP_STR_PREFIX, "p.", "", 0);
    CHECK(map_check(one, "[error] [config map] invalid default value for prefixed "
                    "string 'p.'\n[error] [output] error loading config map for "
                    "'out' plugin\n", KV("p.x=1")) == -1);
}

static void test_levels(void)
{
    CHECK(log_level_parse("error") == 1 && log_level_parse("warn") == 2 &&
          log_level_parse("Warning") == 2 && log_level_parse("INFO") == 3 &&
          log_level_parse("debug") == 4 && log_level_parse("trace") == 5 &&
          log_level_parse("off") == 0 && log_level_parse("loud") == -1);
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
    test_json();
    test_cpu(argv[1]);
    test_props();
    test_diverted();
    test_config_map();
    test_levels();
    if (failures > 0) {
        fprintf(stderr, "unit: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("unit: all %d checks passed\n", checks);
    return 0;
}
