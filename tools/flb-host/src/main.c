/*
 * main.c - flb-host: load Fluent Bit output plugins the way Fluent Bit
 * does and feed them records.  See README.md for the command line.
 *
 * Order of a run:
 *   parse the command line, open the source (exit 2 on errors)
 *   dlopen + PreRegister + Register every -e (exit 2 on errors)
 *   create the -o instances, then FLBPluginInit on this thread (exit 3)
 *   FLBPluginOutputPreRun per instance, start flush threads
 *   "flb-host: started"; run the source; wait for every flush
 *   --wait: "flb-host: ready", then wait for stdin EOF or a signal
 *   PreExit + ExitCtx per instance, Unregister + dlclose per plugin
 *   one summary line per instance; exit 0 / 1 / 2
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* --wait: block until stdin reaches EOF or a stop signal arrives */
static void wait_for_release(void)
{
    char buf[4096];

    for (;;) {
        ssize_t n;

        if (signals_wait(0) < 0) {
            return;
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
    if (engine_load_plugins(&engine, &cli) != 0 ||
        engine_create_instances(&engine) != 0) {
        src.close(&src);
        return EXIT_USAGE;
    }

    if (engine_init_instances(&engine) != 0) {
        /* like Fluent Bit: shut down what was initialised, then stop */
        engine_shutdown(&engine);
        engine_report(&engine);
        engine_free(&engine);
        src.close(&src);
        cli_free(&cli);
        return EXIT_INIT_FAILED;
    }

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
            result = src.run(&src, &engine);
        }
    }

    /* in-flight flushes always finish; queued ones are dropped after a signal */
    engine_drain(&engine, signals_stop_requested() != 0);

    if (result == SOURCE_DONE && cli.wait && !signals_stop_requested()) {
        host_stdout_line("flb-host: ready");
        wait_for_release();
    }

    engine_shutdown(&engine);
    if (engine_report(&engine) != 0 && status == 0) {
        status = EXIT_FLUSH_FAILED;
    }
    if (result == SOURCE_FAILED) {
        status = EXIT_USAGE;
    }
    engine_free(&engine);
    src.close(&src);
    cli_free(&cli);
    return status;
}
