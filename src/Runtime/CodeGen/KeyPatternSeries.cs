using System;
using System.ComponentModel;
using FluentBit.Plugins.Metrics;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The series of a metric fed by a key pattern: one child per matching key, created the first time the key is
/// seen and found again from the key's bytes without allocating. Beyond the metric's series cap a new key is
/// dropped or folded into the all-<c>"other"</c> series, and counted.
/// </summary>
/// <typeparam name="TChild">The metric's child type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class KeyPatternSeries<TChild>
    where TChild : ChildBase
{
    private readonly Collector<TChild> _collector;
    private readonly KeyPatternMatcher _matcher;
    private readonly int[] _labelSlots;
    private readonly MetricHealth _health;
    private readonly int _maxSeries;
    private readonly SeriesOverflow _overflow;
    private readonly Utf8KeyTable<TChild> _series = new();
    private TChild? _other;

    /// <param name="collector">The metric, whose label names are exactly the pattern's captures.</param>
    /// <param name="pattern">Literal text and <c>{label}</c> captures.</param>
    /// <param name="health">Where dropped and folded keys are counted.</param>
    /// <param name="maxSeries">The most series the pattern creates.</param>
    /// <param name="overflow">What a new key beyond the cap does.</param>
    public KeyPatternSeries(Collector<TChild> collector, string pattern, MetricHealth health, int maxSeries, SeriesOverflow overflow)
    {
        _collector = collector;
        _matcher = new KeyPatternMatcher(pattern);
        _health = health;
        _maxSeries = maxSeries;
        _overflow = overflow;
        _labelSlots = Array.ConvertAll(collector.LabelNames, name => Array.IndexOf(_matcher.Labels, name));
        if (Array.IndexOf(_labelSlots, -1) >= 0 || _labelSlots.Length != _matcher.Labels.Length)
        {
            throw new ArgumentException($"pattern '{pattern}' must capture exactly the labels of {collector.Name}: {string.Join(", ", collector.LabelNames)}");
        }

        health.TrackSeries(() => _series.Count);
    }

    /// <summary>
    /// Whether <paramref name="key"/> matches the pattern. When it does, <paramref name="series"/> is its series,
    /// or null if the cap dropped it; the value is still the caller's to read or skip.
    /// </summary>
    public bool TryMatch(scoped ReadOnlySpan<byte> key, out TChild? series)
    {
        series = _series.Find(key);
        if (series is not null)
        {
            return true;
        }

        string[]? captured = _matcher.Match(key);
        if (captured is null)
        {
            return false;
        }

        series = _series.GetOrAdd(key, _maxSeries, (Series: this, Values: InLabelOrder(captured)), static state => state.Series._collector.WithLabels(state.Values));
        if (series is not null)
        {
            return true;
        }

        if (_overflow == SeriesOverflow.Drop)
        {
            _health.DroppedOne();
            return true;
        }

        _health.FoldedOne();
        series = _other ??= _collector.WithLabels(Array.ConvertAll(_labelSlots, _ => "other"));
        return true;
    }

    // Kept out of TryMatch: a lambda capturing `captured` there would allocate its closure on every call,
    // including the common one where the key does not match.
    private string[] InLabelOrder(string[] captured)
    {
        var values = new string[_labelSlots.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = captured[_labelSlots[i]];
        }

        return values;
    }
}
