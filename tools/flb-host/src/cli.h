/*
 * cli.h - the command line of flb-host.
 */
#ifndef FLB_HOST_CLI_H
#define FLB_HOST_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "props.h"

enum source_kind {
    SOURCE_NONE = 0,
    SOURCE_CHUNKS,
    SOURCE_CPU
};

struct cli_output {
    char *name;            /* -o NAME */
    struct props props;    /* the -p key=value that follow it */
};

struct cli {
    char **plugins;        /* -e PATH, in order */
    size_t plugin_count;
    struct cli_output *outputs;
    size_t output_count;

    enum source_kind source;
    const char *path;      /* --chunks */
    long repeat;           /* --repeat, default 1 */
    double rate;           /* --rate records per second, 0 = as fast as possible */
    double interval;       /* --interval seconds, default 1 */
    long count;            /* --count, 0 = until a signal */
    const char *tag;       /* --tag / -t */
    size_t stack_size;     /* --stack-size, default 65536 */
    size_t proxy_def_size; /* --proxy-def-size: 48 (5.1.1, default), 40 or 32 */
    const char *fluent_bit_version; /* --fluent-bit-version, default by the size */
    int wait;              /* --wait */
};

#define CLI_OK    0
#define CLI_HELP  1
#define CLI_ERROR 2

/* parse argv; on CLI_ERROR a message has been printed */
int cli_parse(int argc, char **argv, struct cli *cli);
void cli_usage(FILE *out);
void cli_free(struct cli *cli);

#endif
