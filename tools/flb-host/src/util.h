/*
 * util.h - allocation helpers that end the process on out-of-memory
 * (a test host has nothing better to do), reading a file, the time.
 */
#ifndef FLB_HOST_UTIL_H
#define FLB_HOST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

/* the whole file, NUL-terminated (not counted in *size); NULL with errno set */
char *read_file(const char *path, size_t *size);
/* CLOCK_REALTIME split for an EventTime */
void time_now_event(uint32_t *sec, uint32_t *nsec);

#endif
