using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Text;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Lookup;
using FluentBit.Plugins.Testing;
using Prometheus;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

public class KeyPatternTests
{
    /// <summary>The label values of <paramref name="key"/>, in pattern order, or null if it does not match.</summary>
    private static string[]? Match(KeyPatternMatcher matcher, System.ReadOnlySpan<byte> key)
    {
        var series = new SeriesKey(stackalloc byte[64]);
        int[] patternOrder = Enumerable.Range(0, matcher.Labels.Length).ToArray();
        return matcher.TryAddLabelValues(key, patternOrder, ref series) ? series.ToLabelValues() : null;
    }

    [Theory]
    [InlineData("cpu0.p_cpu", "cpu0", "total")]
    [InlineData("cpu1.p_user", "cpu1", "user")]
    [InlineData("cpu15.p_system", "cpu15", "system")]
    [InlineData("a.p_b.p_c", "a", "b.p_c")]
    public void CapturesLabelsAndRewritesValues(string key, string cpu, string mode)
    {
        var matcher = new KeyPatternMatcher("{cpu}.p_{mode:cpu=total}");

        Assert.Equal(["cpu", "mode"], matcher.Labels);
        Assert.Equal([cpu, mode], Match(matcher, Encoding.UTF8.GetBytes(key))!);
    }

