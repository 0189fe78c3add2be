#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md and prints one table of results with their ratios:
#   - the BenchmarkDotNet suites (benchmarks/): ns and bytes per record against the floor (a reader that skips
#     every event) and a naive plugin, scrapes of 1,000 to 100,000 series, flush throughput while scraping;
#   - the same per-record suites as fastest-of-interleaved-rounds, a cross-check on a busy machine;
#   - the host bench (tools/flb-host --bench): cpu_exporter.so replayed through the host on coroutine stacks,
#     CPU per record minus the host's own (its null output), records/s, memory, load and Init times, and the
#     same for another plugin .so given with --plugin (a Go plugin, for instance).
#
#   ./bench.sh                      quick: BenchmarkDotNet's short job (about 15 minutes on 2 cores)
#   ./bench.sh --full               BenchmarkDotNet's default job (much longer)
#   ./bench.sh --plugin PATH.so --name NAME [-p key=value ...]
#                                   also run that plugin (registered as NAME) in the host bench
#   ./bench.sh --workers N          flush threads for the host bench (default 1)
#   ./bench.sh --host-only | --dotnet-only
#
# Results: artifacts/bench/results.md (and BenchmarkDotNet's own reports under artifacts/bench/).
set -euo pipefail
cd "$(dirname "$0")"

job=(--job short)
other_plugin="" other_name="" other_props=() workers=1 run_dotnet=1 run_host=1
while [ $# -gt 0 ]; do
    case "$1" in
        --full) job=(); shift ;;
        --plugin) other_plugin=$(realpath "$2"); shift 2 ;;
        --name) other_name=$2; shift 2 ;;
        -p) other_props+=(-p "$2"); shift 2 ;;
        --workers) workers=$2; shift 2 ;;
        --host-only) run_dotnet=0; shift ;;
        --dotnet-only) run_host=0; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
if [ -n "$other_plugin" ] && [ -z "$other_name" ]; then
    echo "bench.sh: --plugin needs --name (the name the plugin registers)" >&2
    exit 2
fi

out=artifacts/bench
mkdir -p "$out"
results=$out/results.md

eng/ensure-deps.sh
load_before=$(awk '{print $1, $2, $3}' /proc/loadavg)

{
    echo "# Benchmark results"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/^Mem:/ {print $2}') GiB;"
    echo "load average (1, 5, 15 min) before: $load_before"
    echo
} > "$results"

if [ "$run_dotnet" -eq 1 ]; then
    dotnet build benchmarks/FluentBit.Plugins.Benchmarks -c Release -v quiet -nologo
    bench_dll=benchmarks/FluentBit.Plugins.Benchmarks/bin/Release/net10.0/FluentBit.Plugins.Benchmarks.dll
    dotnet "$bench_dll" --filter '*' "${job[@]}" --out "$out"
    dotnet "$bench_dll" --interleaved 15 --out "$out"
    {
        echo "## In process (BenchmarkDotNet${job:+, --job short})"
        echo
        cat "$out/dotnet.md"
        echo "## In process, fastest of interleaved rounds (cross-check)"
        echo
        tail -n +3 "$out/interleaved.md"
        echo
    } >> "$results"
fi

if [ "$run_host" -eq 1 ]; then
    make -C tools/flb-host -s all test-plugin
    dotnet publish samples/CpuExporter -c Release -o artifacts/plugins/cpu_exporter -v quiet -nologo
    host=tools/flb-host/build/flb-host
    # The real cpu events (2 cores) repeated into a chunk of 500, as a busy Fluent Bit flushes them.
    chunks=$out/chunks/cpu500
    mkdir -p "$chunks"
    for _ in $(seq 125); do cat tests/vectors/cpu/*.msgpack; done > "$chunks/0000.msgpack"
    runs=3 repeat=1000
    : > "$out/host.tsv"

    # host_run LABEL PLUGIN NAME [-p ...]: the replay and an idle host with the cpu input, $runs times each
    host_run() {
        local label=$1 plugin=$2 name=$3 i line idle
        shift 3
        for i in $(seq "$runs"); do
            line=$("$host" -e "$plugin" -o "$name" -p workers="$workers" "$@" --chunks "$chunks" --repeat "$repeat" --bench 2>/dev/null </dev/null | grep '^flb-host: bench ')
            idle=$("$host" -e "$plugin" -o "$name" "$@" --cpu --interval 0.1 --count 20 --bench 2>/dev/null </dev/null | grep '^flb-host: bench ')
            echo "$label replay $line" >> "$out/host.tsv"
            echo "$label idle $idle" >> "$out/host.tsv"
        done
    }
    host_run null tools/flb-host/build/testplugin.so testout -p null=1
    host_run cpu_exporter artifacts/plugins/cpu_exporter/cpu_exporter.so cpu_exporter -p http_listen=127.0.0.1 -p http_port=18989
    if [ -n "$other_plugin" ]; then
        host_run "$other_name" "$other_plugin" "$other_name" "${other_props[@]}"
    fi

    {
        echo "## Host bench (tools/flb-host --bench, $runs runs each, medians; workers=$workers)"
        echo
        echo "Replay: $(( repeat * 500 )) cpu records (2 cores) in chunks of 500. Idle: the host's cpu input, 20 records at 0.1 s."
        echo "\"minus null\" subtracts the same run through the host's null output (the host's own copying, queueing and coroutine switches)."
        echo
        awk -f eng/bench-host-table.awk "$out/host.tsv"
        echo
    } >> "$results"
fi

echo "load average (1, 5, 15 min) after: $(awk '{print $1, $2, $3}' /proc/loadavg)" >> "$results"
echo
cat "$results"
