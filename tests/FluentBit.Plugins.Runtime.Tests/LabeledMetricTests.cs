using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Testing;
using Prometheus;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

// GC.GetTotalMemory is process-wide: no other test may allocate while this class measures it.
[Collection(nameof(HeapMeasurements))]
public class LabeledMetricTests
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly MetricHealth _health = new("requests_total");
    private long _now = 1_000_000;

    private LabeledMetric<Counter.Child> Requests(SeriesLimits limits)
    {
        Counter counter = Metrics.WithCustomRegistry(_registry).CreateCounter(
            "requests_total", "Requests", new CounterConfiguration { LabelNames = ["method", "status"], SuppressInitialValue = true });
        return new LabeledMetric<Counter.Child>(_registry, counter, _health, limits, () => Volatile.Read(ref _now));
    }

    private static Counter.Child? Get(LabeledMetric<Counter.Child> metric, string method, long status)
    {
        var key = new SeriesKey(stackalloc byte[256]);
        key.Add(method);
        key.Add(status);
        return metric.Get(in key);
    }

    private Dictionary<string, double> Scrape()
    {
        using var stream = new MemoryStream();
        _registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Series(string method, string status) => PrometheusText.Key("requests_total", ("method", method), ("status", status));

    [Fact]
    public void CreatesASeriesOnFirstUseAndFindsItAgain()
    {
        LabeledMetric<Counter.Child> metric = Requests(new SeriesLimits());

        Get(metric, "GET", 200)!.Inc();
        Get(metric, "GET", 200)!.Inc();
        Get(metric, "POST", 500)!.Inc();

        Assert.Same(Get(metric, "GET", 200), Get(metric, "GET", 200));
        Assert.Equal(2, metric.SeriesCount);
        Assert.Equal(2, _health.SeriesCount);
        Assert.Equal(new Dictionary<string, double> { [Series("GET", "200")] = 2, [Series("POST", "500")] = 1 }, Scrape());
    }

    [Fact]
    public void AtTheCapDropSkipsNewSeriesAndCountsThem()
    {
        LabeledMetric<Counter.Child> metric = Requests(new SeriesLimits(maxSeries: 2, SeriesOverflow.Drop));
        Get(metric, "GET", 200)!.Inc();
        Get(metric, "GET", 404)!.Inc();

        Assert.Null(Get(metric, "GET", 500));
        Assert.Null(Get(metric, "PUT", 201));
        Get(metric, "GET", 200)!.Inc();

        Assert.Equal(2, _health.DroppedSeries);
        Assert.Equal(0, _health.FoldedSeries);
        Assert.Equal(new Dictionary<string, double> { [Series("GET", "200")] = 2, [Series("GET", "404")] = 1 }, Scrape());
    }

    [Fact]
    public void AtTheCapFoldIntoOtherSendsNewSeriesToOneAllOtherSeries()
    {
        LabeledMetric<Counter.Child> metric = Requests(new SeriesLimits(maxSeries: 2, SeriesOverflow.FoldIntoOther));
        Get(metric, "GET", 200)!.Inc();
        Get(metric, "GET", 404)!.Inc();

        Get(metric, "GET", 500)!.Inc();
        Get(metric, "PUT", 201)!.Inc(2);
        Get(metric, "GET", 200)!.Inc();

        Assert.Equal(2, _health.FoldedSeries);
        Assert.Equal(0, _health.DroppedSeries);
        Assert.Equal(3, metric.SeriesCount);
        Assert.Equal(
            new Dictionary<string, double> { [Series("GET", "200")] = 2, [Series("GET", "404")] = 1, [Series("other", "other")] = 3 },
            Scrape());
    }

    [Fact]
    public void IdleSeriesExpireAtCollectionAndComeBackFromZero()
    {
        LabeledMetric<Counter.Child> metric = Requests(new SeriesLimits(idleExpiry: TimeSpan.FromSeconds(10)));
        Get(metric, "GET", 200)!.Inc(5);
        Get(metric, "POST", 200)!.Inc(7);

        _now += 6_000;
        Get(metric, "GET", 200)!.Inc();
        _now += 4_000;

        // POST was last updated 10 s ago, GET 4 s ago.
        Assert.Equal(new Dictionary<string, double> { [Series("GET", "200")] = 6 }, Scrape());
        Assert.Equal(1, metric.SeriesCount);

        Get(metric, "POST", 200)!.Inc();
        Assert.Equal(new Dictionary<string, double> { [Series("GET", "200")] = 6, [Series("POST", "200")] = 1 }, Scrape());

        _now += 60_000;
        Assert.Empty(Scrape());
        Assert.Equal(0, metric.SeriesCount);
    }

    [Fact]
    public void ExpiryFreesRoomUnderTheCap()
    {
        LabeledMetric<Counter.Child> metric = Requests(new SeriesLimits(maxSeries: 1, idleExpiry: TimeSpan.FromMinutes(1)));
        Get(metric, "GET", 200)!.Inc();
        Assert.Null(Get(metric, "GET", 500));

        _now += 61_000;
        Scrape();

        Get(metric, "GET", 500)!.Inc();
        Assert.Equal(new Dictionary<string, double> { [Series("GET", "500")] = 1 }, Scrape());
    }

    [Fact]
    public void InvalidUtf8LabelValuesAreReplacedAndCountedPerUpdate()
    {
        LabeledMetric<Counter.Child> metric = Requests(new SeriesLimits());
        void Apply()
        {
            var key = new SeriesKey(stackalloc byte[64]);
            key.Add([0x47, 0xC0, 0x54]);
            key.Add(200L);
            metric.Get(in key)!.Inc();
        }

        Apply();
        Apply();
        Apply();

        Assert.Equal(3, _health.ReplacedLabelValues);
        Assert.Equal(new Dictionary<string, double> { [Series("G\uFFFDT", "200")] = 3 }, Scrape());
    }

    [Fact]
    public void UpdatingAnExistingSeriesAllocatesNothing()
    {
        LabeledMetric<Counter.Child> metric = Requests(new SeriesLimits(idleExpiry: TimeSpan.FromMinutes(5)));
        string[] methods = ["GET", "POST", "PUT"];
        void Apply()
        {
            foreach (string method in methods)
            {
                for (long status = 200; status < 210; status++)
                {
                    Get(metric, method, status)!.Inc();
                }
            }
        }

        Allocations.AssertNone(Apply);
    }

    [Theory]
    [InlineData(SeriesOverflow.Drop)]
    [InlineData(SeriesOverflow.FoldIntoOther)]
    public void AMillionDistinctValuesStayWithinTheCap(SeriesOverflow overflow)
    {
        LabeledMetric<Counter.Child> metric = Requests(new SeriesLimits(overflow: overflow));
        GC.Collect();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        for (long i = 0; i < SeriesLimits.DefaultMaxSeries; i++)
        {
            Get(metric, "GET", i)?.Inc();
        }

        // Past the cap, a new value costs a lookup and a counter: no allocation at all.
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (long i = SeriesLimits.DefaultMaxSeries; i < 1_000_000; i++)
        {
            Get(metric, "GET", i)?.Inc();
        }

        long allocatedPastTheCap = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        long retained = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;

        int folded = overflow == SeriesOverflow.FoldIntoOther ? 1 : 0;
        Assert.Equal(SeriesLimits.DefaultMaxSeries + folded, metric.SeriesCount);
        Assert.Equal(overflow == SeriesOverflow.Drop ? 990_000 : 0, _health.DroppedSeries);
        Assert.Equal(overflow == SeriesOverflow.Drop ? 0 : 990_000, _health.FoldedSeries);

        // The one all-"other" series is the only allocation past the cap.
        Assert.True(allocatedPastTheCap < 4096, $"{allocatedPastTheCap} bytes allocated past the cap");

        // 10,000 series of a counter with two labels: a few MB, not the hundreds a million would take.
        Assert.True(retained < 32 * 1024 * 1024, $"{retained} bytes retained");
        GC.KeepAlive(metric);
    }

    [Fact]
    public async Task FlushesRacingExpiryNeverThrowNorLeaveASeriesHalfRemoved()
    {
        LabeledMetric<Counter.Child> metric = Requests(new SeriesLimits(maxSeries: 50, overflow: SeriesOverflow.FoldIntoOther, idleExpiry: TimeSpan.FromMilliseconds(1)));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        Task[] flushes = Enumerable.Range(0, 3).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Add(ref _now, 1);
                Get(metric, "GET", random.Next(100))!.Inc();
            }
        })).ToArray();
        Task scrapes = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Scrape();
            }
        });
        await Task.WhenAll([.. flushes, scrapes]);

        // With the clock stopped nothing expires: every series the table holds must be the one the exposition
        // shows, so an update made now is never lost to a child removed earlier.
        Scrape();
        for (int status = 0; status < 100; status++)
        {
            Get(metric, "GET", status)!.Inc();
        }

        Dictionary<string, double> scraped = Scrape();
        Assert.Equal(metric.SeriesCount, scraped.Count);
        for (int status = 0; status < 100; status++)
        {
            Assert.True(
                scraped.ContainsKey(Series("GET", status.ToString())) || scraped.ContainsKey(Series("other", "other")),
                $"status {status} was updated but is not exposed");
        }

        Assert.InRange(metric.SeriesCount, 50, 51);
    }
}
