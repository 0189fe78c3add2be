#!/usr/bin/env bash
# Builds a sample and runs it, serving live metrics. Installs what a fresh machine lacks first
# (eng/ensure-deps.sh: gcc, make, zlib, msgpack-c and Jansson headers, with apt as root or through sudo).
#   ./run-sample.sh                    the cpu sample, fed by Fluent Bit's cpu input when a Fluent Bit is found
#                                      (FLUENT_BIT, else fluent-bit on PATH), else by the cpu source of this
#                                      repository's host (tools/flb-host); it says which: http://localhost:8989/metrics
#   ./run-sample.sh --host             the cpu sample in the host even when a Fluent Bit is found
#   ./run-sample.sh --access-log [F]   the access-log sample in the host, fed the JSON lines of F (default
#                                      samples/AccessLogExporter/sample-access.jsonl): http://localhost:8991/metrics
# HTTP_PORT=9100 ./run-sample.sh serves on another port. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"

eng/ensure-deps.sh
mode="${1:-}"

if [ "$mode" = "--access-log" ]; then
    log="${2:-samples/AccessLogExporter/sample-access.jsonl}"
    dotnet publish samples/AccessLogExporter -c Release -o artifacts/plugins/access_log_exporter
    make -C tools/flb-host >/dev/null
    port="${HTTP_PORT:-8991}"
    echo "access_log_exporter: serving http://localhost:$port/metrics from $log (Ctrl-C stops)"
    # --wait keeps the plugin loaded once the file is read, until Ctrl-C.
    exec tools/flb-host/build/flb-host -e artifacts/plugins/access_log_exporter/access_log_exporter.so \
        -o access_log_exporter -p http_port="$port" --jsonl "$log" --tag access --wait
fi

dotnet publish samples/CpuExporter -c Release -o artifacts/plugins/cpu_exporter
plugin=artifacts/plugins/cpu_exporter/cpu_exporter.so
port="${HTTP_PORT:-8989}"

fluent_bit="${FLUENT_BIT:-$(command -v fluent-bit || true)}"
if [ "$mode" != "--host" ] && [ -n "$fluent_bit" ]; then
    echo "cpu_exporter: running in $("$fluent_bit" --version | head -1) ($fluent_bit), fed by its cpu input:" \
        "http://localhost:$port/metrics (Ctrl-C stops; --host runs it in tools/flb-host instead)"
    exec "$fluent_bit" -e "$plugin" -i cpu -o cpu_exporter -p http_port="$port"
fi

make -C tools/flb-host >/dev/null
echo "cpu_exporter: no Fluent Bit found (set FLUENT_BIT, or put fluent-bit on PATH): running in this repository's host," \
    "tools/flb-host, fed by its cpu source: http://localhost:$port/metrics (Ctrl-C stops)"
exec tools/flb-host/build/flb-host -e "$plugin" -o cpu_exporter -p http_port="$port" --cpu
