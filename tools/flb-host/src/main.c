/*
 * main.c - flb-host: load Fluent Bit output plugins the way Fluent Bit
 * does and feed them records.  See README.md for the command line.
 *
 * Order of a run:
 *   parse the command line, open the source (exit 2 on errors)
 *   dlopen + PreRegister + Register every -e (exit 2 on errors)
 *   create the -o instances; each checked against its plugin's config map,
 *   then FLBPluginInit on this thread (exit 3)
 *   FLBPluginOutputPreRun per instance, start flush threads
 *   "flb-host: started"; run the source; wait for every flush
 *   --bench: "flb-host: bench records=... cpu_ns_per_record=... ..."
 *   --wait: "flb-host: ready", then wait for stdin EOF or a signal
 *   -Y: a SIGHUP reloads between two chunks (or while waiting)
 *   PreExit + ExitCtx/Exit per instance, Unregister + dlclose per plugin
 *   one summary line per instance; exit 0 / 1 / 2
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "engine.h"
#include "log.h"
#include "signals.h"
#include "source.h"

#define EXIT_FLUSH_FAILED 1
#define EXIT_USAGE        2
#define EXIT_INIT_FAILED  3

/* the Fluent Bit version a host models, for its child --version */
#define FLB_HOST_VERSION_ENV "FLB_HOST_FLUENT_BIT_VERSION"

/* --wait: block until stdin reaches EOF or a stop signal arrives; with -Y,
 * reload on SIGHUP meanwhile */
static void wait_for_release(struct engine *e)
{
    char buf[4096];

    for (;;) {
        ssize_t n;
        int w = e->cli->hot_reload ? signals_wait_or_reload(0, NULL)
                                   : signals_wait(0, NULL);

        if (w < 0) {
            return;
        }
        if (w == 2) {
            signals_take_reload();
            if (engine_reload(e) == -2) {
                return;
            }
            continue;
        }
        n = read(0, buf, sizeof(buf));
        if (n == 0) {
            return;
        }
        if (n < 0 && errno != EINTR && errno != EAGAIN) {
            return;   /* stdin closed or unusable: treat as EOF */
        }
    }
}

static int open_source(const struct cli *cli, struct source *src)
{
    switch (cli->source) {
    case SOURCE_CHUNKS:
        return source_chunks_open(cli, src);
    case SOURCE_JSONL:
        return source_jsonl_open(cli, src);
    case SOURCE_CPU:
        return source_cpu_open(cli, src);
    default:
        return -1;
    }
}

int main(int argc, char **argv)
{
    struct cli cli;
    struct engine engine;
    struct source src;
    struct bench bench;
    enum source_result result;
    int status = 0;
    int ret;

    /* What a plugin that asks the executable which Fluent Bit it is (as it
     * asks fluent-bit --version) reads: the version the parent host models,
     * passed down in the environment. */
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        const char *v = getenv(FLB_HOST_VERSION_ENV);

        printf("Fluent Bit v%s (flb-host)\n", v != NULL && v[0] != '\0' ? v : "5.1.1");
        return 0;
    }

    ret = cli_parse(argc, argv, &cli);
    if (ret == CLI_HELP) {
        cli_usage(stdout);
        cli_free(&cli);
        return 0;
    }
    if (ret != CLI_OK) {
        cli_free(&cli);
        return EXIT_USAGE;
    }
    if (setenv(FLB_HOST_VERSION_ENV, cli.fluent_bit_version, 1) != 0) {
        host_msg("cannot set %s: %s", FLB_HOST_VERSION_ENV, strerror(errno));
        return EXIT_USAGE;
    }
    if (signals_install() != 0) {
        host_msg("cannot install signal handlers: %s", strerror(errno));
        return EXIT_USAGE;
    }

    memset(&src, 0, sizeof(src));
    if (open_source(&cli, &src) != 0) {
        cli_free(&cli);
        return EXIT_USAGE;
    }

    /* plugins and instances: any problem here is a usage/load error */
    memset(&bench, 0, sizeof(bench));
    bench_mark(&bench);
    if (engine_load_plugins(&engine, &cli) != 0 ||
        engine_create_instances(&engine) != 0) {
        src.close(&src);
        return EXIT_USAGE;
    }

    bench.load_ms = bench_elapsed_ms(&bench);
    bench_mark(&bench);
    if (engine_init_instances(&engine) != 0) {
        /* like Fluent Bit: shut down what was initialised, then stop */
        engine_shutdown(&engine);
        engine_report(&engine);
        engine_free(&engine);
        src.close(&src);
        cli_free(&cli);
        return EXIT_INIT_FAILED;
    }

    bench.init_ms = bench_elapsed_ms(&bench);
    bench.init_rss_kb = bench_status_field("VmRSS");

    if (engine_start(&engine) != 0) {
        status = EXIT_USAGE;
        result = SOURCE_FAILED;
    }
    else {
        host_stdout_line("flb-host: started");
        if (signals_stop_requested()) {
            result = SOURCE_STOPPED;
        }
        else {
            bench_run_begin(&bench);
            result = src.run(&src, &engine);
        }
    }

    /* in-flight flushes always finish; queued ones are dropped after a signal */
    engine_drain(&engine, signals_stop_requested() != 0);
    if (cli.bench && result == SOURCE_DONE) {
        bench_report(&bench, &engine);
    }

    if (result == SOURCE_DONE && cli.wait && !signals_stop_requested()) {
        host_stdout_line("flb-host: ready");
        wait_for_release(&engine);
        /* a reload meanwhile started flush threads again */
        engine_drain(&engine, 0);
    }

    engine_shutdown(&engine);
    if (engine_report(&engine) != 0 && status == 0) {
        status = EXIT_FLUSH_FAILED;
    }
    if (result == SOURCE_FAILED) {
        status = EXIT_USAGE;
    }
    if (engine.reload_failed) {
        status = EXIT_INIT_FAILED;
    }
    engine_free(&engine);
    src.close(&src);
    cli_free(&cli);
    return status;
}
