#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md and prints one table of results with their ratios:
#   - the BenchmarkDotNet suites (benchmarks/): ns and bytes per record against the floor (a reader that skips
#     every event) and a naive plugin, scrapes of 1,000 to 100,000 series, flush throughput while scraping;
#   - the same per-record suites as fastest-of-interleaved-rounds, a cross-check on a busy machine;
#   - in real Fluent Bit, when one is available (FLUENT_BIT, or built from ../shared/fluent-bit): tail with the
#     json parser over 300,000 cpu-shaped lines, Fluent Bit's CPU with the plugin minus the same run with the
#     do-nothing C proxy plugin (tools/flb-host's testplugin, null=1), paired runs, medians; the plugin's own
#     flush-duration sum per record; the RSS added at idle (cpu input, 6 s) and at peak (the tail run); the same for
#     another plugin .so given with --plugin (a Go plugin, for instance);
#   - with --plateau, the steady state in real Fluent Bit: each plugin (and the null proxy) fed 50,000 records a
#     second by the dummy input (its own record shape) for 180 s while /metrics is scraped every 100 ms; VmRSS
#     every 15 s, and its growth over the second half (a plateau is ~0; a leak grows with time).
#
#   ./bench.sh                      quick: BenchmarkDotNet's short job (about 15 minutes on 2 cores)
#   ./bench.sh --full               BenchmarkDotNet's default job (much longer)
#   ./bench.sh --plugin PATH.so --name NAME [-p key=value ...]
#                                   also run that plugin (registered as NAME) in real Fluent Bit
#   ./bench.sh --dotnet-only | --fluent-bit-only
#   ./bench.sh --plateau            also the steady state in real Fluent Bit (about 10 more minutes)
#   ./bench.sh --plateau-only       only that
#
# Results: artifacts/bench/results.md (and BenchmarkDotNet's own reports under artifacts/bench/).
set -euo pipefail
cd "$(dirname "$0")"

job=(--job short)
other_plugin="" other_name="" other_props=() run_dotnet=1 run_fb=1 run_plateau=0
while [ $# -gt 0 ]; do
    case "$1" in
        --full) job=(); shift ;;
        --plugin) other_plugin=$(realpath "$2"); shift 2 ;;
        --name) other_name=$2; shift 2 ;;
        -p) other_props+=(-p "$2"); shift 2 ;;
        --dotnet-only) run_fb=0; shift ;;
        --fluent-bit-only) run_dotnet=0; shift ;;
        --plateau) run_plateau=1; shift ;;
        --plateau-only) run_dotnet=0; run_fb=0; run_plateau=1; shift ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
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
    # 40 rounds: at 15 the fastest round of the floor itself still moved by 10% from one process to the next
    # (61-68 ns for the same access-log chunk, 2026-12-06), and every ratio with it.
    dotnet "$bench_dll" --interleaved 40 --out "$out"
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

# Real Fluent Bit (issue 19): the plugin's cost where it runs, against a proxy plugin that does nothing.
fluent_bit=""
if [ "$run_fb" -eq 1 ] || [ "$run_plateau" -eq 1 ]; then
    fluent_bit=${FLUENT_BIT:-}
    if [ -z "$fluent_bit" ] && [ -x ../shared/fluent-bit/build.sh ]; then
        fluent_bit=$(../shared/fluent-bit/build.sh "$HOME/.cache/fluent-bit-5.1.1" | tail -1)
    fi
    if [ -z "$fluent_bit" ] || [ ! -x "$fluent_bit" ]; then
        {
            echo "## In real Fluent Bit"
            echo
            echo "skipped: no Fluent Bit (set FLUENT_BIT, or put its source beside this repository as ../shared/fluent-bit)"
            echo
        } >> "$results"
        fluent_bit=""
    else
        make -C tools/flb-host -s test-plugin
        dotnet publish samples/CpuExporter -c Release -o artifacts/plugins/cpu_exporter -v quiet -nologo
    fi
fi
fb=$out/fluent-bit
mkdir -p "$fb"

