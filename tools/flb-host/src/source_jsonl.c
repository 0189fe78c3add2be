/*
 * source_jsonl.c - --jsonl PATH: one JSON object per line, each turned
 * into the v2 event [[EventTime(now), {}], {object}]; one flush per
 * --batch events and one for the rest at EOF.  Blank lines are skipped.
 * A malformed line ends the source with an error naming the line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "json_pack.h"
#include "log.h"
#include "signals.h"
#include "source.h"
#include "util.h"

struct jsonl_state {
    int fd;
    int own_fd;
    const char *name;
    long batch;
    /* line reader */
    char *buf;
    size_t len;     /* bytes held */
    size_t start;   /* start of the unconsumed part */
    size_t cap;
    int eof;
};

/* more input into the buffer; 1 read something, 0 EOF, -1 stop, -2 error */
static int fill(struct jsonl_state *st)
{
    ssize_t n;
    int w;

    if (st->start > 0) {
        memmove(st->buf, st->buf + st->start, st->len - st->start);
        st->len -= st->start;
        st->start = 0;
    }
    if (st->cap - st->len < 4096) {
        st->cap = st->cap ? st->cap * 2 : 65536;
        st->buf = xrealloc(st->buf, st->cap);
    }
    for (;;) {
        w = signals_wait(st->fd, NULL);
        if (w < 0) {
            return -1;
        }
        n = read(st->fd, st->buf + st->len, st->cap - st->len);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            host_msg("--jsonl %s: read error: %s", st->name, strerror(errno));
            return -2;
        }
        if (n == 0) {
            st->eof = 1;
            return 0;
        }
        st->len += (size_t) n;
        return 1;
    }
}

/* next line (without '\n' / "\r\n"), NUL-terminated in place;
 * 1 line, 0 end of input, -1 stop, -2 error */
static int next_line(struct jsonl_state *st, char **line, size_t *len)
{
    for (;;) {
        char *nl = NULL;
        size_t avail = st->len - st->start;

        if (avail > 0) {
            nl = memchr(st->buf + st->start, '\n', avail);
        }
        if (nl != NULL || (st->eof && avail > 0)) {
            size_t l = nl ? (size_t) (nl - (st->buf + st->start)) : avail;
            char *s = st->buf + st->start;

            st->start += nl ? l + 1 : l;
            if (l > 0 && s[l - 1] == '\r') {
                l--;
            }
            if (nl == NULL) {
                /* last line without a newline: make room for the NUL */
                if (st->len == st->cap) {
                    size_t off = (size_t) (s - st->buf);
                    st->buf = xrealloc(st->buf, st->cap + 1);
                    st->cap++;
                    s = st->buf + off;
                }
            }
            s[l] = '\0';
            *line = s;
            *len = l;
            return 1;
        }
        if (st->eof) {
            return 0;
        }
        {
            int r = fill(st);
            if (r < 0) {
                return r;
            }
        }
    }
}

static int blank(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') {
            return 0;
        }
    }
    return 1;
}

static int send_batch(struct engine *e, msgpack_sbuffer *sb, size_t *events)
{
    int ret;

    if (*events == 0) {
        return 0;
    }
    ret = engine_dispatch_packed(e, sb, *events);
    *events = 0;
    return ret;
}

static enum source_result jsonl_run(struct source *s, struct engine *e)
{
    struct jsonl_state *st = s->state;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    size_t events = 0;
    unsigned long lineno = 0;
    enum source_result result = SOURCE_DONE;

    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    for (;;) {
        char *line;
        size_t len;
        int r = next_line(st, &line, &len);
        uint32_t sec, nsec;
        size_t mark;
        struct json_pack_error err;

        if (r == 0) {
            break;
        }
        if (r == -1) {
            result = SOURCE_STOPPED;
            break;
        }
        if (r == -2) {
            result = SOURCE_FAILED;
            break;
        }
        lineno++;
        if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
            line += 3;   /* UTF-8 byte order mark */
            len -= 3;
        }
        if (blank(line, len)) {
            continue;
        }
        mark = sb.size;
        time_now_event(&sec, &nsec);
        event_pack_header(&pk, sec, nsec);
        if (json_pack_object(&pk, line, len, &err) != 0) {
            sb.size = mark;
            host_msg("--jsonl %s: line %lu, column %d: %s", st->name, lineno,
                     err.column, err.text);
            result = SOURCE_FAILED;
            break;
        }
        events++;
        if ((long) events >= st->batch) {
            if (send_batch(e, &sb, &events) != 0) {
                result = SOURCE_STOPPED;
                break;
            }
        }
        if (signals_stop_requested()) {
            result = SOURCE_STOPPED;
            break;
        }
    }
    /* what was read correctly before the end is still delivered */
    if (result != SOURCE_STOPPED && send_batch(e, &sb, &events) != 0) {
        result = result == SOURCE_FAILED ? SOURCE_FAILED : SOURCE_STOPPED;
    }
    msgpack_sbuffer_destroy(&sb);
    return result;
}

static void jsonl_close(struct source *s)
{
    struct jsonl_state *st = s->state;

    if (st == NULL) {
        return;
    }
    if (st->own_fd && st->fd >= 0) {
        close(st->fd);
    }
    free(st->buf);
    free(st);
    s->state = NULL;
}

int source_jsonl_open(const struct cli *cli, struct source *s)
{
    struct jsonl_state *st = xcalloc(1, sizeof(*st));

    st->batch = cli->batch;
    s->state = st;
    s->run = jsonl_run;
    s->close = jsonl_close;
    if (strcmp(cli->path, "-") == 0) {
        st->fd = 0;
        st->own_fd = 0;
        st->name = "stdin";
    }
    else {
        st->fd = open(cli->path, O_RDONLY | O_CLOEXEC);
        st->own_fd = 1;
        st->name = cli->path;
        if (st->fd < 0) {
            host_msg("--jsonl %s: %s", cli->path, strerror(errno));
            jsonl_close(s);
            return -1;
        }
    }
    return 0;
}
