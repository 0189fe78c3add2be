/*
 * log.c - serialised line output to stderr / stdout.
 */
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        buf += n;
        len -= (size_t) n;
    }
}

/* prefix + message (+ '\n' unless the message ends with one), written in
 * one go so that lines of concurrent threads never interleave */
static void emit(int fd, const char *prefix, const char *fmt, va_list ap)
{
    char *msg = NULL, *line = NULL;
    size_t n;
    int len;

    if (vasprintf(&msg, fmt, ap) < 0) {
        return;
    }
    n = strlen(msg);
    len = asprintf(&line, "%s%s%s", prefix, msg, n > 0 && msg[n - 1] == '\n' ? "" : "\n");
    if (len > 0) {
        pthread_mutex_lock(&log_lock);
        write_all(fd, line, (size_t) len);
        pthread_mutex_unlock(&log_lock);
        free(line);
    }
    free(msg);
}

void host_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(2, "flb-host: ", fmt, ap);
    va_end(ap);
}

void host_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(2, "flb-host: warning: ", fmt, ap);
    va_end(ap);
}

void log_plugin_line(int level, const char *fmt, va_list ap)
{
    char prefix[32];
    const char *name = log_level_name(level);

    if (name != NULL) {
        snprintf(prefix, sizeof(prefix), "[%s] ", name);
    }
    else {
        snprintf(prefix, sizeof(prefix), "[level %d] ", level);
    }
    emit(2, prefix, fmt, ap);
}

void host_stdout_line(const char *line)
{
    /* plugins written in C may share our stdio buffer: flush it first */
    pthread_mutex_lock(&log_lock);
    fflush(stdout);
    write_all(1, line, strlen(line));
    write_all(1, "\n", 1);
    pthread_mutex_unlock(&log_lock);
}

static const char *const level_names[] = {
    "off", "error", "warn", "info", "debug", "trace"
};

const char *log_level_name(int level)
{
    if (level < 1 || level > 5) {
        return NULL;
    }
    return level_names[level];
}
