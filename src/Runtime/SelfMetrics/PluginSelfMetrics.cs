using System.Collections.Generic;
using System.Diagnostics;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Native;
using Prometheus;

namespace FluentBit.Plugins.SelfMetrics;

/// <summary>
/// One instance's metrics about itself, named <c>fluentbit_plugin_*</c>, in a registry of their own that the
/// endpoint serves after the plugin's metrics (unless <c>self_metrics off</c>). Every update is a lock-free
/// prometheus-net call: the flush path and a scrape never wait for each other.
/// </summary>
internal sealed class PluginSelfMetrics
{
    public const string Prefix = "fluentbit_plugin_";

    private static readonly double[] FlushBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
    private static readonly double[] ScrapeBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private readonly Counter _recordsDecoded;
    private readonly Counter.Child _chunksOk;
    private readonly Counter.Child _chunksError;
    private readonly Counter.Child _chunksRetry;
    private readonly Counter.Child _recordsNotAMap;
    private readonly Counter.Child _recordsFailed;
    private readonly Histogram _flushDuration;
    private readonly Gauge _lastFlush;
    private readonly Histogram _scrapeDuration;
    private readonly Gauge _series;
    private readonly Counter _valuesSkipped;
    private readonly Counter _seriesCapped;
    private readonly Counter _labelValuesReplaced;

    /// <param name="served">False for <c>self_metrics off</c>: everything is still counted, but never served.</param>
    public PluginSelfMetrics(bool served)
    {
        Served = served;
        MetricFactory factory = Metrics.WithCustomRegistry(Registry);

        // Exemplars would read Activity.Current on every update: a cost and, in a flush, a possible allocation.
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();

        _recordsDecoded = factory.CreateCounter(Prefix + "records_decoded_total", "Records decoded from the chunks Fluent Bit flushed to this instance");
        Counter chunks = factory.CreateCounter(Prefix + "chunks_flushed_total", "Chunks flushed to this instance, by the result returned to Fluent Bit", "result");
        _chunksOk = chunks.WithLabels("ok");
        _chunksError = chunks.WithLabels("error");
        _chunksRetry = chunks.WithLabels("retry");
        Counter skipped = factory.CreateCounter(
            Prefix + "records_skipped_total", "Records decoded but not applied: the body is not a map (not_a_map), or the plugin's code threw on it (failed)", "reason");
        _recordsNotAMap = skipped.WithLabels("not_a_map");
        _recordsFailed = skipped.WithLabels("failed");
        _flushDuration = factory.CreateHistogram(Prefix + "flush_duration_seconds", "Time spent decoding and applying one chunk", new HistogramConfiguration { Buckets = FlushBuckets });
        _lastFlush = factory.CreateGauge(Prefix + "last_flush_timestamp_seconds", "When the last flush ended, in seconds since the Unix epoch (0: none yet)");
        _scrapeDuration = factory.CreateHistogram(
            Prefix + "scrape_duration_seconds", "Time spent producing each /metrics response; its _count is the number of scrapes served", new HistogramConfiguration { Buckets = ScrapeBuckets });
        _series = factory.CreateGauge(Prefix + "series", "Time series each metric of the plugin exposes, counted at each scrape", "metric");
        _valuesSkipped = factory.CreateCounter(Prefix + "values_skipped_total", "Values not applied to a metric, by metric and reason", "metric", "reason");
        _seriesCapped = factory.CreateCounter(Prefix + "series_capped_total", "Updates dropped or folded into \"other\" because a metric reached its series cap, by metric and policy", "metric", "policy");
        _labelValuesReplaced = factory.CreateCounter(Prefix + "label_values_replaced_total", "Label values that were not valid UTF-8, exported with U+FFFD in place of the bad bytes, by metric", "metric");
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>Adds the families of one push target (<c>remote_write_*</c>, <c>otlp_*</c>), for an instance that pushes to it; once each.</summary>
    /// <inheritdoc cref="PushSelfMetrics(MetricFactory, string, string, string, string[], bool)"/>
    public PushSelfMetrics AddPush(string target, string unit, string receiver, string[] failureResults, bool partialSuccess)
    {
        MetricFactory factory = Metrics.WithCustomRegistry(Registry);
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        return new PushSelfMetrics(factory, target, unit, receiver, failureResults, partialSuccess);
    }

    /// <summary>Whether <c>/metrics</c> includes these families.</summary>
    public bool Served { get; }

    /// <summary>
    /// Records one flush. Called once per chunk with the records counted in a local variable, so the
    /// per-record path stays free of shared writes and allocations.
    /// </summary>
    public void ChunkFlushed(int result, int records, long startTimestamp) => ChunkFlushed(result, new FlushTally { Records = records }, startTimestamp);

    /// <summary>Records one flush, with its records skipped whole.</summary>
    public void ChunkFlushed(int result, in FlushTally tally, long startTimestamp)
    {
        if (tally.Records > 0)
        {
            _recordsDecoded.Inc(tally.Records);
        }

        if (tally.NotAMap > 0)
        {
            _recordsNotAMap.Inc(tally.NotAMap);
        }

        if (tally.Failed > 0)
        {
            _recordsFailed.Inc(tally.Failed);
        }

        (result switch
        {
            FlbConstants.Ok => _chunksOk,
            FlbConstants.Retry => _chunksRetry,
            _ => _chunksError,
        }).Inc();
        _flushDuration.Observe(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
        _lastFlush.SetToCurrentTimeUtc();
    }

    public void ScrapeServed(long startTimestamp) => _scrapeDuration.Observe(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);

    /// <summary>Sets <c>fluentbit_plugin_series{metric}</c> from one family's count in the exposition being served.</summary>
    public void SetSeries(string metric, int count) => _series.WithLabels(metric).Set(count);

    /// <summary>
    /// Exports the metrics' health counters at each scrape: <c>values_skipped_total{metric,reason}</c>,
    /// <c>series_capped_total{metric,policy}</c> and <c>label_values_replaced_total{metric}</c>. Flushes count in
    /// <see cref="MetricHealth"/> with plain interlocked adds; a scrape copies the totals here, so the flush path
    /// never touches a prometheus-net child for them.
    /// </summary>
    public void Track(IReadOnlyList<MetricHealth> healths)
    {
        Registry.AddBeforeCollectCallback(() =>
        {
            foreach (MetricHealth health in healths)
            {
                foreach (SkipReason reason in SkipReasons.All)
                {
                    // A reason never seen stays absent rather than exported as a 0 for every metric.
                    if (health.Skipped(reason) is > 0 and long skipped)
                    {
                        _valuesSkipped.WithLabels(health.MetricName, reason.ExpositionName()).IncTo(skipped);
                    }
                }

                if (health.DroppedSeries > 0)
                {
                    _seriesCapped.WithLabels(health.MetricName, "drop").IncTo(health.DroppedSeries);
                }

                if (health.FoldedSeries > 0)
                {
                    _seriesCapped.WithLabels(health.MetricName, "fold").IncTo(health.FoldedSeries);
                }

                if (health.ReplacedLabelValues > 0)
                {
                    _labelValuesReplaced.WithLabels(health.MetricName).IncTo(health.ReplacedLabelValues);
                }
            }
        });
    }
}

/// <summary>What one flush did with the chunk's events, counted in locals and reported once per chunk.</summary>
internal struct FlushTally
{
    /// <summary>Events decoded (applied or skipped whole).</summary>
    public int Records;

    /// <summary>Events whose body is not a map: nothing to read a value from.</summary>
    public int NotAMap;

    /// <summary>Events on which the plugin's code (its hook or a property accessor) threw.</summary>
    public int Failed;
}
