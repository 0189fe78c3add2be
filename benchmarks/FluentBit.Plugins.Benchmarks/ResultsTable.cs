using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Prometheus;
using Summary = BenchmarkDotNet.Reports.Summary;

namespace FluentBit.Plugins.Benchmarks;

/// <summary>The results as Markdown tables: per record with ratios to the floor and to the naive plugin, scrapes, flush under scrape.</summary>
internal static class ResultsTable
{
    /// <summary>The directory FlushUnderScrape reports its scrape count to (set for the benchmark processes).</summary>
    public const string OutputVariable = "FLB_BENCH_OUT";

    private static readonly string[] Variants = ["Floor", "SpanFloor", "Headers", "Naive", "DecodeOnly", "Generated", "FlushPath", "FlushPathCold"];

    private static readonly Dictionary<string, string> VariantNames = new()
    {
        ["Floor"] = "floor: MessagePackReader skips every event",
        ["Headers"] = "event headers read, bodies skipped",
        ["Naive"] = "naive: Dictionary + WithLabels",
        ["DecodeOnly"] = "generated decode only",
        ["Generated"] = "generated decode + apply",
        ["FlushPath"] = "the .so's flush: structural check + decode + apply + self-metrics",
        ["FlushPathCold"] = "the same flush, the chunk out of every cache (as Fluent Bit hands it over)",
        ["SpanFloor"] = "the runtime's ChunkReader: skip every event",
    };

    private sealed record Row(string Suite, string Set, string Method, Dictionary<string, string> Parameters, double MedianNs, double MeanNs, long? Bytes);

    public static string Write(IEnumerable<Summary> summaries, string directory)
    {
        List<Row> rows = summaries.SelectMany(s => s.Reports).Where(r => r.Success && r.ResultStatistics is not null).Select(r => new Row(
            r.BenchmarkCase.Descriptor.Type.Name,
            SetName(r.BenchmarkCase.Descriptor.Type.Name, r.BenchmarkCase.Parameters.PrintInfo),
            r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
            r.BenchmarkCase.Parameters.Items.ToDictionary(p => p.Name, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? ""),
            r.ResultStatistics!.Median,
            r.ResultStatistics.Mean,
            r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase))).ToList();

