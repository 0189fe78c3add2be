/*
 * util.c - allocation, file and time helpers.
 */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void out_of_memory(void)
{
    static const char msg[] = "flb-host: out of memory\n";
    ssize_t ignored = write(2, msg, sizeof(msg) - 1);
    (void) ignored;
    abort();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL) {
        out_of_memory();
    }
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL) {
        out_of_memory();
    }
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL) {
        out_of_memory();
    }
    return p;
}

char *xstrdup(const char *s)
{
    char *p = strdup(s);
    if (p == NULL) {
        out_of_memory();
    }
    return p;
}

char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    int err;

    if (f == NULL) {
        return NULL;
    }
    do {
        if (cap - len < 8192) {
            cap = cap ? cap * 2 : 65536;
            buf = xrealloc(buf, cap + 1);
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    err = ferror(f) ? errno : 0;
    fclose(f);
    if (err != 0) {
        free(buf);
        errno = err;
        return NULL;
    }
    buf[len] = '\0';
    *size = len;
    return buf;
}

void time_now_event(uint32_t *sec, uint32_t *nsec)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    *sec = (uint32_t) ts.tv_sec;
    *nsec = (uint32_t) ts.tv_nsec;
}
