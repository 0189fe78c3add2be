/*
 * source_cpu.c - --cpu: a record like Fluent Bit's cpu input every
 * --interval seconds (the first one an interval after start, measured
 * against a sample taken at start), one record per flush, until --count
 * records or a stop signal.
 *
 * FLB_HOST_PROC_STAT (environment) replaces /proc/stat, for tests.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cpu_stat.h"
#include "log.h"
#include "signals.h"
#include "source.h"
#include "util.h"

struct cpu_state {
    const char *path;
    int n;                  /* online cpus */
    long ticks;             /* CLK_TCK */
    struct timespec period;
    double interval;        /* seconds, as Fluent Bit computes it */
    long count;             /* 0 = no limit */
    struct cpu_times *pre;
    struct cpu_times *now;
    struct cpu_percent *pct;
};

static void ts_add(struct timespec *t, const struct timespec *d)
{
    t->tv_sec += d->tv_sec;
    t->tv_nsec += d->tv_nsec;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

static int ts_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec ||
           (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static enum source_result cpu_run(struct source *s, struct engine *e)
{
    struct cpu_state *st = s->state;
    struct timespec next;
    long sent = 0;

    /* the baseline sample was taken in open(); start the clock now */
    if (cpu_stat_read(st->path, st->pre, st->n) < 0) {
        host_msg("--cpu: cannot read %s", st->path);
        return SOURCE_FAILED;
    }
    clock_gettime(CLOCK_MONOTONIC, &next);

    while (st->count == 0 || sent < st->count) {
        msgpack_sbuffer sb;
        msgpack_packer pk;
        struct cpu_times *swap;
        uint32_t sec, nsec;
        struct timespec now;

        ts_add(&next, &st->period);
        if (signals_sleep_until(&next, 0) != 0) {
            return SOURCE_STOPPED;
        }
        /* fell far behind (a slow flush blocked us): do not burst */
        clock_gettime(CLOCK_MONOTONIC, &now);
        {
            struct timespec late = next;
            ts_add(&late, &st->period);
            if (ts_before(&late, &now)) {
                next = now;
            }
        }

        if (cpu_stat_read(st->path, st->now, st->n) < 0) {
            host_msg("--cpu: cannot read %s", st->path);
            return SOURCE_FAILED;
        }
        cpu_stat_compute(st->pre, st->now, st->n, st->ticks, st->interval,
                         st->pct);
        swap = st->pre;
        st->pre = st->now;
        st->now = swap;

        msgpack_sbuffer_init(&sb);
        msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
        time_now_event(&sec, &nsec);
        cpu_stat_encode(&pk, sec, nsec, st->pct, st->n);
        if (engine_dispatch_packed(e, &sb, 1) != 0) {
            return SOURCE_STOPPED;
        }
        sent++;
    }
    return SOURCE_DONE;
}

static void cpu_close(struct source *s)
{
    struct cpu_state *st = s->state;

    if (st == NULL) {
        return;
    }
    free(st->pre);
    free(st->now);
    free(st->pct);
    free(st);
    s->state = NULL;
}

int source_cpu_open(const struct cli *cli, struct source *s)
{
    struct cpu_state *st = xcalloc(1, sizeof(*st));
    const char *env = getenv("FLB_HOST_PROC_STAT");
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    double whole;
    double frac;

    s->state = st;
    s->run = cpu_run;
    s->close = cpu_close;

    st->path = (env != NULL && env[0] != '\0') ? env : "/proc/stat";
    st->n = n > 0 ? (int) n : 1;
    st->ticks = sysconf(_SC_CLK_TCK);
    if (st->ticks <= 0) {
        st->ticks = 100;
    }
    st->count = cli->count;

    /* split like interval_sec + interval_nsec, then recombine the way
     * Fluent Bit does, so the divisor is the same double */
    frac = modf(cli->interval, &whole);
    st->period.tv_sec = (time_t) whole;
    st->period.tv_nsec = (long) llround(frac * 1e9);
    if (st->period.tv_nsec >= 1000000000L) {
        st->period.tv_sec++;
        st->period.tv_nsec -= 1000000000L;
    }
    st->interval = (double) st->period.tv_sec + 1e-9 * (double) st->period.tv_nsec;

    st->pre = xcalloc((size_t) st->n + 1, sizeof(*st->pre));
    st->now = xcalloc((size_t) st->n + 1, sizeof(*st->now));
    st->pct = xcalloc((size_t) st->n + 1, sizeof(*st->pct));

    if (cpu_stat_read(st->path, st->pre, st->n) < 0) {
        host_msg("--cpu: cannot read CPU times from %s: %s", st->path,
                 errno ? strerror(errno) : "no 'cpu' line");
        cpu_close(s);
        return -1;
    }
    return 0;
}
