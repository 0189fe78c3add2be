#!/usr/bin/env bash
# Runs every test: publishes the plugins the end-to-end tests load, builds the host, then runs the
# host's own checks and the xunit suites. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")"

eng/ensure-deps.sh --tests
dotnet publish samples/CpuExporter -c Release -o artifacts/plugins/cpu_exporter
dotnet publish samples/AccessLogExporter -c Release -o artifacts/plugins/access_log_exporter
dotnet publish tests/Plugins/TestExporter -c Release -o artifacts/plugins/test_exporter
dotnet publish tests/Plugins/ShapesExporter -c Release -o artifacts/plugins/shapes_exporter
dotnet publish tests/Plugins/StackExporter -c Release -o artifacts/plugins/stack_exporter
make -C tools/flb-host
make -C tools/flb-host check
dotnet test Framework.sln -c Release
