/*
 * source_chunks.c - --chunks PATH: a chunk file, or every *.msgpack file
 * of a directory in name order, each sent as is as one flush, --repeat
 * times.  All files are read up front so that a bad path fails before
 * any plugin is loaded.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "event.h"
#include "log.h"
#include "signals.h"
#include "source.h"
#include "util.h"

struct chunk_file {
    char *path;
    unsigned char *data;
    size_t size;
    size_t records;
};

struct chunks_state {
    struct chunk_file *files;
    size_t count;
    long repeat;
    double rate;     /* --rate, records per second; 0 = no limit */
};

static int has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), m = strlen(suffix);
    return n > m && strcmp(name + n - m, suffix) == 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static int load(struct chunks_state *st, const char *path)
{
    struct stat sb;
    char **names = NULL;
    size_t n = 0, i;

    if (stat(path, &sb) != 0) {
        host_msg("--chunks %s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;

        if (d == NULL) {
            host_msg("--chunks %s: %s", path, strerror(errno));
            return -1;
        }
        while ((de = readdir(d)) != NULL) {
            if (has_suffix(de->d_name, ".msgpack")) {
                size_t len = strlen(path) + strlen(de->d_name) + 2;
                names = xrealloc(names, (n + 1) * sizeof(*names));
                names[n] = xmalloc(len);
                snprintf(names[n], len, "%s/%s", path, de->d_name);
                n++;
            }
        }
        closedir(d);
        if (n == 0) {
            host_msg("--chunks %s: no *.msgpack files in the directory", path);
            return -1;
        }
        qsort(names, n, sizeof(*names), by_name);
    }
    else {
        names = xmalloc(sizeof(*names));
        names[0] = xstrdup(path);
        n = 1;
    }

    st->files = xcalloc(n, sizeof(*st->files));
    st->count = n;
    for (i = 0; i < n; i++) {
        struct chunk_file *cf = &st->files[i];
        struct event_count cnt;

        cf->path = names[i];
        cf->data = (unsigned char *) read_file(cf->path, &cf->size);
        if (cf->data == NULL) {
            host_msg("cannot read chunk file %s: %s", cf->path, strerror(errno));
            for (i++; i < n; i++) {
                free(names[i]);
            }
            free(names);
            return -1;
        }
        event_count(cf->data, cf->size, &cnt);
        cf->records = cnt.events;
        if (cnt.malformed) {
            host_warn("chunk %s: invalid MessagePack at offset %zu; sending it "
                      "as is (%zu complete event(s) counted)",
                      cf->path, cnt.bad_offset, cnt.events);
        }
    }
    free(names);
    return 0;
}

/* --rate: wait until `records` may have been sent; -1 if a stop was requested, 3 if the input is to end */
static int pace(const struct timespec *start, double rate, double records)
{
    double due = records / rate;
    struct timespec deadline = *start;

    deadline.tv_sec += (time_t) due;
    deadline.tv_nsec += (long) ((due - (double) (time_t) due) * 1e9);
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    return signals_sleep_until(&deadline, 1);
}

/* SIGUSR1: the replay ends here, every chunk sent so far still flushed */
static enum source_result input_ended(double sent)
{
    char line[128];

    snprintf(line, sizeof(line), "flb-host: input ended records=%.0f", sent);
    host_stdout_line(line);
    return SOURCE_DONE;
}

static enum source_result chunks_run(struct source *s, struct engine *e)
{
    struct chunks_state *st = s->state;
    struct timespec start;
    double sent = 0;
    long r;
    size_t i;

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (r = 0; r < st->repeat; r++) {
        for (i = 0; i < st->count; i++) {
            const struct chunk_file *cf = &st->files[i];
            unsigned char *copy;

            if (signals_stop_requested()) {
                return SOURCE_STOPPED;
            }
            if (signals_end_input_requested()) {
                return input_ended(sent);
            }
            copy = xmalloc(cf->size);
            if (cf->size > 0) {
                memcpy(copy, cf->data, cf->size);
            }
            if (engine_dispatch(e, copy, cf->size, cf->records) != 0) {
                return SOURCE_STOPPED;
            }
            sent += (double) cf->records;
            if (st->rate > 0) {
                int paced = pace(&start, st->rate, sent);

                if (paced < 0) {
                    return SOURCE_STOPPED;
                }
                if (paced > 0) {
                    return input_ended(sent);
                }
            }
        }
    }
    return SOURCE_DONE;
}

static void chunks_close(struct source *s)
{
    struct chunks_state *st = s->state;
    size_t i;

    if (st == NULL) {
        return;
    }
    for (i = 0; i < st->count; i++) {
        free(st->files[i].path);
        free(st->files[i].data);
    }
    free(st->files);
    free(st);
    s->state = NULL;
}

int source_chunks_open(const struct cli *cli, struct source *s)
{
    struct chunks_state *st = xcalloc(1, sizeof(*st));

    st->repeat = cli->repeat;
    st->rate = cli->rate;
    s->state = st;
    s->run = chunks_run;
    s->close = chunks_close;
    if (load(st, cli->path) != 0) {
        chunks_close(s);
        return -1;
    }
    return 0;
}