if [ -n "$fluent_bit" ] && [ "$run_fb" -eq 1 ]; then
    mkdir -p "$fb"
    lines=300000
    # cpu-shaped lines (the cpu input's keys for 2 cores), values varying so no two records are alike.
    awk -v n="$lines" 'BEGIN { for (i = 0; i < n; i++) { v = (i % 1000) / 10;
        printf "{\"cpu_p\":%.1f,\"user_p\":%.1f,\"system_p\":%.1f,\"cpu0.p_cpu\":%.1f,\"cpu0.p_user\":%.1f,\"cpu0.p_system\":%.1f,\"cpu1.p_cpu\":%.1f,\"cpu1.p_user\":%.1f,\"cpu1.p_system\":%.1f}\n", v, v/2, v/4, v, v/2, v/4, v, v/2, v/4 } }' > "$fb/cpu.jsonl"
    printf '[PARSER]\n    name   json\n    format json\n' > "$fb/parsers.conf"
    : > "$fb/runs.tsv"

    # fb_tail LABEL PLUGIN NAME [-p ...]: tail over the lines; once Fluent Bit counts every record processed by the
    # output, reads its CPU (utime + stime), its peak RSS (VmHWM) and, for our plugins, their own flush-duration sum.
    fb_tail() {
        local label=$1 plugin=$2 name=$3 pid mport ticks cpu hwm flush="-" processed=0 waited=0
        shift 3
        mport=$(( 20000 + RANDOM % 20000 ))
        "$fluent_bit" -q -H -P "$mport" -R "$fb/parsers.conf" -e "$plugin" \
            -i tail -p path="$fb/cpu.jsonl" -p parser=json -p read_from_head=true -t cpu \
            -o "$name" -m '*' "$@" >/dev/null 2>&1 </dev/null &
        pid=$!
        while [ "$processed" -lt "$lines" ] && [ "$waited" -lt 600 ] && kill -0 "$pid" 2>/dev/null; do
            sleep 0.5
            waited=$(( waited + 1 ))
            processed=$(curl -s "http://127.0.0.1:$mport/api/v1/metrics" | grep -o '"proc_records":[0-9]*' | tail -1 | cut -d: -f2 || true)
            processed=${processed:-0}
        done
        ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
        if [ "$label" = cpu_exporter ]; then
            flush=$(curl -s http://127.0.0.1:18989/metrics | awk '/^fluentbit_plugin_flush_duration_seconds_sum/ {print $2}' || true)
            flush=${flush:--}
        fi
        kill "$pid"; wait "$pid" 2>/dev/null || true
        cpu=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }')
        echo "$label tail $cpu $hwm $flush $processed" >> "$fb/runs.tsv"
    }

    # fb_idle LABEL PLUGIN NAME [-p ...]: RSS after 6 s of the cpu input, no scrape.
    fb_idle() {
        local label=$1 plugin=$2 name=$3 pid
        shift 3
        "$fluent_bit" -q -e "$plugin" -i cpu -o "$name" -m '*' "$@" >/dev/null 2>&1 </dev/null &
        pid=$!
        sleep 6
        echo "$label idle 0 $(awk '/^VmRSS:/ {print $2}' /proc/$pid/status) - 0" >> "$fb/runs.tsv"
        kill "$pid"; wait "$pid" 2>/dev/null || true
    }

    fb_runs=3
    for _ in $(seq "$fb_runs"); do
        # Paired: the null plugin and each plugin back to back, so a change in the machine's load hits both.
        fb_tail null tools/flb-host/build/testplugin.so testout -p null=1
        fb_tail cpu_exporter artifacts/plugins/cpu_exporter/cpu_exporter.so cpu_exporter -p http_listen=127.0.0.1 -p http_port=18989
        if [ -n "$other_plugin" ]; then fb_tail "$other_name" "$other_plugin" "$other_name" "${other_props[@]}"; fi
        fb_idle null tools/flb-host/build/testplugin.so testout -p null=1
        fb_idle cpu_exporter artifacts/plugins/cpu_exporter/cpu_exporter.so cpu_exporter -p http_listen=127.0.0.1 -p http_port=18989
        if [ -n "$other_plugin" ]; then fb_idle "$other_name" "$other_plugin" "$other_name" "${other_props[@]}"; fi
    done

    {
        echo "## In real Fluent Bit ($("$fluent_bit" --version | head -1), $fb_runs paired runs, medians)"
        echo
        echo "tail with the json parser over $lines cpu-shaped lines (until Fluent Bit counts them all processed), and the cpu input idle for 6 s."
        echo "\"minus null\" subtracts the same run with the do-nothing C proxy plugin (tools/flb-host/testplugin, null=1)."
        echo
        awk -v lines="$lines" '
            function median(list,   n, a, i, j, t) { n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                return a[int((n + 1) / 2)] }
            { key = $1 " " $2; cpu[key] = cpu[key] " " $3; rss[key] = rss[key] " " $4; if ($5 != "-") flush[key] = flush[key] " " $5
              if ($2 == "tail" && $6 != lines) short[$1] = short[$1] " " $6
              if (!($1 in seen)) { seen[$1] = 1; order[++count] = $1 } }
            END {
                print "| plugin | CPU, tail run (s) | minus null: us a record | plugin flush-duration sum: us a record | peak RSS (MiB) | minus null (MiB) | idle RSS (MiB) | minus null (MiB) |"
                print "|---|---|---|---|---|---|---|---|"
                nc = median(cpu["null tail"]); nr = median(rss["null tail"]); ni = median(rss["null idle"])
                for (k = 1; k <= count; k++) { p = order[k]; c = median(cpu[p " tail"]); r = median(rss[p " tail"]); i = median(rss[p " idle"])
                    f = (p " tail") in flush ? sprintf("%.2f", median(flush[p " tail"]) * 1e6 / lines) : "-"
                    printf "| %s | %.2f | %s | %s | %.1f | %s | %.1f | %s |\n", p, c, p == "null" ? "-" : sprintf("%.2f", (c - nc) * 1e6 / lines), f,
                        r / 1024, p == "null" ? "-" : sprintf("%.1f", (r - nr) / 1024), i / 1024, p == "null" ? "-" : sprintf("%.1f", (i - ni) / 1024) }
                for (p in short) print "\nwarning: " p " runs ended before every record was processed (counts:" short[p] ")"
            }' "$fb/runs.tsv"
        echo
    } >> "$results"
