#!/usr/bin/env bash
# Runs every test: publishes the plugins the end-to-end tests load, builds the host, then runs the
# host's own checks, the xunit suites and the package test. Installs what it needs first.
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
dotnet test Framework.sln -c Release --filter "Category!=Package"
# The package path on its own, as it builds while it runs: packs into a folder feed, creates a plugin from the
# template outside the repository, runs its tests, publishes its .so and loads it in the host.
dotnet test tests/FluentBit.Plugins.Package.Tests -c Release --no-build --filter "Category=Package"
