/*
 * cpu_stat.c - /proc/stat parsing and the cpu input's percentages.
 */
#include "cpu_stat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "util.h"

static int parse_times(const char *p, struct cpu_times *t)
{
    unsigned long long v[3];
    char *end;
    int i;

    for (i = 0; i < 3; i++) {
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (*p < '0' || *p > '9') {
            return -1;
        }
        v[i] = strtoull(p, &end, 10);
        p = end;
    }
    t->user = v[0];
    t->nice = v[1];
    t->system = v[2];
    return 0;
}

int cpu_stat_parse(const char *text, struct cpu_times *out, int n)
{
    const char *line = text;
    int have_total = 0;
    int cores = 0;

    while (line != NULL && *line != '\0') {
        const char *next = strchr(line, '\n');

        if (strncmp(line, "cpu", 3) == 0) {
            const char *p = line + 3;
            if (*p == ' ' || *p == '\t') {
                if (parse_times(p, &out[0]) == 0) {
                    have_total = 1;
                }
            }
            else if (*p >= '0' && *p <= '9') {
                while (*p >= '0' && *p <= '9') {
                    p++;
                }
                if (cores < n && parse_times(p, &out[1 + cores]) == 0) {
                    cores++;
                }
            }
        }
        line = next ? next + 1 : NULL;
    }
    return have_total ? cores : -1;
}

int cpu_stat_read(const char *path, struct cpu_times *out, int n)
{
    size_t len;
    char *buf = read_file(path, &len);
    int ret;

    if (buf == NULL) {
        return -1;
    }
    memset(out, 0, sizeof(*out) * ((size_t) n + 1));
    ret = cpu_stat_parse(buf, out, n);
    free(buf);
    return ret;
}

static double delta(unsigned long long pre, unsigned long long now)
{
    return (double) (now > pre ? now - pre : pre - now);
}

static double system_wide(unsigned long long pre, unsigned long long now,
                          int n, long ticks, double interval)
{
    if (pre == now) {
        return 0.0;
    }
    return ((delta(pre, now) / ticks) * 100) / n / interval;
}

static double one_core(unsigned long long pre, unsigned long long now,
                       long ticks, double interval)
{
    if (pre == now) {
        return 0.0;
    }
    return ((delta(pre, now) * 100) / ticks) / interval;
}

void cpu_stat_compute(const struct cpu_times *pre, const struct cpu_times *now,
                      int n, long ticks, double interval,
                      struct cpu_percent *out)
{
    int i;

    for (i = 0; i <= n; i++) {
        unsigned long long all_pre = pre[i].user + pre[i].nice + pre[i].system;
        unsigned long long all_now = now[i].user + now[i].nice + now[i].system;
        unsigned long long usr_pre = pre[i].user + pre[i].nice;
        unsigned long long usr_now = now[i].user + now[i].nice;

        if (i == 0) {
            out[i].cpu = system_wide(all_pre, all_now, n, ticks, interval);
            out[i].user = system_wide(usr_pre, usr_now, n, ticks, interval);
            out[i].system = system_wide(pre[i].system, now[i].system, n, ticks,
                                        interval);
        }
        else {
            out[i].cpu = one_core(all_pre, all_now, ticks, interval);
            out[i].user = one_core(usr_pre, usr_now, ticks, interval);
            out[i].system = one_core(pre[i].system, now[i].system, ticks,
                                     interval);
        }
    }
}

static void key_value(msgpack_packer *pk, const char *key, double v)
{
    msgpack_pack_str_with_body(pk, key, strlen(key));
    msgpack_pack_double(pk, v);
}

void cpu_stat_encode(msgpack_packer *pk, uint32_t sec, uint32_t nsec,
                     const struct cpu_percent *p, int n)
{
    char key[48];
    int i;

    event_pack_encoder_header(pk, sec, nsec, (uint32_t) (3 + 3 * n));
    key_value(pk, "cpu_p", p[0].cpu);
    key_value(pk, "user_p", p[0].user);
    key_value(pk, "system_p", p[0].system);
    for (i = 1; i <= n; i++) {
        snprintf(key, sizeof(key), "cpu%d.p_cpu", i - 1);
        key_value(pk, key, p[i].cpu);
        snprintf(key, sizeof(key), "cpu%d.p_user", i - 1);
        key_value(pk, key, p[i].user);
        snprintf(key, sizeof(key), "cpu%d.p_system", i - 1);
        key_value(pk, key, p[i].system);
    }
}
