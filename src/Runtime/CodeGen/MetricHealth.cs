using System;
using System.ComponentModel;
using System.Threading;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// What went wrong feeding one metric of one instance, counted without locking or allocating so flushes can
/// report it on every record, and read at scrape time to be exported as self-metrics.
/// Every count is a number of record updates, not of distinct values: a flood of distinct label values is
/// counted without remembering any of them.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MetricHealth
{
    private readonly long[] _skipped = new long[SkipReasons.Count];
    private long _droppedSeries;
    private long _foldedSeries;
    private long _replacedLabelValues;
    private Func<int>? _seriesCount;

    /// <param name="metricName">The metric's name, as exported.</param>
    public MetricHealth(string metricName)
    {
        MetricName = metricName ?? throw new ArgumentNullException(nameof(metricName));
    }

    /// <summary>The metric's name, as exported.</summary>
    public string MetricName { get; }

    /// <summary>
    /// The least time between two exemplars of one of the metric's series (<see cref="ExemplarGate.MinInterval"/>). Per
    /// metric of one instance: a test that counts allocations over many flushes lengthens it for its own instance only,
    /// so that a slow machine cannot reopen a gate mid-count.
    /// </summary>
    internal long ExemplarIntervalMilliseconds { get; set; } = ExemplarGate.DefaultIntervalMilliseconds;

    /// <summary>Updates refused because the metric was at its series cap with <see cref="SeriesOverflow.Drop"/>.</summary>
    public long DroppedSeries => Interlocked.Read(ref _droppedSeries);

    /// <summary>Updates sent to the all-<c>"other"</c> series because the metric was at its cap with <see cref="SeriesOverflow.FoldIntoOther"/>.</summary>
    public long FoldedSeries => Interlocked.Read(ref _foldedSeries);

    /// <summary>Label values (one per label per update) that were not valid UTF-8, exported with U+FFFD in place of the bad bytes.</summary>
    public long ReplacedLabelValues => Interlocked.Read(ref _replacedLabelValues);

    /// <summary>The dynamic series the metric holds now (0 when its labels are all constants).</summary>
    public int SeriesCount => _seriesCount?.Invoke() ?? 0;

    /// <summary>Counts one record's update to this metric skipped for <paramref name="reason"/>.</summary>
    public void Skip(SkipReason reason) => Interlocked.Increment(ref _skipped[(int)reason]);

    /// <summary>How many updates were skipped for <paramref name="reason"/>.</summary>
    public long Skipped(SkipReason reason) => Interlocked.Read(ref _skipped[(int)reason]);

    /// <summary>Counts label values replaced because they were not valid UTF-8.</summary>
    public void ReplacedLabels(int count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _replacedLabelValues, count);
        }
    }

    internal void DroppedOne() => Interlocked.Increment(ref _droppedSeries);

    internal void FoldedOne() => Interlocked.Increment(ref _foldedSeries);

    /// <summary>Adds a source of dynamic series to <see cref="SeriesCount"/>.</summary>
    internal void TrackSeries(Func<int> count)
    {
        Func<int>? previous = _seriesCount;
        _seriesCount = previous is null ? count : () => previous() + count();
    }
}
