/*
 * bench.h - --bench: what a run costs.  Wall time, process CPU (getrusage,
 * every thread: the host's, the plugin's runtime and its GC) and the thread
 * CPU spent inside flush calls, each per record delivered; peak and current
 * RSS; the time dlopen + Register and Init took.
 */
#ifndef FLB_HOST_BENCH_H
#define FLB_HOST_BENCH_H

#include <stddef.h>
#include <sys/resource.h>
#include <time.h>

#include "engine.h"

struct bench {
    struct timespec mark;      /* start of the phase being timed */
    double load_ms;            /* dlopen + PreRegister + Register of every -e */
    double init_ms;            /* FLBPluginInit of every -o */
    long init_rss_kb;          /* VmRSS once every instance is initialised */
    struct timespec run_start;
    struct rusage run_usage;
};

/* starts timing a phase (load, init) */
void bench_mark(struct bench *b);
/* milliseconds since the last bench_mark */
double bench_elapsed_ms(const struct bench *b);
/* a field of /proc/self/status ("VmRSS", "Threads"), or -1 */
long bench_status_field(const char *name);
/* several fields of /proc/self/status from one read (values[i] is -1 where names[i] is absent) */
void bench_status_fields(const char *const names[], long values[], size_t n);
/* the replay starts: CPU and wall clock from here */
void bench_run_begin(struct bench *b);
/* every flush has returned: one "flb-host: bench key=value ..." line on stdout */
void bench_report(const struct bench *b, const struct engine *e);

#endif
