using System;
using System.ComponentModel;
using FluentBit.Plugins.Metrics;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The series a key pattern feeds, for any kind of metric: a record key that matches
/// (<c>{cpu}.p_{mode:cpu=total}</c> and <c>cpu1.p_user</c>) gives the series of its captured labels, found
/// without allocating once it exists, under the metric's cap, overflow policy and expiry.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class KeyPatternMetric<TChild>
    where TChild : ChildBase
{
    private readonly LabeledMetric<TChild> _series;
    private readonly KeyPatternMatcher _matcher;
    private readonly int[] _captureOrder;

    /// <param name="series">The metric's dynamic series; the pattern must capture exactly its labels (in any order).</param>
    /// <param name="pattern">A key pattern, already checked by the generator.</param>
    public KeyPatternMetric(LabeledMetric<TChild> series, string pattern)
    {
        _series = series ?? throw new ArgumentNullException(nameof(series));
        _matcher = new KeyPatternMatcher(pattern);
        _captureOrder = Array.ConvertAll(series.LabelNames, name => Array.IndexOf(_matcher.Labels, name));
        if (Array.IndexOf(_captureOrder, -1) >= 0 || _captureOrder.Length != _matcher.Labels.Length)
        {
            throw new ArgumentException($"pattern '{pattern}' must capture exactly the labels {string.Join(", ", series.LabelNames)}");
        }
    }

    /// <summary>
    /// Whether <paramref name="key"/> matches the pattern; if it does, <paramref name="child"/> is its series, or
    /// null when the metric's cap drops it (then skip the value). A key that does not match costs no allocation
    /// and leaves the value unread.
    /// </summary>
    public bool TryMatch(scoped ReadOnlySpan<byte> key, out TChild? child)
    {
        var series = new SeriesKey(stackalloc byte[256]);
        if (!_matcher.TryAddLabelValues(key, _captureOrder, ref series))
        {
            child = null;
            return false;
        }

        child = _series.Get(in series);
        return true;
    }
}
