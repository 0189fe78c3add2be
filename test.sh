#!/usr/bin/env bash
# Runs every test: publishes the plugins the end-to-end tests load, builds the host, then runs the
# host's own checks, the xunit suites, the real-Fluent-Bit tiers and the package test. Installs what it
# needs first. The real-Fluent-Bit tier runs the published plugins in Fluent Bit itself, found as a user
# has it: FLUENT_BIT names the binary, else fluent-bit on PATH (../shared/fluent-bit/build.sh builds
# 5.1.1). The compatibility tier runs both samples in every binary FLUENT_BIT_COMPAT lists (space-separated;
# .ci/run builds 2.2.3, 3.2.10, 4.1.1, 4.2.8 and 5.1.1), else in that one Fluent Bit. Without one both are
# skipped with a loud line; FLUENT_BIT_REQUIRED=1 (what .ci/run sets) makes that, or a tier that ran no
# test, a failure. FLUENT_BIT_ARM64 names an arm64 Fluent Bit (eng/build-fluent-bit-arm64.sh cross-builds
# 5.1.1): both samples are then published for linux-arm64 too and run in it under qemu-user.
set -euo pipefail
cd "$(dirname "$0")"

fluent_bit="${FLUENT_BIT:-$(command -v fluent-bit || true)}"
if [ -n "$fluent_bit" ] && [ ! -x "$fluent_bit" ]; then
    echo "test.sh: FLUENT_BIT=$fluent_bit is not an executable file" >&2
    exit 1
fi
if [ -z "$fluent_bit" ] && [ "${FLUENT_BIT_REQUIRED:-0}" = "1" ]; then
    echo "test.sh: FLUENT_BIT_REQUIRED=1 but no Fluent Bit: set FLUENT_BIT or put fluent-bit on PATH" >&2
    exit 1
fi
compat_binaries="${FLUENT_BIT_COMPAT:-$fluent_bit}"
for binary in $compat_binaries; do
    if [ ! -x "$binary" ]; then
        echo "test.sh: FLUENT_BIT_COMPAT names $binary, which is not an executable file" >&2
        exit 1
    fi
done

# Passes when the dotnet test log ($1) shows a run with no failure and at least one test passed.
tier_passed() {
    local ran
    ran=$(grep -oE "Passed!  - Failed: +0, Passed: +[0-9]+" "$1" | grep -oE "[0-9]+$" || true)
    [ -n "$ran" ] && [ "$ran" -gt 0 ] && echo "$ran"
}

eng/ensure-deps.sh --tests
dotnet publish samples/CpuExporter -c Release -o artifacts/plugins/cpu_exporter
dotnet publish samples/AccessLogExporter -c Release -o artifacts/plugins/access_log_exporter
dotnet publish samples/SpanMetrics -c Release -o artifacts/plugins/span_metrics
dotnet publish tests/Plugins/TestExporter -c Release -o artifacts/plugins/test_exporter
dotnet publish tests/Plugins/ShapesExporter -c Release -o artifacts/plugins/shapes_exporter
dotnet publish tests/Plugins/StackExporter -c Release -o artifacts/plugins/stack_exporter
make -C tools/flb-host
make -C tools/flb-host check
dotnet test Framework.sln -c Release --filter "Category!=Package&Category!=RealFluentBit&Category!=Compatibility&Category!=Arm64"

