using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Testing;
using Prometheus;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

public class MetricsConfigTests
{
    private sealed class Properties(params (string Key, string Value)[] pairs) : IPropertySource
    {
        public string? Get(string key) =>
            pairs.Where(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Select(p => p.Value).FirstOrDefault();
    }

    private static MetricsConfig Read(params (string Key, string Value)[] pairs) => MetricsConfig.Read(new Properties(pairs), "access_log_exporter");

    private static string Error(params (string Key, string Value)[] pairs) => Assert.Throws<PluginConfigException>(() => Read(pairs)).Message;

    [Fact]
    public void NothingSetChangesNothing()
    {
        MetricsConfig config = Read();

        Assert.Empty(config.AddLabels);
        Assert.False(config.HasDefaultExpiry);
        Assert.Empty(config.ExpiryByMetric);
        Assert.Equal(TimeSpan.FromMinutes(5), new MetricOptions(config).IdleExpiry("m", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void AddLabelsIsAListOfNameValuePairsInOrder()
    {
        MetricsConfig config = Read(("add_labels", " env = prod , dc=eu1,url=http://x/?a=b "));

        Assert.Equal([new("env", "prod"), new("dc", "eu1"), new("url", "http://x/?a=b")], config.AddLabels.ToArray());
    }

    [Theory]
    [InlineData("env", "'env' has no '='")]
    [InlineData("env=prod,,dc=eu1", "an entry is empty")]
    [InlineData("1env=prod", "'1env' is not a label name (letters, digits and '_', not starting with a digit or '__')")]
    [InlineData("__name__=x", "'__name__' is not a label name (letters, digits and '_', not starting with a digit or '__')")]
    [InlineData("=x", "'' is not a label name (letters, digits and '_', not starting with a digit or '__')")]
    [InlineData("le=1", "the label name 'le' is reserved: histograms name their buckets with it")]
    [InlineData("quantile=1", "the label name 'quantile' is reserved: summaries name their quantiles with it")]
    [InlineData("env=a,env=b", "the label 'env' is given twice")]
    [InlineData("env=", "the label 'env' has an empty value, which Prometheus reads as no label")]
    public void ABadAddLabelsListFailsNamingTheKey(string value, string what)
    {
        Assert.Equal(
            $"invalid value '{value}' for add_labels: {what}; expected name=value pairs separated by commas, such as env=prod,dc=eu1",
            Error(("add_labels", value)));
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("2d", 172800)]
    [InlineData("10M", 600)]
    public void SeriesExpiryGivesEveryDynamicMetricADuration(string value, int seconds)
    {
        var options = new MetricOptions(Read(("series_expiry", value)));

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.IdleExpiry("a_total", null));
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.IdleExpiry("b_total", TimeSpan.FromHours(9)));
    }

    [Fact]
    public void SeriesExpiryOffTurnsEveryDeclaredExpiryOff()
    {
        var options = new MetricOptions(Read(("series_expiry", "OFF")));

        Assert.Null(options.IdleExpiry("a_total", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void PerMetricEntriesOverrideTheDefaultAndTheDeclaration()
    {
        var options = new MetricOptions(Read(("series_expiry", "http_requests_total=10m, 1h ,http_bytes_total=off")));

        Assert.Equal(TimeSpan.FromMinutes(10), options.IdleExpiry("http_requests_total", null));
        Assert.Null(options.IdleExpiry("http_bytes_total", TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromHours(1), options.IdleExpiry("other_total", TimeSpan.FromMinutes(5)));

        var perMetricOnly = new MetricOptions(Read(("series_expiry", "a=30s")));
        Assert.Equal(TimeSpan.FromMinutes(5), perMetricOnly.IdleExpiry("b", TimeSpan.FromMinutes(5)));
        Assert.Null(perMetricOnly.IdleExpiry("c", null));
    }

    [Theory]
    [InlineData("10", "'10' is not a duration")]
    [InlineData("10x", "'10x' is not a duration")]
    [InlineData("0s", "'0s' is not a duration")]
    [InlineData("-5m", "'-5m' is not a duration")]
    [InlineData("1.5h", "'1.5h' is not a duration")]
    [InlineData("99999999999999d", "'99999999999999d' is not a duration")]
    [InlineData("a=", "'' is not a duration")]
    [InlineData("10m,", "an entry is empty")]
    [InlineData("10m,1h", "it gives two durations for every metric")]
    [InlineData("=10m", "'=10m' names no metric")]
    [InlineData("a=1m,a=2m", "the metric 'a' is given twice")]
    public void ABadSeriesExpiryFailsNamingTheKey(string value, string what)
    {
        Assert.Equal(
            $"invalid value '{value}' for series_expiry: {what}; expected a duration (30s, 10m, 1h, 2d) or off, for every metric with dynamic labels, and/or metric_name=duration entries, such as 10m,http_requests_total=off",
            Error(("series_expiry", value)));
    }

    [Theory]
    [InlineData("add_label", "add_labels")]
    [InlineData("Static_Labels", "add_labels")]
    [InlineData("series_ttl", "series_expiry")]
    public void AKeyMeantAsOneOfTheseIsRejectedNamingBoth(string key, string meant)
    {
        Assert.Equal(
            $"unknown configuration key '{key.ToLowerInvariant()}' (did you mean '{meant}'?); access_log_exporter accepts: " + string.Join(", ", ConfigKeys.Accepted),
            Assert.Throws<PluginConfigException>(() => ConfigKeys.RejectMistakenKeys(new Properties((key, "x")), "access_log_exporter")).Message);
    }

    private sealed class Instruments(CollectorRegistry registry, MetricOptions options, string[] labels, params string[] expiring)
    {
        public Counter Requests { get; } = Metrics.WithCustomRegistry(registry)
            .CreateCounter("requests_total", "Requests", new CounterConfiguration { LabelNames = labels });

        public TimeSpan?[] Expiries { get; } = expiring.Select(name => options.IdleExpiry(name, null)).ToArray();
    }

    private static (CollectorRegistry Registry, Instruments Instruments) Create(MetricsConfig config, string[] labels, params string[] expiring)
    {
        CollectorRegistry registry = Metrics.NewCustomRegistry();
        Instruments instruments = new MetricOptions(config).CreateInstruments(registry, "access_log_exporter", labels, (r, o) => new Instruments(r, o, labels, expiring));
        return (registry, instruments);
    }

    [Fact]
    public async System.Threading.Tasks.Task AddedLabelsAppearOnEveryMetric()
    {
        (CollectorRegistry registry, Instruments instruments) = Create(Read(("add_labels", "env=prod,dc=eu1")), ["method"]);
        instruments.Requests.WithLabels("GET").Inc();

        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        Assert.Equal(
            new Dictionary<string, double> { [PrometheusText.Key("requests_total", ("method", "GET"), ("env", "prod"), ("dc", "eu1"))] = 1 },
            PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray())));
    }

    [Fact]
    public void AnAddedLabelThePluginsMetricsAlreadyHaveFailsInit()
    {
        var error = Assert.Throws<PluginConfigException>(() => Create(Read(("add_labels", "env=prod,method=x")), ["method", "status"]));

        Assert.Equal(
            "invalid value 'env=prod,method=x' for add_labels: 'method' is already a label of access_log_exporter's metrics; choose another name; expected name=value pairs separated by commas, such as env=prod,dc=eu1",
            error.Message);
    }

    [Fact]
    public void SeriesExpiryMustNameMetricsWithDynamicLabels()
    {
        Assert.Equal([TimeSpan.FromMinutes(1)], Create(Read(("series_expiry", "requests_total=1m")), ["method"], "requests_total").Instruments.Expiries);

        var unknown = Assert.Throws<PluginConfigException>(() => Create(Read(("series_expiry", "request_total=1m")), ["method"], "requests_total", "bytes_total"));
        Assert.Equal("series_expiry names 'request_total', which is not a metric of access_log_exporter with dynamic labels; those are: bytes_total, requests_total", unknown.Message);

        var none = Assert.Throws<PluginConfigException>(() => Create(Read(("series_expiry", "10m")), ["method"]));
        Assert.Equal("series_expiry is set, but access_log_exporter has no metric with dynamic labels, whose series could expire", none.Message);
    }

    [Fact]
    public void EachMetricHasOneHealthPerInstance()
    {
        var options = new MetricOptions();

        Assert.Same(options.Health("requests_total"), options.Health("requests_total"));
        Assert.NotSame(options.Health("requests_total"), new MetricOptions().Health("requests_total"));
        Assert.Equal(["requests_total", "bytes_total"], new[] { options.Health("requests_total"), options.Health("bytes_total") }.Select(h => h.MetricName));
        Assert.Equal(2, options.Healths.Count);
    }
}
