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

void cli_usage(FILE *out)
{
    fprintf(out,
"usage: flb-host -e PLUGIN.so [-e OTHER.so] -o NAME [-p key=value ...]\n"
"                [-o NAME [-p key=value ...]] SOURCE [options]\n"
"\n"
"Loads Fluent Bit output plugins (.so, the proxy/Go plugin ABI) the way\n"
"Fluent Bit does and feeds them records.\n"
"\n"
"plugins and instances:\n"
"  -e, --plugin PATH      load an output plugin (repeatable)\n"
"  -o, --output NAME      add an output instance of the plugin registered as NAME\n"
"  -p, --prop KEY=VALUE   set a property of the most recent -o (repeatable);\n"
"                         'workers' and 'log_level' are used by the host\n"
"\n"
"source (exactly one):\n"
"  --chunks PATH          a chunk file or a directory of *.msgpack chunks,\n"
"                         each sent as is as one flush\n"
"    --repeat N           send the chunks N times (default 1)\n"
"    --rate N             at most N records per second (default: no limit)\n"
"  --jsonl PATH           one JSON object per line ('-' = stdin)\n"
"    --batch N            events per flush (default 1; the rest at EOF)\n"
"  --cpu                  CPU usage records like Fluent Bit's cpu input\n"
"    --interval S         seconds between records (default 1, may be fractional)\n"
"    --count N            stop after N records (default: until a signal)\n"
"\n"
"options:\n"
"  -t, --tag TAG          tag of the records (default: test, or cpu.local)\n"
"  --stack-size BYTES     coroutine stack size for flushes (default 65536)\n"
"  --proxy-def-size 48|40|32\n"
"                         size of the definition FLBPluginRegister fills:\n"
"                         48 as Fluent Bit 5.1.1 (default; a registered\n"
"                         config_map is checked against each instance's\n"
"                         properties), 40 as 4.2.0-5.1.0 (no config_map),\n"
"                         32 as up to 4.1 (no event_type either); touching\n"
"                         what a smaller one lacks faults\n"
"  --fluent-bit-version X.Y.Z\n"
"                         what 'flb-host --version', run by a plugin, answers\n"
"                         (default: 5.1.1, 5.1.0 or 4.1.1 by --proxy-def-size)\n"
"  --wait                 when a finite source is done, print 'flb-host: ready'\n"
"                         and keep the plugins loaded until stdin reaches EOF\n"
"                         or SIGINT/SIGTERM\n"
"  -Y, --enable-hot-reload\n"
"                         reload on SIGHUP as Fluent Bit's hot reload does:\n"
"                         register the plugins again, exit every instance,\n"
"                         unregister, then Init every instance again\n"
"  --bench                time the run: print records/s, CPU ns per record\n"
"                         (getrusage), peak RSS, load and Init times\n"
"  -h, --help             this help\n"
"  --version              'Fluent Bit vX.Y.Z (flb-host)', the version the\n"
"                         running host models, as fluent-bit --version prints\n"
"\n"
"exit status: 0 all callbacks succeeded, 1 a flush failed or retried or an\n"
"exit callback failed, 2 usage, load, register or input error,\n"
"3 an FLBPluginInit failed or a config map rejected an instance.\n");
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
    OPT_CHUNKS = 256, OPT_REPEAT, OPT_JSONL, OPT_BATCH, OPT_CPU,
    OPT_INTERVAL, OPT_COUNT, OPT_STACK, OPT_WAIT, OPT_RATE, OPT_BENCH,
    OPT_DEF_SIZE, OPT_FB_VERSION
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
    { "jsonl",      required_argument, NULL, OPT_JSONL },
    { "batch",      required_argument, NULL, OPT_BATCH },
    { "cpu",        no_argument,       NULL, OPT_CPU },
    { "interval",   required_argument, NULL, OPT_INTERVAL },
    { "count",      required_argument, NULL, OPT_COUNT },
    { "stack-size", required_argument, NULL, OPT_STACK },
    { "proxy-def-size", required_argument, NULL, OPT_DEF_SIZE },
    { "fluent-bit-version", required_argument, NULL, OPT_FB_VERSION },
    { "wait",       no_argument,       NULL, OPT_WAIT },
    { "enable-hot-reload", no_argument, NULL, 'Y' },
    { "bench",      no_argument,       NULL, OPT_BENCH },
    { NULL, 0, NULL, 0 }
};

