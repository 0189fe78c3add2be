#!/usr/bin/env bash
# Builds the cpu sample and runs it, serving live metrics at http://localhost:8989/metrics.
#   ./run-sample.sh               in this repository's host (tools/flb-host), fed by its built-in cpu
#                                 source: no Fluent Bit needed
#   ./run-sample.sh --fluent-bit  in Fluent Bit itself (fluent-bit must be on PATH)
# HTTP_PORT=9100 ./run-sample.sh serves on another port. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"

eng/ensure-deps.sh
dotnet publish samples/CpuExporter -c Release -o artifacts/plugins/cpu_exporter
plugin=artifacts/plugins/cpu_exporter/cpu_exporter.so
port="${HTTP_PORT:-8989}"

if [ "${1:-}" = "--fluent-bit" ]; then
    exec fluent-bit -e "$plugin" -i cpu -o cpu_exporter -p http_port="$port"
fi

make -C tools/flb-host >/dev/null
echo "cpu_exporter: serving http://localhost:$port/metrics (Ctrl-C stops)"
exec tools/flb-host/build/flb-host -e "$plugin" -o cpu_exporter -p http_port="$port" --cpu
