/*
 * log.c - serialised line output to stderr / stdout.
 */
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* format prefix + message (+ '\n' unless the message ends with one) and
 * write it in one go */
static void emit(int fd, const char *prefix, const char *fmt, va_list ap)
{
    char stackbuf[1024];
    char *buf = stackbuf;
    size_t plen = strlen(prefix);
    va_list ap2;
    int n;
    size_t len;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        n = 0;
    }
    len = plen + (size_t) n + 2;
    if (len > sizeof(stackbuf)) {
        buf = malloc(len);
        if (buf == NULL) {
            return;
        }
    }
    memcpy(buf, prefix, plen);
    vsnprintf(buf + plen, len - plen, fmt, ap);
    len = plen + (size_t) n;
    if (len == 0 || buf[len - 1] != '\n') {
        buf[len++] = '\n';
    }

    pthread_mutex_lock(&log_lock);
    write_all(fd, buf, len);
    pthread_mutex_unlock(&log_lock);

    if (buf != stackbuf) {
        free(buf);
    }
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

void log_lines(const char *text)
{
    if (text == NULL || text[0] == '\0') {
        return;
    }
    pthread_mutex_lock(&log_lock);
    write_all(2, text, strlen(text));
    pthread_mutex_unlock(&log_lock);
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

int log_level_parse(const char *s)
{
    int i;

    if (s == NULL) {
        return -1;
    }
    if (strcasecmp(s, "warning") == 0) {
        return 2;
    }
    for (i = 0; i <= 5; i++) {
        if (strcasecmp(s, level_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}