static int set_source(struct cli *cli, enum source_kind kind, const char *path)
{
    if (cli->source != SOURCE_NONE) {
        return usage_error("%s", "only one source (--chunks, --jsonl or --cpu) "
                           "may be given");
    }
    cli->source = kind;
    cli->path = path;
    return CLI_OK;
}

int cli_parse(int argc, char **argv, struct cli *cli)
{
    int c;
    int seen_repeat = 0, seen_batch = 0, seen_interval = 0, seen_count = 0, seen_rate = 0;
    long v;
    char *end;
    const char *err;

    memset(cli, 0, sizeof(*cli));
    cli->repeat = 1;
    cli->batch = 1;
    cli->interval = 1.0;
    cli->stack_size = DEFAULT_STACK_SIZE;
    cli->proxy_def_size = ABI_PROXY_DEF_SIZE_5_1_1;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+:e:o:p:t:hY", long_options, NULL)) != -1) {
        switch (c) {
        case 'e': {
            char **grown = realloc(cli->plugins,
                                   (cli->plugin_count + 1) * sizeof(*grown));
            if (grown == NULL) {
                return usage_error("%s", "out of memory");
            }
            cli->plugins = grown;
            cli->plugins[cli->plugin_count++] = optarg;
            break;
        }
        case 'o': {
            struct cli_output *grown;

            if (optarg[0] == '\0') {
                return usage_error("%s", "-o needs a plugin name");
            }
            grown = realloc(cli->outputs,
                            (cli->output_count + 1) * sizeof(*grown));
            if (grown == NULL) {
                return usage_error("%s", "out of memory");
            }
            cli->outputs = grown;
            memset(&cli->outputs[cli->output_count], 0, sizeof(*grown));
            cli->outputs[cli->output_count].name = optarg;
            cli->output_count++;
            break;
        }
        case 'p':
            if (cli->output_count == 0) {
                return usage_error("-p %s: a property must follow an -o NAME",
                                   optarg);
            }
            if (props_add_text(&cli->outputs[cli->output_count - 1].props,
                               optarg, &err) != 0) {
                char buf[256];
                snprintf(buf, sizeof(buf), "-p %%s: %s", err);
                return usage_error(buf, optarg);
            }
            break;
        case 't':
            if (optarg[0] == '\0') {
                return usage_error("%s", "the tag must not be empty");
            }
            cli->tag = optarg;
            break;
        case 'h':
            return CLI_HELP;
        case OPT_CHUNKS:
            if (set_source(cli, SOURCE_CHUNKS, optarg) != CLI_OK) {
                return CLI_ERROR;
            }
            break;
        case OPT_JSONL:
            if (set_source(cli, SOURCE_JSONL, optarg) != CLI_OK) {
                return CLI_ERROR;
            }
            break;
        case OPT_CPU:
            if (set_source(cli, SOURCE_CPU, NULL) != CLI_OK) {
                return CLI_ERROR;
            }
            break;
        case OPT_REPEAT:
            if (parse_long(optarg, 0, LONG_MAX, &cli->repeat) != 0) {
                return usage_error("--repeat %s: expected an integer >= 0", optarg);
            }
            seen_repeat = 1;
            break;
        case OPT_RATE:
            errno = 0;
            cli->rate = strtod(optarg, &end);
            if (errno != 0 || end == optarg || *end != '\0' ||
                !isfinite(cli->rate) || cli->rate < 1.0 || cli->rate > 1e9) {
                return usage_error("--rate %s: expected records per second "
                                   "between 1 and 1e9", optarg);
            }
            seen_rate = 1;
            break;
        case OPT_BATCH:
            if (parse_long(optarg, 1, LONG_MAX, &cli->batch) != 0) {
                return usage_error("--batch %s: expected an integer >= 1", optarg);
            }
            seen_batch = 1;
            break;
        case OPT_COUNT:
            if (parse_long(optarg, 0, LONG_MAX, &cli->count) != 0) {
                return usage_error("--count %s: expected an integer >= 0 "
                                   "(0 = until a signal)", optarg);
            }
            seen_count = 1;
            break;
        case OPT_INTERVAL:
            errno = 0;
            cli->interval = strtod(optarg, &end);
            if (errno != 0 || end == optarg || *end != '\0' ||
                !isfinite(cli->interval) || cli->interval < 0.001 ||
                cli->interval > 86400.0) {
                return usage_error("--interval %s: expected seconds between "
                                   "0.001 and 86400", optarg);
            }
            seen_interval = 1;
            break;
        case OPT_STACK:
            if (parse_long(optarg, MIN_STACK_SIZE, 1L << 30, &v) != 0) {
                return usage_error("--stack-size %s: expected bytes between "
                                   "8192 and 1073741824", optarg);
            }
            cli->stack_size = (size_t) v;
            break;
        case OPT_DEF_SIZE:
            if (parse_long(optarg, 0, LONG_MAX, &v) != 0 ||
                (v != ABI_PROXY_DEF_SIZE_5_1_1 && v != ABI_PROXY_DEF_SIZE_4_2 &&
                 v != ABI_PROXY_DEF_SIZE_4_1)) {
                return usage_error("--proxy-def-size %s: expected 48 (Fluent Bit "
                                   "5.1.1), 40 (Fluent Bit 4.2.0 to 5.1.0) or 32 "
                                   "(Fluent Bit up to 4.1)", optarg);
            }
            cli->proxy_def_size = (size_t) v;
            break;
        case OPT_FB_VERSION: {
            unsigned a, b, c;
            char tail;

            if (sscanf(optarg, "%u.%u.%u%c", &a, &b, &c, &tail) != 3) {
                return usage_error("--fluent-bit-version %s: expected X.Y.Z", optarg);
            }
            cli->fluent_bit_version = optarg;
            break;
        }
        case 'Y':
            cli->hot_reload = 1;
            break;
        case OPT_WAIT:
            cli->wait = 1;
            break;
        case OPT_BENCH:
            cli->bench = 1;
            break;
        case ':':
            if (optopt != 0) {
                char opt[3] = { '-', (char) optopt, '\0' };
                return usage_error("%s needs a value", opt);
            }
            return usage_error("%s needs a value", argv[optind - 1]);
        default:
            if (optopt != 0) {
                char opt[3] = { '-', (char) optopt, '\0' };
                return usage_error("unknown option %s", opt);
            }
            return usage_error("unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        return usage_error("unexpected argument '%s'", argv[optind]);
    }
    if (cli->plugin_count == 0) {
        return usage_error("%s", "no plugin given (-e PLUGIN.so)");
    }
    if (cli->output_count == 0) {
        return usage_error("%s", "no output instance given (-o NAME)");
    }
    if (cli->source == SOURCE_NONE) {
        return usage_error("%s", "no source given (--chunks, --jsonl or --cpu)");
    }
    if ((seen_repeat || seen_rate) && cli->source != SOURCE_CHUNKS) {
        return usage_error("%s", "--repeat and --rate only apply to --chunks");
    }
    if (seen_batch && cli->source != SOURCE_JSONL) {
        return usage_error("%s", "--batch only applies to --jsonl");
    }
    if ((seen_interval || seen_count) && cli->source != SOURCE_CPU) {
        return usage_error("%s", "--interval and --count only apply to --cpu");
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
