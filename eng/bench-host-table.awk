# Reads the lines bench.sh collects ("LABEL replay|idle flb-host: bench key=value ...", several runs each) and
# prints a Markdown table of medians per plugin, with CPU and idle memory minus the null output's.
function median(label, key,    n, i, j, v, t, list) {
    n = count[label, key]
    if (n == 0) return ""
    for (i = 1; i <= n; i++) list[i] = values[label, key, i]
    for (i = 2; i <= n; i++) { v = list[i]; for (j = i - 1; j >= 1 && list[j] > v; j--) list[j + 1] = list[j]; list[j + 1] = v }
    return n % 2 ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
}
{
    label = $1; phase = $2
    if (!(label in seen)) { seen[label] = 1; order[++labels] = label }
    for (i = 3; i <= NF; i++) {
        if (split($i, kv, "=") != 2) continue
        key = phase "." kv[1]
        values[label, key, ++count[label, key]] = kv[2] + 0
    }
}
END {
    print "| plugin | records/s | CPU ns/record | minus null | flush-thread CPU ns/record | peak RSS MiB | idle RSS MiB | idle RSS minus null, MiB | threads | load ms | Init ms |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    null_cpu = median("null", "replay.cpu_ns_per_record")
    null_idle = median("null", "idle.rss_kb")
    for (k = 1; k <= labels; k++) {
        l = order[k]
        cpu = median(l, "replay.cpu_ns_per_record")
        idle = median(l, "idle.rss_kb")
        printf "| %s | %.0f | %.1f | %s | %.1f | %.1f | %.1f | %s | %d | %.1f | %.1f |\n", \
            (l == "null" ? "null output (host only)" : l), median(l, "replay.records_per_s"), cpu, \
            (l == "null" ? "" : sprintf("%.1f", cpu - null_cpu)), median(l, "replay.flush_cpu_ns_per_record"), \
            median(l, "replay.peak_rss_kb") / 1024, idle / 1024, \
            (l == "null" ? "" : sprintf("%.1f", (idle - null_idle) / 1024)), median(l, "idle.threads"), \
            median(l, "idle.load_ms"), median(l, "idle.init_ms")
    }
}
