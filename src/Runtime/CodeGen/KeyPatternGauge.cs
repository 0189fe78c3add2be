using System;
using System.ComponentModel;
using MessagePack;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The series of a <see cref="GaugeFromKeysAttribute"/> metric: one child per matching key, created the
/// first time the key is seen and found again from the key's bytes without allocating
/// (a <see cref="KeyPatternMetric{TChild}"/> of a gauge, capped at <see cref="MaxSeries"/> series).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class KeyPatternGauge
{
    /// <summary>Keys beyond this many distinct series are ignored, so hostile input cannot exhaust memory.</summary>
    public const int MaxSeries = SeriesLimits.DefaultMaxSeries;

    private readonly KeyPatternMetric<Gauge.Child> _series;
    private readonly MetricHealth _health;

    public KeyPatternGauge(Gauge gauge, string pattern)
    {
        ArgumentNullException.ThrowIfNull(gauge);
        _health = new MetricHealth(gauge.Name);
        _series = new KeyPatternMetric<Gauge.Child>(new LabeledMetric<Gauge.Child>(null, gauge, _health, new SeriesLimits(MaxSeries), clock: null), pattern);
    }

    /// <summary>Number of keys ignored because <see cref="MaxSeries"/> was reached.</summary>
    public long DroppedKeys => _health.DroppedSeries;

    /// <summary>
    /// If <paramref name="key"/> matches, reads the value and sets its series; otherwise (or when the key is
    /// dropped at the cap) leaves the value unread and returns false.
    /// </summary>
    public bool TryApply(scoped ReadOnlySpan<byte> key, ref MessagePackReader reader)
    {
        if (!_series.TryMatch(key, out Gauge.Child? child) || child is null)
        {
            return false;
        }

        if (ValueReader.TryReadDouble(ref reader, out double value))
        {
            child.Set(value);
        }

        return true;
    }
}
