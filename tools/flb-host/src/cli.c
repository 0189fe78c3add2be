/*
 * cli.c - parse the command line (kept close to fluent-bit's: -e, -o, -p, -t).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "log.h"

#define DEFAULT_STACK_SIZE 65536
#define MIN_STACK_SIZE     8192

/* the details are in README.md */
void cli_usage(FILE *out)
{
    fprintf(out,
"usage: flb-host -e PLUGIN.so [-e OTHER.so] -o NAME [-p key=value ...]\n"
"                [-o NAME [-p key=value ...]] SOURCE [options]\n"
"source: --chunks PATH [--repeat N] [--rate N] | --cpu [--interval S] [--count N]\n"
"options: -t TAG, --stack-size BYTES, --proxy-def-size 48|40|32,\n"
"         --fluent-bit-version X.Y.Z, --wait, -h; flb-host --version\n"
"exit status: 0 all callbacks succeeded, 1 a flush failed or retried or an\n"
"exit callback failed, 2 usage, load, register or input error,\n"
"3 an FLBPluginInit failed. See tools/flb-host/README.md.\n");
}

static int usage_error(const char *fmt, const char *arg)
{
    char buf[512];

    snprintf(buf, sizeof(buf), fmt, arg);
    host_msg("%s (try -h)", buf);
    return CLI_ERROR;
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

enum {
    OPT_CHUNKS = 256, OPT_REPEAT, OPT_RATE, OPT_CPU, OPT_INTERVAL, OPT_COUNT,
    OPT_STACK, OPT_DEF_SIZE, OPT_FB_VERSION, OPT_WAIT
};

static const struct option long_options[] = {
    { "plugin",     required_argument, NULL, 'e' },
    { "output",     required_argument, NULL, 'o' },
    { "prop",       required_argument, NULL, 'p' },
    { "tag",        required_argument, NULL, 't' },
    { "help",       no_argument,       NULL, 'h' },
    { "chunks",     required_argument, NULL, OPT_CHUNKS },
    { "repeat",     required_argument, NULL, OPT_REPEAT },
    { "rate",       required_argument, NULL, OPT_RATE },
    { "cpu",        no_argument,       NULL, OPT_CPU },
    { "interval",   required_argument, NULL, OPT_INTERVAL },
    { "count",      required_argument, NULL, OPT_COUNT },
    { "stack-size", required_argument, NULL, OPT_STACK },
    { "proxy-def-size", required_argument, NULL, OPT_DEF_SIZE },
    { "fluent-bit-version", required_argument, NULL, OPT_FB_VERSION },
    { "wait",       no_argument,       NULL, OPT_WAIT },
    { NULL, 0, NULL, 0 }
};

/* which source-specific options were given, to refuse them with another source */
struct seen {
    int chunks_only;   /* --repeat, --rate */
    int cpu_only;      /* --interval, --count */
};

static int set_source(struct cli *cli, enum source_kind kind, const char *path)
{
    if (cli->source != SOURCE_NONE) {
        return usage_error("%s", "only one source (--chunks or --cpu) may be given");
    }
    cli->source = kind;
    cli->path = path;
    return CLI_OK;
}

static int parse_double(const char *s, double min, double max, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < min || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

static int add_plugin(struct cli *cli, char *path)
{
    char **grown = realloc(cli->plugins, (cli->plugin_count + 1) * sizeof(*grown));

    if (grown == NULL) {
        return usage_error("%s", "out of memory");
    }
    cli->plugins = grown;
    cli->plugins[cli->plugin_count++] = path;
    return CLI_OK;
}

static int add_output(struct cli *cli, char *name)
{
    struct cli_output *grown;

    if (name[0] == '\0') {
        return usage_error("%s", "-o needs a plugin name");
    }
    grown = realloc(cli->outputs, (cli->output_count + 1) * sizeof(*grown));
    if (grown == NULL) {
        return usage_error("%s", "out of memory");
    }
    cli->outputs = grown;
    memset(&cli->outputs[cli->output_count], 0, sizeof(*grown));
    cli->outputs[cli->output_count++].name = name;
    return CLI_OK;
}

static int add_prop(struct cli *cli, const char *text)
{
    const char *err;
    char fmt[256];

    if (cli->output_count == 0) {
        return usage_error("-p %s: a property must follow an -o NAME", text);
    }
    if (props_add_text(&cli->outputs[cli->output_count - 1].props, text, &err) == 0) {
        return CLI_OK;
    }
    snprintf(fmt, sizeof(fmt), "-p %%s: %s", err);
    return usage_error(fmt, text);
}

static int set_def_size(struct cli *cli, const char *arg)
{
    long v;

    if (parse_long(arg, 0, LONG_MAX, &v) != 0 ||
        (v != ABI_PROXY_DEF_SIZE_5_1_1 && v != ABI_PROXY_DEF_SIZE_4_2 &&
         v != ABI_PROXY_DEF_SIZE_4_1)) {
        return usage_error("--proxy-def-size %s: expected 48 (Fluent Bit 5.1.1), "
                           "40 (Fluent Bit 4.2.0 to 5.1.0) or 32 (Fluent Bit up "
                           "to 4.1)", arg);
    }
    cli->proxy_def_size = (size_t) v;
    return CLI_OK;
}

static int set_fb_version(struct cli *cli, const char *arg)
{
    unsigned a, b, c;
    char tail;

    if (sscanf(arg, "%u.%u.%u%c", &a, &b, &c, &tail) != 3) {
        return usage_error("--fluent-bit-version %s: expected X.Y.Z", arg);
    }
    cli->fluent_bit_version = arg;
    return CLI_OK;
}

/* the options that shape what is sent: the source, its pace, the flush
 * stack; CLI_OK, CLI_ERROR, or -1 if c is not one of them */
static int send_option(struct cli *cli, struct seen *seen, int c, char *arg)
{
    long v;

    switch (c) {
    case OPT_CHUNKS:
        return set_source(cli, SOURCE_CHUNKS, arg);
    case OPT_CPU:
        return set_source(cli, SOURCE_CPU, NULL);
    case OPT_REPEAT:
        seen->chunks_only = 1;
        return parse_long(arg, 0, LONG_MAX, &cli->repeat) == 0 ? CLI_OK :
               usage_error("--repeat %s: expected an integer >= 0", arg);
    case OPT_RATE:
        seen->chunks_only = 1;
        return parse_double(arg, 1.0, 1e9, &cli->rate) == 0 ? CLI_OK :
               usage_error("--rate %s: expected records per second between 1 and 1e9", arg);
    case OPT_COUNT:
        seen->cpu_only = 1;
        return parse_long(arg, 0, LONG_MAX, &cli->count) == 0 ? CLI_OK :
               usage_error("--count %s: expected an integer >= 0 (0 = until a signal)", arg);
    case OPT_INTERVAL:
        seen->cpu_only = 1;
        return parse_double(arg, 0.001, 86400.0, &cli->interval) == 0 ? CLI_OK :
               usage_error("--interval %s: expected seconds between 0.001 and 86400", arg);
    case OPT_STACK:
        if (parse_long(arg, MIN_STACK_SIZE, 1L << 30, &v) != 0) {
            return usage_error("--stack-size %s: expected bytes between 8192 and "
                               "1073741824", arg);
        }
        cli->stack_size = (size_t) v;
        return CLI_OK;
    default:
        return -1;
    }
}

/* getopt's ':' (a value is missing) and '?' (unknown option) */
static int getopt_error(int c, char **argv)
{
    const char *fmt = c == ':' ? "%s needs a value" : "unknown option %s";
    char opt[3] = { '-', (char) optopt, '\0' };

    return usage_error(fmt, optopt != 0 ? opt : argv[optind - 1]);
}

static int option(struct cli *cli, struct seen *seen, int c, char **argv)
{
    int ret = send_option(cli, seen, c, optarg);

    if (ret != -1) {
        return ret;
    }
    switch (c) {
    case 'e':
        return add_plugin(cli, optarg);
    case 'o':
        return add_output(cli, optarg);
    case 'p':
        return add_prop(cli, optarg);
    case 't':
        cli->tag = optarg;
        return optarg[0] != '\0' ? CLI_OK : usage_error("%s", "the tag must not be empty");
    case 'h':
        return CLI_HELP;
    case OPT_DEF_SIZE:
        return set_def_size(cli, optarg);
    case OPT_FB_VERSION:
        return set_fb_version(cli, optarg);
    case OPT_WAIT:
        cli->wait = 1;
        return CLI_OK;
    default:
        return getopt_error(c, argv);
    }
}

/* what must be given, and options that do not fit the source */
static int check_complete(const struct cli *cli, const struct seen *seen)
{
    if (cli->plugin_count == 0) {
        return usage_error("%s", "no plugin given (-e PLUGIN.so)");
    }
    if (cli->output_count == 0) {
        return usage_error("%s", "no output instance given (-o NAME)");
    }
    if (cli->source == SOURCE_NONE) {
        return usage_error("%s", "no source given (--chunks or --cpu)");
    }
    if (seen->chunks_only && cli->source != SOURCE_CHUNKS) {
        return usage_error("%s", "--repeat and --rate only apply to --chunks");
    }
    if (seen->cpu_only && cli->source != SOURCE_CPU) {
        return usage_error("%s", "--interval and --count only apply to --cpu");
    }
    return CLI_OK;
}

int cli_parse(int argc, char **argv, struct cli *cli)
{
    struct seen seen = { 0, 0 };
    int c, ret;

    memset(cli, 0, sizeof(*cli));
    cli->repeat = 1;
    cli->interval = 1.0;
    cli->stack_size = DEFAULT_STACK_SIZE;
    cli->proxy_def_size = ABI_PROXY_DEF_SIZE_5_1_1;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+:e:o:p:t:h", long_options, NULL)) != -1) {
        if ((ret = option(cli, &seen, c, argv)) != CLI_OK) {
            return ret;
        }
    }
    if (optind < argc) {
        return usage_error("unexpected argument '%s'", argv[optind]);
    }
    if ((ret = check_complete(cli, &seen)) != CLI_OK) {
        return ret;
    }
    if (cli->fluent_bit_version == NULL) {
        cli->fluent_bit_version =
            cli->proxy_def_size == ABI_PROXY_DEF_SIZE_5_1_1 ? "5.1.1" :
            cli->proxy_def_size == ABI_PROXY_DEF_SIZE_4_2 ? "5.1.0" : "4.1.1";
    }
    if (cli->tag == NULL) {
        cli->tag = cli->source == SOURCE_CPU ? "cpu.local" : "test";
    }
    return CLI_OK;
}

void cli_free(struct cli *cli)
{
    size_t i;

    for (i = 0; i < cli->output_count; i++) {
        props_free(&cli->outputs[i].props);
    }
    free(cli->outputs);
    free(cli->plugins);
    memset(cli, 0, sizeof(*cli));
}