    [Theory]
    [InlineData("cpu_p")]
    [InlineData(".p_user")]
    [InlineData("cpu0.p_")]
    [InlineData("cpu0.x_user")]
    [InlineData("")]
    public void RejectsKeysThatDoNotMatch(string key)
    {
        var matcher = new KeyPatternMatcher("{cpu}.p_{mode:cpu=total}");

        Assert.Null(Match(matcher, Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void LiteralPrefixAndSuffix()
    {
        var matcher = new KeyPatternMatcher("disk.{device}.bytes");

        Assert.Equal(["sda"], Match(matcher, "disk.sda.bytes"u8)!);
        Assert.Null(Match(matcher, "disk.sda.bytes2"u8));
        Assert.Null(Match(matcher, "net.sda.bytes"u8));
    }

    [Fact]
    public void NonAsciiKeysKeepTheirText()
    {
        var matcher = new KeyPatternMatcher("{name}.v");

        Assert.Equal(["café☃"], Match(matcher, Encoding.UTF8.GetBytes("café☃.v"))!);
    }

    private static Dictionary<string, double> Scrape(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return PrometheusText.Parse(Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void PatternsFeedAnyKindWithLabelsInTheMetricsOrder()
    {
        CollectorRegistry registry = Metrics.NewCustomRegistry();
        var health = new MetricHealth("disk_bytes_total");
        Counter counter = Metrics.WithCustomRegistry(registry).CreateCounter(
            "disk_bytes_total", "Bytes", new CounterConfiguration { LabelNames = ["direction", "device"], SuppressInitialValue = true });
        var pattern = new KeyPatternMetric<Counter.Child>(new LabeledMetric<Counter.Child>(registry, counter, health, new SeriesLimits()), "{device}.{direction:rd=read,wr=write}_bytes");

        Assert.True(pattern.TryMatch("sda.rd_bytes"u8, out Counter.Child? read));
        read!.Inc(100);
        Assert.True(pattern.TryMatch("sda.wr_bytes"u8, out Counter.Child? write));
        write!.Inc(5);
        Assert.True(pattern.TryMatch("sda.rd_bytes"u8, out Counter.Child? again));
        Assert.Same(read, again);
        Assert.False(pattern.TryMatch("sda.rd_ops"u8, out Counter.Child? none));
        Assert.Null(none);

        Assert.Equal(
            new Dictionary<string, double>
            {
                [PrometheusText.Key("disk_bytes_total", ("device", "sda"), ("direction", "read"))] = 100,
                [PrometheusText.Key("disk_bytes_total", ("device", "sda"), ("direction", "write"))] = 5,
            },
            Scrape(registry));
    }

    [Fact]
    public void APatternMustCaptureExactlyTheMetricsLabels()
    {
        CollectorRegistry registry = Metrics.NewCustomRegistry();
        Histogram histogram = Metrics.WithCustomRegistry(registry).CreateHistogram(
            "latency_seconds", "Latency", new HistogramConfiguration { LabelNames = ["route"] });
        var series = new LabeledMetric<Histogram.Child>(registry, histogram, new MetricHealth("latency_seconds"), new SeriesLimits());

        var error = Assert.Throws<System.ArgumentException>(() => new KeyPatternMetric<Histogram.Child>(series, "{route}.{method}"));
        Assert.Equal("pattern '{route}.{method}' must capture exactly the labels route", error.Message);
    }

    [Fact]
    public void APatternDropsKeysPastItsMetricsCap()
    {
        CollectorRegistry registry = Metrics.NewCustomRegistry();
        Gauge gauge = Metrics.WithCustomRegistry(registry).CreateGauge(
            "core_percent", "Per core", new GaugeConfiguration { LabelNames = ["cpu"], SuppressInitialValue = true });
        var health = new MetricHealth("core_percent");
        var pattern = new KeyPatternMetric<Gauge.Child>(new LabeledMetric<Gauge.Child>(registry, gauge, health, new SeriesLimits(maxSeries: 100)), "{cpu}.p_cpu");

        for (int i = 0; i < 103; i++)
        {
            Assert.True(pattern.TryMatch(Encoding.UTF8.GetBytes($"cpu{i}.p_cpu"), out Gauge.Child? child));
            Assert.Equal(i < 100, child is not null);
            child?.Set(i);
        }

        Assert.False(pattern.TryMatch("cpu_p"u8, out _));
        Assert.Equal(3, health.DroppedSeries);
        Assert.Equal(100, Scrape(registry).Count);
    }

    [Fact]
    public void MatchingAKeyOfAnExistingSeriesAllocatesNothing()
    {
        CollectorRegistry registry = Metrics.NewCustomRegistry();
        Gauge gauge = Metrics.WithCustomRegistry(registry).CreateGauge(
            "cpu_percent", "Per core", new GaugeConfiguration { LabelNames = ["cpu", "mode"], SuppressInitialValue = true });
        var pattern = new KeyPatternMetric<Gauge.Child>(
            new LabeledMetric<Gauge.Child>(registry, gauge, new MetricHealth("cpu_percent"), new SeriesLimits(idleExpiry: System.TimeSpan.FromMinutes(1))),
            "{cpu}.p_{mode:cpu=total}");
        byte[][] keys = [.. new[] { "cpu0.p_cpu", "cpu0.p_user", "cpu1.p_system", "cpu_p", "Mem.total" }.Select(Encoding.UTF8.GetBytes)];
        void MatchAll()
        {
            foreach (byte[] key in keys)
            {
                if (pattern.TryMatch(key, out Gauge.Child? child))
                {
                    child!.Set(1);
                }
            }
        }

        Allocations.AssertNone(MatchAll);
    }

    private static (KeyPatternMetric<Gauge.Child> Pattern, MetricHealth Health, CollectorRegistry Registry) CorePattern(SeriesLimits limits, System.Func<long>? clock = null)
    {
        CollectorRegistry registry = Metrics.NewCustomRegistry();
        Gauge gauge = Metrics.WithCustomRegistry(registry).CreateGauge(
            "core_percent", "Per core", new GaugeConfiguration { LabelNames = ["cpu"], SuppressInitialValue = true });
        var health = new MetricHealth("core_percent");
        var series = clock is null
            ? new LabeledMetric<Gauge.Child>(registry, gauge, health, limits)
            : new LabeledMetric<Gauge.Child>(registry, gauge, health, limits, clock);
        return (new KeyPatternMetric<Gauge.Child>(series, "{cpu}.p_cpu"), health, registry);
    }

    [Fact]
    public void ARememberedKeyFollowsItsSeriesThroughExpiry()
    {
        long now = 1_000_000;
        var (pattern, _, registry) = CorePattern(new SeriesLimits(idleExpiry: System.TimeSpan.FromSeconds(10)), () => now);
        Assert.True(pattern.TryMatch("cpu0.p_cpu"u8, out Gauge.Child? first));
        first!.Inc(5);
        Assert.True(pattern.TryMatch("cpu0.p_cpu"u8, out Gauge.Child? again));
        Assert.Same(first, again);

        now += 11_000;
        Assert.Empty(Scrape(registry));

        // The key is remembered, but its series is gone: a new one, from zero.
        Assert.True(pattern.TryMatch("cpu0.p_cpu"u8, out Gauge.Child? renewed));
        Assert.NotSame(first, renewed);
        renewed!.Inc(1);
        Assert.Equal(new Dictionary<string, double> { [PrometheusText.Key("core_percent", ("cpu", "cpu0"))] = 1 }, Scrape(registry));
        Assert.True(pattern.TryMatch("cpu0.p_cpu"u8, out Gauge.Child? kept));
        Assert.Same(renewed, kept);
    }

    [Theory]
    [InlineData(SeriesOverflow.Drop)]
    [InlineData(SeriesOverflow.FoldIntoOther)]
    public void KeysPastTheCapAreCountedOnEveryUpdate(SeriesOverflow overflow)
    {
        var (pattern, health, _) = CorePattern(new SeriesLimits(maxSeries: 1, overflow: overflow));
        for (int i = 0; i < 3; i++)
        {
            Assert.True(pattern.TryMatch("cpu0.p_cpu"u8, out _));
            Assert.True(pattern.TryMatch("cpu1.p_cpu"u8, out Gauge.Child? past));
            Assert.Equal(overflow == SeriesOverflow.FoldIntoOther, past is not null);
        }

        Assert.Equal(overflow == SeriesOverflow.Drop ? 3 : 0, health.DroppedSeries);
        Assert.Equal(overflow == SeriesOverflow.FoldIntoOther ? 3 : 0, health.FoldedSeries);
    }

    [Fact]
    public void InvalidUtf8InAKeyIsCountedOnEveryUpdate()
    {
        var (pattern, health, _) = CorePattern(new SeriesLimits());
        byte[] key = [0x63, 0xff, 0x2e, 0x70, 0x5f, 0x63, 0x70, 0x75];
        Assert.True(pattern.TryMatch(key, out _));
        Assert.True(pattern.TryMatch(key, out _));
        Assert.Equal(2, health.ReplacedLabelValues);
    }

    [Fact]
    public void RememberedKeysAreBounded()
    {
        var (pattern, _, _) = CorePattern(new SeriesLimits(maxSeries: 10));
        for (int i = 0; i < 1000; i++)
        {
            Assert.False(pattern.TryMatch(Encoding.UTF8.GetBytes($"other{i}"), out _));
            pattern.TryMatch(Encoding.UTF8.GetBytes($"cpu{i}.p_cpu"), out _);
        }

        Assert.Equal(10 + KeyPatternMetric<Gauge.Child>.RememberedMisses, pattern.RememberedKeys);
        Assert.False(pattern.TryMatch("other0"u8, out _));
        Assert.False(pattern.TryMatch("other999"u8, out _));
    }
}
