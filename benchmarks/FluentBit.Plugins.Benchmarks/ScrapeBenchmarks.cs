using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Threading;
using BenchmarkDotNet.Attributes;
using FluentBit.Plugins.Exposition;
using Prometheus;
using AccessLogPlugin = global::AccessLogExporter.AccessLogExporter;
using AccessRecord = global::AccessLogExporter.AccessRecord;

namespace FluentBit.Plugins.Benchmarks;

/// <summary>
/// What a scrape does: the registry collected into one of the endpoint's reused buffers, as MetricsEndpoint does
/// (<see cref="ExpositionBuffers"/>), optionally through gzip, as the endpoint serves them.
/// </summary>
internal static class Exposition
{
    /// <returns>The size of the body a scraper receives.</returns>
    public static long Scrape(ExpositionBuffers buffers, CollectorRegistry registry, ExpositionFormat format, bool gzip)
    {
        MemoryStream body = buffers.Rent();
        if (gzip)
        {
            using var compressed = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true);
            registry.CollectAndExportAsTextAsync(compressed, format).GetAwaiter().GetResult();
        }
        else
        {
            registry.CollectAndExportAsTextAsync(body, format).GetAwaiter().GetResult();
        }

        long length = body.Length;
        buffers.Return(body);
        return length;
    }

    /// <summary>
    /// Adds <paramref name="series"/> series to <paramref name="registry"/>, a thousand per metric pair (a counter and a
    /// gauge of 500 series each, labels method, route and status): one series, one line of the exposition.
    /// </summary>
    public static CollectorRegistry AddSeries(CollectorRegistry registry, int series)
    {
        string[] methods = ["GET", "POST", "PUT", "DELETE"];
        int[] statuses = [200, 201, 304, 404, 500];
        IMetricFactory factory = Prometheus.Metrics.WithCustomRegistry(registry);
        for (int block = 0; block * 1000 < series; block++)
        {
            Counter counter = factory.CreateCounter($"bench_requests_{block}_total", "Requests by method, route and status", ["method", "route", "status"]);
            Gauge gauge = factory.CreateGauge($"bench_in_flight_{block}", "Requests in flight by method, route and status", ["method", "route", "status"]);
            for (int i = 0; i < 500; i++)
            {
                string[] labels = [methods[i % methods.Length], $"/api/v1/items/{i / 5}", statuses[i % statuses.Length].ToString(CultureInfo.InvariantCulture)];
                counter.WithLabels(labels).Inc(i * 3 + 1);
                gauge.WithLabels(labels).Set(i * 0.25);
            }
        }

        return registry;
    }
}

/// <summary>One scrape of a registry of 1,000 to 100,000 series, in both text formats, with and without gzip.</summary>
public class ScrapeBenchmarks
{
    private readonly ExpositionBuffers _buffers = new();
    private CollectorRegistry _registry = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Series { get; set; }

    [Params(ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetricsText)]
    public ExpositionFormat Format { get; set; }

    [Params(false, true)]
    public bool Gzip { get; set; }

    [GlobalSetup]
    public void Setup() => _registry = Exposition.AddSeries(Prometheus.Metrics.NewCustomRegistry(), Series);

    [Benchmark]
    public long Scrape() => Exposition.Scrape(_buffers, _registry, Format, Gzip);
}

/// <summary>
/// The access-log sample flushing 500 typed events while a background thread scrapes its registry, which also holds
/// 10,000 other series, 20 times a second (text, no gzip), against the same without scrapes.
/// </summary>
public class FlushUnderScrape
{
    private const int Records = Datasets.ChunkEvents;
    private const int ScrapedSeries = 10_000;
    private readonly Dataset _data = Datasets.AccessLog(strings: false);
    private readonly Flush.Instance<AccessLogPlugin, AccessRecord, AccessLogPlugin.Instruments> _plugin = new();
    private readonly ExpositionBuffers _buffers = new();
    private Thread? _scraper;
    private volatile bool _stop;
    private int _scrapes;
    private long _scrapeTicks;
    private long _startTicks;

    [Params(0, 20)]
    public int ScrapesPerSecond { get; set; }

    /// <summary>While set, the scraper waits (the interleaved cross-check alternates quiet and scraped rounds in one process).</summary>
    public bool Paused { get; set; }

    /// <summary>Scrapes done so far, and the milliseconds they took in all.</summary>
    public (int Scrapes, double Milliseconds) Done => (_scrapes, Stopwatch.GetElapsedTime(0, _scrapeTicks).TotalMilliseconds);

    [GlobalSetup]
    public void Setup()
    {
        Exposition.AddSeries(_plugin.Registry, ScrapedSeries);
        _plugin.Flush(_data);
        if (ScrapesPerSecond > 0)
        {
            _startTicks = Stopwatch.GetTimestamp();
            _scraper = new Thread(ScrapeLoop) { IsBackground = true, Name = "scraper" };
            _scraper.Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _scraper?.Join();
        if (_scraper is not null)
        {
            double seconds = Stopwatch.GetElapsedTime(_startTicks).TotalSeconds;
            string line = FormattableString.Invariant($"{ScrapesPerSecond}\t{_scrapes}\t{seconds:F2}\t{Stopwatch.GetElapsedTime(0, _scrapeTicks).TotalMilliseconds / Math.Max(1, _scrapes):F3}");
            Console.WriteLine($"// scrapes: {_scrapes} in {seconds:F1} s, mean {Stopwatch.GetElapsedTime(0, _scrapeTicks).TotalMilliseconds / Math.Max(1, _scrapes):F2} ms each");
            if (Environment.GetEnvironmentVariable(ResultsTable.OutputVariable) is { Length: > 0 } dir)
            {
                File.AppendAllText(Path.Combine(dir, "scrapes.tsv"), line + "\n");
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public void Flush() => _plugin.Flush(_data);

    private void ScrapeLoop()
    {
        long period = Stopwatch.Frequency / ScrapesPerSecond;
        long next = Stopwatch.GetTimestamp();
        while (!_stop)
        {
            long now = Stopwatch.GetTimestamp();
            if (Paused || now < next)
            {
                // Paused, the first scrape after it comes a period later, as the next one would have.
                next = Paused ? now + period : next;
                Thread.Sleep(TimeSpan.FromSeconds((double)Math.Min(period, next - now) / Stopwatch.Frequency));
                continue;
            }

            Exposition.Scrape(_buffers, _plugin.Registry, ExpositionFormat.PrometheusText, gzip: false);
            _scrapeTicks += Stopwatch.GetTimestamp() - now;
            _scrapes++;
            next += period;
        }
    }
}
