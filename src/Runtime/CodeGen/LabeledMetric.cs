using System;
using System.ComponentModel;
using System.Threading;
using FluentBit.Plugins.Lookup;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The dynamic series of one metric (those with a label whose value comes from the record): each found again
/// from its <see cref="SeriesKey"/> bytes without allocating or locking, created on first use, capped, and
/// optionally expired when idle. Metrics whose labels are all constants do not need this.
/// </summary>
/// <remarks>
/// <para>
/// Memory is bounded whatever the records hold: at most <see cref="SeriesLimits.MaxSeries"/> series (one more
/// for the all-"other" series when folding); past the cap a new series costs a lookup and a counter
/// increment, and allocates nothing.
/// </para>
/// <para>
/// Expiry runs when the registry is collected (at each scrape): series whose last update is older than
/// <see cref="SeriesLimits.IdleExpiry"/> are removed from the exposition and from the lookup table; the next
/// record with their labels creates them again from zero (for a counter, a reset Prometheus handles). A flush
/// that found a series just before the sweep removed it applies its update to the removed series, so that one
/// update is lost; nothing throws and no series is left half-removed. Without scrapes nothing expires, and
/// the cap still bounds memory.
/// </para>
/// <para>
/// Every series of the metric must go through one <see cref="LabeledMetric{TChild}"/>: a child also held
/// elsewhere (pre-resolved for constant labels) would be removed from under its holder by expiry.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LabeledMetric<TChild>
    where TChild : ChildBase
{
    /// <summary>
    /// The longest label value a series may have, in UTF-8 bytes (as Cortex and Mimir refuse longer ones): a longer
    /// value is skipped as <see cref="SkipReason.InvalidLabel"/>, so a 1 MB string cannot become 10,000 series of 1 MB.
    /// </summary>
    public const int MaxLabelValueLength = 2048;

    private const string OtherValue = "other";

    private readonly Collector<TChild> _collector;
    private readonly MetricHealth _health;
    private readonly Utf8KeyTable<Series> _series = new();
    private readonly int _labelCount;
    private readonly byte[] _otherKey;
    private readonly string[] _otherValues;
    private readonly long _expiryMilliseconds;
    private readonly Func<long>? _clock;

    /// <param name="registry">The registry <paramref name="collector"/> is in; expiry sweeps run before it is collected.</param>
    /// <param name="collector">The metric, with every label dynamic.</param>
    /// <param name="health">Where dropped, folded and replaced values are counted.</param>
    /// <param name="limits">The cap, its overflow policy and the idle expiry.</param>
    public LabeledMetric(CollectorRegistry registry, Collector<TChild> collector, MetricHealth health, SeriesLimits limits)
        : this(registry ?? throw new ArgumentNullException(nameof(registry)), collector, health, limits, clock: null)
    {
    }

    /// <param name="registry">May be null when <paramref name="limits"/> has no expiry.</param>
    /// <param name="collector">The metric.</param>
    /// <param name="health">Where dropped, folded and replaced values are counted.</param>
    /// <param name="limits">The cap, its overflow policy and the idle expiry.</param>
    /// <param name="clock">Milliseconds on a monotonic clock, for tests; null uses <see cref="Environment.TickCount64"/>.</param>
    internal LabeledMetric(CollectorRegistry? registry, Collector<TChild> collector, MetricHealth health, SeriesLimits limits, Func<long>? clock)
    {
        _collector = collector ?? throw new ArgumentNullException(nameof(collector));
        _health = health ?? throw new ArgumentNullException(nameof(health));
        Limits = limits ?? throw new ArgumentNullException(nameof(limits));
        _clock = clock;
        LabelNames = collector.LabelNames;
        _labelCount = LabelNames.Length;
        _otherValues = new string[_labelCount];
        Array.Fill(_otherValues, OtherValue);
        var other = new SeriesKey(new byte[(OtherValue.Length + 1) * _labelCount]);
        foreach (string value in _otherValues)
        {
            other.Add(value);
        }

        _otherKey = other.Bytes.ToArray();
        health.TrackSeries(() => _series.Count);
        if (limits.IdleExpiry is { } expiry)
        {
            _expiryMilliseconds = Math.Max(1, (long)Math.Ceiling(expiry.TotalMilliseconds));
            (registry ?? throw new ArgumentNullException(nameof(registry), "expiry runs before the registry is collected")).AddBeforeCollectCallback(() => ExpireIdle());
        }
    }

    /// <summary>The cap, overflow policy and expiry this metric was created with.</summary>
    public SeriesLimits Limits { get; }

    /// <summary>The metric's labels, in the order a <see cref="SeriesKey"/> must give their values.</summary>
    internal string[] LabelNames { get; }

    internal MetricHealth Health => _health;

    /// <summary>The number of series held now.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>
    /// The series of <paramref name="key"/>, created if new; null when the metric is at its cap and the
    /// policy is <see cref="SeriesOverflow.Drop"/>, or a value is longer than <see cref="MaxLabelValueLength"/>
    /// (counted as <see cref="SkipReason.InvalidLabel"/>): the update must then be skipped. Label values the key had
    /// to replace are counted in the metric's health.
    /// </summary>
    public TChild? Get(scoped in SeriesKey key) => Get(in key, out Series? _);

    /// <summary><see cref="Get(in SeriesKey)"/>, with the series' exemplar gate (null when there is no series).</summary>
    public TChild? Get(scoped in SeriesKey key, out ExemplarGate? exemplarGate)
    {
        TChild? child = Get(in key, out Series? _, out Series? series);
        exemplarGate = series;
        return child;
    }

    /// <summary>
    /// <see cref="Get(in SeriesKey)"/>, also giving the series itself when a caller may keep it and update it again
    /// through <see cref="Use"/> without counting anything: when it was found or created under the cap, not folded,
    /// and no label value had to be replaced. Null otherwise, and then every update must go through Get.
    /// </summary>
    internal TChild? Get(scoped in SeriesKey key, out Series? reusable) => Get(in key, out reusable, out _);

    private TChild? Get(scoped in SeriesKey key, out Series? reusable, out Series? found)
    {
        if (key.LongestValue > MaxLabelValueLength)
        {
            _health.Skip(SkipReason.InvalidLabel);
            reusable = null;
            found = null;
            return null;
        }

        _health.ReplacedLabels(key.ReplacedValues);
        bool folded = false;
        Series? series = _series.Find(key.Bytes) ?? AddSeries(in key, out folded);
        reusable = folded || key.ReplacedValues > 0 ? null : series;
        found = series;
        return series is null ? null : Use(series);
    }

    /// <summary>The child of a series kept from <see cref="Get(in SeriesKey, out Series?)"/>, marked as used now.</summary>
    internal TChild Use(Series series)
    {
        if (_expiryMilliseconds != 0)
        {
            long now = Now;
            if (Volatile.Read(ref series.LastUse) != now)
            {
                Volatile.Write(ref series.LastUse, now);
            }
        }

        return series.Child;
    }

    /// <summary>Removes the series idle for at least the expiry; runs before each collection.</summary>
    /// <returns>The number of series removed.</returns>
    internal int ExpireIdle() =>
        _series.RemoveWhere((Metric: this, Now: Now), static (state, series) => state.Metric.Expire(series, state.Now));

    private long Now => _clock is null ? Environment.TickCount64 : _clock();

    private Series? AddSeries(scoped in SeriesKey key, out bool folded)
    {
        folded = false;
        // Checked before the lock too, so a flood of new values past the cap neither locks nor allocates.
        if (_series.Count < Limits.MaxSeries)
        {
            Series? added = _series.GetOrAdd(key.Bytes, Limits.MaxSeries, (Metric: this, Values: key.ToLabelValues()), static state => state.Metric.Create(state.Values));
            if (added is not null)
            {
                return added;
            }
        }

        if (Limits.Overflow == SeriesOverflow.Drop)
        {
            _health.DroppedOne();
            return null;
        }

        _health.FoldedOne();
        folded = true;
        return _series.Find(_otherKey)
            ?? _series.GetOrAdd(_otherKey, int.MaxValue, (Metric: this, Values: _otherValues), static state => state.Metric.Create(state.Values));
    }

    private Series Create(string[] values)
    {
        if (values.Length != _labelCount)
        {
            throw new ArgumentException($"a key of {values.Length} values for {_collector.Name}, which has {_labelCount} labels");
        }

        return new Series(_collector.WithLabels(values), Now);
    }

    // Runs under the table's lock: no series of this key can be created between the removal from the
    // collector and the removal from the table, so a new series never gets the removed child.
    private bool Expire(Series series, long now)
    {
        if (now - Volatile.Read(ref series.LastUse) < _expiryMilliseconds)
        {
            return false;
        }

        series.Removed = true;
        series.Child.Remove();
        return true;
    }

    /// <summary>One series: its child, when it was last updated, whether expiry has removed it, and its exemplar gate.</summary>
    internal sealed class Series(TChild child, long lastUse) : ExemplarGate
    {
        public readonly TChild Child = child;

        public long LastUse = lastUse;

        /// <summary>Set once expiry has removed the series: a caller keeping it must get the series again.</summary>
        public volatile bool Removed;
    }
}