        var text = new StringBuilder();
        Records(text, rows.Where(r => r.Suite.EndsWith("Records", StringComparison.Ordinal) || r.Suite == "CpuFlushes").ToList());
        Scrapes(text, rows.Where(r => r.Suite == "ScrapeBenchmarks").ToList());
        FlushUnderScrape(text, rows.Where(r => r.Suite == "FlushUnderScrape").ToList(), directory);
        string markdown = text.ToString();
        File.WriteAllText(Path.Combine(directory, "dotnet.md"), markdown);
        return markdown;
    }

    public static string SetName(string suite, string parameters) => suite switch
    {
        "CpuRecords" => "cpu, 2 cores (real events, 500/chunk)",
        "CpuFlushes" => "cpu (real chunks, 1 event per flush)",
        "CpuLargeChunkRecords" => "cpu, 2 cores (real events, 5,400/chunk as a busy tail flushes)",
        "BurstRecords" => "burst (real, 1,493 events in 4 chunks)",
        "AccessLogRecords" => parameters.Contains("strings", StringComparison.Ordinal) ? "access log, all strings (500/chunk)" : "access log, typed (500/chunk)",
        "ShapesRecords" => "shapes, with C# hook (500/chunk)",
        _ => suite,
    };

    public static int Order(string method) => Array.IndexOf(Variants, method);

    public static string Describe(string method) => VariantNames.GetValueOrDefault(method, method);

    private static void Records(StringBuilder text, List<Row> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        text.AppendLine("Per record (median of BenchmarkDotNet's iterations; ns and bytes allocated per record)");
        text.AppendLine();
        text.AppendLine("| records | what | ns/record | B/record | × floor | naive ÷ this |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (IGrouping<string, Row> set in rows.GroupBy(r => r.Set))
        {
            Row? floor = set.FirstOrDefault(r => r.Method == "Floor");
            Row? naive = set.FirstOrDefault(r => r.Method == "Naive");
            foreach (Row row in set.OrderBy(r => Order(r.Method)))
            {
                string times = floor is null ? "" : F2(row.MedianNs / floor.MedianNs);
                string faster = naive is null || row.Method is "Floor" or "Headers" or "Naive" or "SpanFloor" ? "" : F1(naive.MedianNs / row.MedianNs);
                text.AppendLine($"| {set.Key} | {Describe(row.Method)} | {F1(row.MedianNs)} | {Bytes(row.Bytes)} | {times} | {faster} |");
            }
        }

        text.AppendLine();
    }

    private static void Scrapes(StringBuilder text, List<Row> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        text.AppendLine("Scrape (one exposition into one of the endpoint's reused buffers, as MetricsEndpoint does; median)");
        text.AppendLine();
        text.AppendLine("| series | format | gzip | ms/scrape | body KiB | allocated KiB |");
        text.AppendLine("|---:|---|---|---:|---:|---:|");
        var sizes = new Dictionary<int, CollectorRegistry>();
        foreach (Row row in rows.OrderBy(r => Parameter(r, "Series")).ThenBy(r => Parameter(r, "Format")).ThenBy(r => Parameter(r, "Gzip")))
        {
            int series = int.Parse(Parameter(row, "Series"), CultureInfo.InvariantCulture);
            ExpositionFormat format = Enum.Parse<ExpositionFormat>(Parameter(row, "Format"));
            bool gzip = bool.Parse(Parameter(row, "Gzip"));
            if (!sizes.TryGetValue(series, out CollectorRegistry? registry))
            {
                sizes[series] = registry = Exposition.AddSeries(Prometheus.Metrics.NewCustomRegistry(), series);
            }

            long body = Exposition.Scrape(new FluentBit.Plugins.Exposition.ExpositionBuffers(), registry, format, gzip);
            string name = format == ExpositionFormat.PrometheusText ? "text 0.0.4" : "OpenMetrics";
            text.AppendLine($"| {series:N0} | {name} | {(gzip ? "yes" : "no")} | {F2(row.MedianNs / 1e6)} | {F1(body / 1024.0)} | {(row.Bytes is long b ? F1(b / 1024.0) : "?")} |");
        }

        text.AppendLine();
    }

    private static void FlushUnderScrape(StringBuilder text, List<Row> rows, string directory)
    {
        Row? quiet = rows.FirstOrDefault(r => Parameter(r, "ScrapesPerSecond") == "0");
        Row? scraped = rows.FirstOrDefault(r => Parameter(r, "ScrapesPerSecond") == "20");
        if (quiet is null || scraped is null)
        {
            return;
        }

        string scrapes = "";
        string file = Path.Combine(directory, "scrapes.tsv");
        if (File.Exists(file))
        {
            // One line per benchmark process that scraped: rate, scrapes, seconds, mean ms.
            string[][] lines = File.ReadAllLines(file).Select(l => l.Split('\t')).Where(f => f.Length == 4).ToArray();
            double count = lines.Sum(f => double.Parse(f[1], CultureInfo.InvariantCulture));
            double seconds = lines.Sum(f => double.Parse(f[2], CultureInfo.InvariantCulture));
            double ms = lines.Sum(f => double.Parse(f[3], CultureInfo.InvariantCulture) * double.Parse(f[1], CultureInfo.InvariantCulture)) / Math.Max(1, count);
            scrapes = FormattableString.Invariant($" ({count:N0} scrapes in {seconds:F1} s: {count / seconds:F1}/s, {ms:F2} ms each)");
        }

        text.AppendLine("Flush throughput while scraping (access-log sample, typed, 500 events per flush; registry of 10,000 more series)");
        text.AppendLine();
        text.AppendLine("| scrapes/s | ns/record | records/s | vs none |");
        text.AppendLine("|---:|---:|---:|---:|");
        text.AppendLine($"| 0 | {F1(quiet.MedianNs)} | {1e9 / quiet.MedianNs:N0} | 1.00 |");
        text.AppendLine($"| 20{scrapes} | {F1(scraped.MedianNs)} | {1e9 / scraped.MedianNs:N0} | {F2(scraped.MedianNs / quiet.MedianNs)} |");
        text.AppendLine();
    }

    private static string Parameter(Row row, string name) => row.Parameters.GetValueOrDefault(name, "");

    private static string Bytes(long? bytes) => bytes is long b ? b.ToString(CultureInfo.InvariantCulture) : "?";

    private static string F1(double value) => value.ToString("N1", CultureInfo.InvariantCulture);

    private static string F2(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
