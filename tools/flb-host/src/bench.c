/*
 * bench.c - the figures --bench prints.
 */
#include "bench.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double) (b->tv_sec - a->tv_sec) + (double) (b->tv_nsec - a->tv_nsec) / 1e9;
}

static double timeval_ns(const struct timeval *t)
{
    return (double) t->tv_sec * 1e9 + (double) t->tv_usec * 1e3;
}

void bench_mark(struct bench *b)
{
    clock_gettime(CLOCK_MONOTONIC, &b->mark);
}

double bench_elapsed_ms(const struct bench *b)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return seconds_between(&b->mark, &now) * 1e3;
}

void bench_status_fields(const char *const names[], long values[], size_t n)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t i;

    for (i = 0; i < n; i++) {
        values[i] = -1;
    }
    if (f == NULL) {
        return;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        for (i = 0; i < n; i++) {
            size_t len = strlen(names[i]);

            if (strncmp(line, names[i], len) == 0 && line[len] == ':') {
                sscanf(line + len + 1, "%ld", &values[i]);
            }
        }
    }
    fclose(f);
}

long bench_status_field(const char *name)
{
    long value;

    bench_status_fields(&name, &value, 1);
    return value;
}

void bench_run_begin(struct bench *b)
{
    getrusage(RUSAGE_SELF, &b->run_usage);
    clock_gettime(CLOCK_MONOTONIC, &b->run_start);
}

void bench_report(const struct bench *b, const struct engine *e)
{
    struct timespec now;
    struct rusage usage;
    /* one read of /proc/self/status: the kernel computes VmHWM there as max(high-water mark, VmRSS),
     * so the peak printed is never below the current figure; ru_maxrss is kept at another moment and
     * can read lower than a VmRSS read later */
    static const char *const memory[] = { "VmHWM", "VmRSS", "Threads" };
    long status[3];
    unsigned long long records = 0, flushes = 0, flush_cpu_ns = 0;
    double wall, user_ns, sys_ns, per;
    char line[1024];
    size_t i;

    clock_gettime(CLOCK_MONOTONIC, &now);
    getrusage(RUSAGE_SELF, &usage);
    bench_status_fields(memory, status, 3);
    for (i = 0; i < e->instance_count; i++) {
        const struct instance *in = &e->instances[i];

        records += in->records;
        flushes += in->flushes;
        flush_cpu_ns += in->flush_cpu_ns;
    }
    wall = seconds_between(&b->run_start, &now);
    user_ns = timeval_ns(&usage.ru_utime) - timeval_ns(&b->run_usage.ru_utime);
    sys_ns = timeval_ns(&usage.ru_stime) - timeval_ns(&b->run_usage.ru_stime);
    per = records > 0 ? 1.0 / (double) records : 0.0;

    snprintf(line, sizeof(line),
             "flb-host: bench records=%llu flushes=%llu wall_s=%.3f "
             "records_per_s=%.0f cpu_ns_per_record=%.1f user_ns_per_record=%.1f "
             "sys_ns_per_record=%.1f flush_cpu_ns_per_record=%.1f "
             "peak_rss_kb=%ld rss_kb=%ld init_rss_kb=%ld threads=%ld "
             "load_ms=%.2f init_ms=%.2f",
             records, flushes, wall, wall > 0 ? (double) records / wall : 0.0,
             (user_ns + sys_ns) * per, user_ns * per, sys_ns * per,
             (double) flush_cpu_ns * per, status[0], status[1], b->init_rss_kb,
             status[2], b->load_ms, b->init_ms);
    host_stdout_line(line);
}
