#!/usr/bin/env bash
# Builds a sample and runs it, serving live metrics. Installs what a fresh machine lacks first
# (eng/ensure-deps.sh: gcc, make, zlib and msgpack-c headers, with apt as root or through sudo).
#   ./run-sample.sh                    the cpu sample, fed by Fluent Bit's cpu input when a Fluent Bit is found
#                                      (FLUENT_BIT, else fluent-bit on PATH), else by the cpu source of this
#                                      repository's host (tools/flb-host); it says which: http://localhost:8989/metrics
#   ./run-sample.sh --host             the cpu sample in the host even when a Fluent Bit is found
#   ./run-sample.sh --access-log [F]   the access-log sample fed the JSON lines of F (default
#                                      samples/AccessLogExporter/sample-access.jsonl) by Fluent Bit's tail input when a
#                                      Fluent Bit is found, else the sample log (as the chunk sample-access.msgpack) in
#                                      the host: http://localhost:8991/metrics
# HTTP_PORT=9100 ./run-sample.sh serves on another port. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"

mode="${1:-}"
if [ "$mode" = "-h" ] || [ "$mode" = "--help" ]; then
    sed -n '2,12p' "$0"
    exit 0
fi
eng/ensure-deps.sh

fluent_bit="${FLUENT_BIT:-$(command -v fluent-bit || true)}"

if [ "$mode" = "--access-log" ]; then
    sample=samples/AccessLogExporter
    log="${2:-$sample/sample-access.jsonl}"
    dotnet publish $sample -c Release -o artifacts/plugins/access_log_exporter
    plugin=artifacts/plugins/access_log_exporter/access_log_exporter.so
    port="${HTTP_PORT:-8991}"
    if [ -n "$fluent_bit" ]; then
        mkdir -p artifacts/run-sample
        printf '[PARSER]\n    Name   json\n    Format json\n' > artifacts/run-sample/parsers.conf
        echo "access_log_exporter: running in $("$fluent_bit" --version | head -1) ($fluent_bit), its tail input reading" \
            "$log: http://localhost:$port/metrics (Ctrl-C stops)"
        exec "$fluent_bit" -R artifacts/run-sample/parsers.conf -e "$plugin" \
            -i tail -p path="$log" -p read_from_head=on -p parser=json -t access -o access_log_exporter -m '*' -p http_port="$port"
    fi
    # The host reads no JSON: it replays the sample log packed as Fluent Bit's json parser packs it.
    if [ "$log" != "$sample/sample-access.jsonl" ]; then
        echo "run-sample.sh: reading $log takes Fluent Bit's tail input: set FLUENT_BIT, or put fluent-bit on PATH" >&2
        exit 2
    fi
    make -C tools/flb-host >/dev/null
    echo "access_log_exporter: no Fluent Bit found: running in this repository's host, tools/flb-host, fed the sample log:" \
        "http://localhost:$port/metrics (Ctrl-C stops)"
    # --wait keeps the plugin loaded once the chunk is sent, until Ctrl-C.
    exec tools/flb-host/build/flb-host -e "$plugin" -o access_log_exporter -p http_port="$port" \
        --chunks $sample/sample-access.msgpack --tag access --wait
fi

dotnet publish samples/CpuExporter -c Release -o artifacts/plugins/cpu_exporter
plugin=artifacts/plugins/cpu_exporter/cpu_exporter.so
port="${HTTP_PORT:-8989}"

if [ "$mode" != "--host" ] && [ -n "$fluent_bit" ]; then
    echo "cpu_exporter: running in $("$fluent_bit" --version | head -1) ($fluent_bit), fed by its cpu input:" \
        "http://localhost:$port/metrics (Ctrl-C stops; --host runs it in tools/flb-host instead)"
    exec "$fluent_bit" -e "$plugin" -i cpu -o cpu_exporter -p http_port="$port"
fi

make -C tools/flb-host >/dev/null
echo "cpu_exporter: no Fluent Bit found (set FLUENT_BIT, or put fluent-bit on PATH): running in this repository's host," \
    "tools/flb-host, fed by its cpu source: http://localhost:$port/metrics (Ctrl-C stops)"
exec tools/flb-host/build/flb-host -e "$plugin" -o cpu_exporter -p http_port="$port" --cpu
