using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace FluentBit.Plugins.Benchmarks;

/// <summary>
/// A quick cross-check of the per-record suites on a busy machine (<c>--interleaved [ROUNDS]</c>): in this process,
/// the benchmarks of each suite take turns, round after round, and each keeps its fastest round. Other load only
/// ever adds time, so the minimum of interleaved rounds moves less than a mean taken at another moment.
/// </summary>
internal static class Interleaved
{
    private static readonly Type[] Suites = [typeof(CpuRecords), typeof(CpuLargeChunkRecords), typeof(CpuFlushes), typeof(BurstRecords), typeof(AccessLogRecords), typeof(ShapesRecords), typeof(SpanRecords)];

    public static string Run(int rounds, string filter)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"Per record, fastest of {rounds} interleaved rounds of about 20 ms each (ns; ratios of those minimums)");
        text.AppendLine();
        text.AppendLine("| records | what | ns/record | × floor | naive ÷ this |");
        text.AppendLine("|---|---|---:|---:|---:|");
        foreach (Type suite in Suites.Where(s => s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)))
        {
            PropertyInfo? parameter = suite.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<ParamsAttribute>() is not null);
            object?[] values = parameter?.GetCustomAttribute<ParamsAttribute>()!.Values ?? [null];
            foreach (object? value in values)
            {
                object instance = Activator.CreateInstance(suite)!;
                parameter?.SetValue(instance, value);
                suite.GetMethods().FirstOrDefault(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null)?.Invoke(instance, null);
                (string Name, Action Run, int Records)[] benchmarks = suite.GetMethods()
                    .Select(m => (Method: m, Attribute: m.GetCustomAttribute<BenchmarkAttribute>()))
                    .Where(b => b.Attribute is not null)
                    .Select(b => (b.Method.Name, (Action)Delegate.CreateDelegate(typeof(Action), instance, b.Method), b.Attribute!.OperationsPerInvoke))
                    .ToArray();
                var best = benchmarks.ToDictionary(b => b.Name, _ => double.MaxValue);
                int[] invocations = benchmarks.Select(b => Calibrate(b.Run)).ToArray();
                for (int round = 0; round < rounds; round++)
                {
                    for (int i = 0; i < benchmarks.Length; i++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        for (int n = 0; n < invocations[i]; n++)
                        {
                            benchmarks[i].Run();
                        }

                        double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / invocations[i] / benchmarks[i].Records;
                        best[benchmarks[i].Name] = Math.Min(best[benchmarks[i].Name], ns);
                    }
                }

                string set = ResultsTable.SetName(suite.Name, value?.ToString() ?? "");
                double floor = best.GetValueOrDefault("Floor", double.NaN);
                double naive = best.GetValueOrDefault("Naive", double.NaN);
                foreach ((string name, double ns) in best.OrderBy(b => ResultsTable.Order(b.Key)))
                {
                    string faster = double.IsNaN(naive) || name is "Floor" or "Headers" or "Naive" or "SpanFloor" ? "" : (naive / ns).ToString("F1", CultureInfo.InvariantCulture);
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {set} | {ResultsTable.Describe(name)} | {ns:F1} | {ns / floor:F2} | {faster} |");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Flush throughput with and without 20 scrapes a second, in one process: rounds of about 250 ms (five scrapes)
    /// alternate between the scraper paused and running, and each state keeps its mean (a minimum would keep the
    /// rounds that happened to miss every scrape).
    /// </summary>
    public static string FlushUnderScrape(int rounds)
    {
        var bench = new FlushUnderScrape { ScrapesPerSecond = 20, Paused = true };
        bench.Setup();

        // Warm up both sides (the flush and the scrape, whose code is compiled in tiers) before timing anything.
        bench.Paused = false;
        Calibrate(bench.Flush);
        Calibrate(bench.Flush);
        bench.Paused = true;
        int invocations = Calibrate(bench.Flush) * 12;
        double[] quiet = new double[rounds];
        double[] scraped = new double[rounds];
        double scrapedSeconds = 0;
        for (int round = 0; round < rounds; round++)
        {
            foreach (bool paused in new[] { true, false })
            {
                bench.Paused = paused;

                long start = Stopwatch.GetTimestamp();
                for (int n = 0; n < invocations; n++)
                {
                    bench.Flush();
                }

                TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                (paused ? quiet : scraped)[round] = elapsed.TotalNanoseconds / invocations / Datasets.ChunkEvents;
                if (!paused)
                {
                    scrapedSeconds += elapsed.TotalSeconds;
                }
            }
        }

        bench.Paused = true;
        (int scrapes, double milliseconds) = bench.Done;
        bench.Cleanup();
        double q = quiet.Average(), s = scraped.Average();
        return string.Join('\n',
            $"Flush throughput while scraping, interleaved: {rounds} rounds of each, means (access-log sample, typed, 500 events per flush; registry of 10,000 more series)",
            "",
            "| scrapes/s | ns/record | records/s | vs none |",
            "|---:|---:|---:|---:|",
            FormattableString.Invariant($"| 0 | {q:F1} | {1e9 / q:N0} | 1.00 |"),
            FormattableString.Invariant($"| 20 ({scrapes:N0} scrapes in {scrapedSeconds:F1} s: {scrapes / scrapedSeconds:F1}/s, {milliseconds / Math.Max(1, scrapes):F2} ms each) | {s:F1} | {1e9 / s:N0} | {s / q:F2} |"),
            "");
    }

    /// <summary>Invocations that take about 20 ms, after a warm-up long enough for tiered compilation.</summary>
    private static int Calibrate(Action run)
    {
        long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
        int count = 0;
        while (Stopwatch.GetTimestamp() < until)
        {
            run();
            count++;
        }

        return Math.Max(1, count / 25);
    }
}