fi

# Spans in real Fluent Bit: the span sample against Fluent Bit's own null output (the do-nothing proxy registers for
# logs only), both fed the same spans over OTLP/HTTP protobuf by eng/otlp-spans.py.
if [ -n "$fluent_bit" ] && [ "$run_fb" -eq 1 ]; then
    dotnet publish samples/SpanMetrics -c Release -o artifacts/plugins/span_metrics -v quiet -nologo
    spans=100000
    : > "$fb/spans.tsv"

    # fb_spans LABEL [ARGS...]: Fluent Bit with the opentelemetry input and the output ARGS; sends $spans spans, then
    # reads its CPU (utime + stime) once it has been idle for a second, and its peak RSS (VmHWM).
    fb_spans() {
        local label=$1 pid port ticks=0 last=-1 idle=0 cpu hwm decoded="-"
        shift
        port=$(( 20000 + RANDOM % 20000 ))
        "$fluent_bit" -q -f 1 -i opentelemetry -t otel -p listen=127.0.0.1 -p port="$port" -p tag_from_uri=false \
            "$@" >/dev/null 2>&1 </dev/null &
        pid=$!
        sleep 2
        python3 eng/otlp-spans.py "$port" "$spans" 500
        while [ "$idle" -lt 2 ] && kill -0 "$pid" 2>/dev/null; do
            sleep 0.5
            ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
            if [ "$ticks" = "$last" ]; then idle=$(( idle + 1 )); else idle=0; fi
            last=$ticks
        done
        hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
        if [ "$label" = span_metrics ]; then
            decoded=$(curl -s http://127.0.0.1:18992/metrics | awk '/^fluentbit_plugin_records_decoded_total/ {print $2}' || true)
        fi
        kill "$pid"; wait "$pid" 2>/dev/null || true
        cpu=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }')
        echo "$label $cpu $hwm ${decoded:--}" >> "$fb/spans.tsv"
    }

    for _ in $(seq "$fb_runs"); do
        fb_spans null -o null -m '*'
        fb_spans span_metrics -e artifacts/plugins/span_metrics/span_metrics.so -o span_metrics -m '*' -p http_listen=127.0.0.1 -p http_port=18992
    done

    {
        echo "## Spans in real Fluent Bit ($("$fluent_bit" --version | head -1), $fb_runs paired runs, medians)"
        echo
        echo "$spans spans over OTLP/HTTP protobuf (eng/otlp-spans.py, batches of 500) into the opentelemetry input; \"minus null\" subtracts the same run with Fluent Bit's null output."
        echo
        awk -v spans="$spans" '
            function median(list,   n, a, i, j, t) { n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                return a[int((n + 1) / 2)] }
            { cpu[$1] = cpu[$1] " " $2; rss[$1] = rss[$1] " " $3; if ($4 != "-") decoded[$1] = decoded[$1] " " $4 }
            END {
                print "| output | Fluent Bit CPU (s) | minus null: us a span | peak RSS (MiB) | spans the plugin decoded |"
                print "|---|---|---|---|---|"
                nc = median(cpu["null"])
                printf "| null | %.2f | - | %.1f | - |\n", nc, median(rss["null"]) / 1024
                printf "| span_metrics | %.2f | %.2f | %.1f | %s |\n", median(cpu["span_metrics"]), (median(cpu["span_metrics"]) - nc) * 1e6 / spans, median(rss["span_metrics"]) / 1024, decoded["span_metrics"]
            }' "$fb/spans.tsv"
        echo
    } >> "$results"
