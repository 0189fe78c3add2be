#!/usr/bin/env bash
# Soak: 50,000 records a second into two plugins in one flb-host (test_exporter with workers 2, and
# shapes_exporter, whose hook runs on its own threads), both scraped every 100 ms, for --minutes N
# (at least; default 10). Passes when the host's resident memory moves by at most 4 MiB over the last
# two thirds of the run and every count is exact when the input ends. Results: artifacts/soak/soak-<seconds>s.txt.
#   ./soak.sh --minutes 10
#   (CI runs the short form inside the end-to-end tests: until RSS settles over 15 s, at most 150 s)
set -euo pipefail
cd "$(dirname "$0")"

seconds=600
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) seconds=$(( $2 * 60 )); shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "soak.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

eng/ensure-deps.sh --tests
dotnet publish tests/Plugins/TestExporter -c Release -o artifacts/plugins/test_exporter
dotnet publish tests/Plugins/ShapesExporter -c Release -o artifacts/plugins/shapes_exporter
make -C tools/flb-host
SOAK_MIN_SECONDS=$seconds SOAK_SECONDS=$((seconds + 150)) dotnet test tests/FluentBit.Plugins.EndToEnd.Tests -c Release \
    --filter "FullyQualifiedName~SoakTests.FiftyThousand" --logger "console;verbosity=detailed"
tail -n +1 "artifacts/soak/soak-$((seconds + 150))s.txt" | grep -v " KiB$" | tail -1