# The real-Fluent-Bit tier: the same published plugins in Fluent Bit itself.
if [ -n "$fluent_bit" ]; then
    real_log=artifacts/test-results/real-fluent-bit.log
    mkdir -p "$(dirname "$real_log")"
    # The full tier asserts what 5.1.1 does (its config map checks, its defects): an older Fluent Bit gets the
    # compatibility tier only, said loudly, and fails a run that requires Fluent Bit.
    fb_version=$("$fluent_bit" --version | head -1 | sed 's/^Fluent Bit v//')
    if [ "$(printf '%s\n5.1.1\n' "$fb_version" | sort -V | head -1)" = "5.1.1" ]; then
        FLUENT_BIT="$fluent_bit" dotnet test tests/FluentBit.Plugins.EndToEnd.Tests -c Release --no-build \
            --filter "Category=RealFluentBit" 2>&1 | tee "$real_log"
        real_ran=$(tier_passed "$real_log") || { echo "test.sh: the real-Fluent-Bit tier failed or ran no test" >&2; exit 1; }
        real_summary="real Fluent Bit tier: $real_ran tests passed in Fluent Bit $fb_version ($fluent_bit)"
    elif [ "${FLUENT_BIT_REQUIRED:-0}" = "1" ]; then
        echo "test.sh: FLUENT_BIT_REQUIRED=1 but $fluent_bit is Fluent Bit $fb_version; the real-Fluent-Bit tier needs 5.1.1 or later" >&2
        exit 1
    else
        real_summary="FULL REAL FLUENT BIT TIER NOT RUN: $fluent_bit is Fluent Bit $fb_version, the tier needs 5.1.1 or later"
        echo "########## $real_summary ##########" >&2
    fi
    # The compatibility tier: both samples in each Fluent Bit, one dotnet test run per binary.
    for binary in $compat_binaries; do
        version=$("$binary" --version | head -1 | sed 's/^Fluent Bit v//')
        compat_log=artifacts/test-results/compatibility-$version.log
        FLUENT_BIT="$binary" dotnet test tests/FluentBit.Plugins.EndToEnd.Tests -c Release --no-build \
            --filter "Category=Compatibility" 2>&1 | tee "$compat_log"
        compat_ran=$(tier_passed "$compat_log") || { echo "test.sh: the compatibility tier failed or ran no test in Fluent Bit $version ($binary)" >&2; exit 1; }
        real_summary="$real_summary; compatibility tier: $compat_ran tests passed in Fluent Bit $version"
    done
else
    real_summary="REAL FLUENT BIT TIER NOT RUN: no Fluent Bit found (set FLUENT_BIT, or put fluent-bit on PATH; ../shared/fluent-bit/build.sh builds 5.1.1)"
    echo "########## $real_summary ##########" >&2
fi
# The arm64 check: both samples published for linux-arm64 from this machine, in an arm64 Fluent Bit under qemu-user.
if [ -n "${FLUENT_BIT_ARM64:-}" ]; then
    [ -x "$FLUENT_BIT_ARM64" ] || { echo "test.sh: FLUENT_BIT_ARM64=$FLUENT_BIT_ARM64 is not an executable file" >&2; exit 1; }
    dotnet publish samples/CpuExporter -c Release -r linux-arm64 -o artifacts/plugins-arm64/cpu_exporter
    dotnet publish samples/AccessLogExporter -c Release -r linux-arm64 -o artifacts/plugins-arm64/access_log_exporter
    arm64_log=artifacts/test-results/arm64.log
    mkdir -p "$(dirname "$arm64_log")"
    FLUENT_BIT="$fluent_bit" FLUENT_BIT_ARM64="$FLUENT_BIT_ARM64" dotnet test tests/FluentBit.Plugins.EndToEnd.Tests -c Release --no-build \
        --filter "Category=Arm64" 2>&1 | tee "$arm64_log"
    arm64_ran=$(tier_passed "$arm64_log") || { echo "test.sh: the arm64 check failed or ran no test" >&2; exit 1; }
    real_summary="$real_summary; arm64: $arm64_ran tests passed in an arm64 Fluent Bit under qemu-user"
fi

# The package path on its own, as it builds while it runs: packs into a folder feed, creates a plugin from the
# template outside the repository, runs its tests, publishes its .so and loads it in the host.
# Its plugin also runs under valgrind in every Fluent Bit of the compatibility tier.
FLUENT_BIT_COMPAT="$compat_binaries" dotnet test tests/FluentBit.Plugins.Package.Tests -c Release --no-build --filter "Category=Package"
echo "test.sh: every test passed; $real_summary"