fi

# The steady state (issue 19): does each plugin's memory plateau at 50,000 records a second with scrapes?
if [ -n "$fluent_bit" ] && [ "$run_plateau" -eq 1 ]; then
    dotnet publish samples/AccessLogExporter -c Release -o artifacts/plugins/access_log_exporter -v quiet -nologo
    plateau_seconds=180 plateau_step=15
    : > "$fb/plateau.tsv"

    # fb_plateau LABEL PLUGIN NAME RECORD SCRAPE_PORT [-p ...]: the dummy input sends RECORD 500 times every 10 ms
    # (50,000 records a second) for $plateau_seconds; a scraper fetches /metrics on SCRAPE_PORT (none when "-")
    # every 100 ms; VmRSS is read every $plateau_step s. Fluent Bit's count of records its output processed
    # shows that the rate was kept.
    fb_plateau() {
        local label=$1 plugin=$2 name=$3 record=$4 port=$5 pid mport scraper="" samples="" t processed
        shift 5
        mport=$(( 20000 + RANDOM % 20000 ))
        "$fluent_bit" -q -H -P "$mport" -e "$plugin" -i dummy -p "dummy=$record" -p rate=100 -p copies=500 -t bench \
            -o "$name" -m '*' "$@" >/dev/null 2>&1 </dev/null &
        pid=$!
        if [ "$port" != "-" ]; then
            ( while kill -0 "$pid" 2>/dev/null; do curl -s -o /dev/null "http://127.0.0.1:$port/metrics" || true; sleep 0.1; done ) &
            scraper=$!
        fi
        for t in $(seq "$plateau_step" "$plateau_step" "$plateau_seconds"); do
            sleep "$plateau_step"
            samples="$samples $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
        done
        processed=$(curl -s "http://127.0.0.1:$mport/api/v1/metrics" | grep -o '"proc_records":[0-9]*' | tail -1 | cut -d: -f2 || true)
        kill "$pid"; wait "$pid" 2>/dev/null || true
        if [ -n "$scraper" ]; then wait "$scraper" 2>/dev/null || true; fi
        echo "$label ${processed:-0}$samples" >> "$fb/plateau.tsv"
    }

    cpu_record='{"cpu_p":12.5,"user_p":8.0,"system_p":4.5,"cpu0.p_cpu":13.0,"cpu0.p_user":9.0,"cpu0.p_system":4.0,"cpu1.p_cpu":12.0,"cpu1.p_user":7.0,"cpu1.p_system":5.0}'
    access_record='{"remote":"10.0.0.7","method":"GET","path":"/api/items","status":200,"bytes":5120,"request_time":0.042,"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}'
    fb_plateau null tools/flb-host/build/testplugin.so testout "$cpu_record" - -p null=1
    fb_plateau cpu_exporter artifacts/plugins/cpu_exporter/cpu_exporter.so cpu_exporter "$cpu_record" 18989 \
        -p http_listen=127.0.0.1 -p http_port=18989
    fb_plateau access_log_exporter artifacts/plugins/access_log_exporter/access_log_exporter.so access_log_exporter \
        "$access_record" 18990 -p http_listen=127.0.0.1 -p http_port=18990
    if [ -n "$other_plugin" ]; then fb_plateau "$other_name" "$other_plugin" "$other_name" "$cpu_record" - "${other_props[@]}"; fi

    {
        echo "## Steady state in real Fluent Bit ($("$fluent_bit" --version | head -1))"
        echo
        echo "dummy input at 50,000 records/s for $plateau_seconds s, /metrics scraped every 100 ms; VmRSS (MiB) every $plateau_step s."
        echo "\"second half\" is the growth from the middle sample to the last: a plateau reads about 0."
        echo
        awk -v step="$plateau_step" -v secs="$plateau_seconds" '
            NR == 1 { printf "| plugin | records/s |"; for (t = step; t <= secs; t += step) printf " %d s |", t; print " second half (MiB) |"
                      printf "|---|---:|"; for (t = step; t <= secs; t += step) printf "---:|"; print "---:|" }
            { printf "| %s | %d |", $1, $2 / secs; for (i = 3; i <= NF; i++) printf " %.1f |", $i / 1024
              mid = 3 + int((NF - 3) / 2); printf " %+.2f |\n", ($NF - $mid) / 1024 }' "$fb/plateau.tsv"
        echo
    } >> "$results"
fi

echo "load average (1, 5, 15 min) after: $(awk '{print $1, $2, $3}' /proc/loadavg)" >> "$results"
echo
cat "$results"
