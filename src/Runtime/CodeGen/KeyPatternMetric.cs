using System;
using System.ComponentModel;
using System.Threading;
using FluentBit.Plugins.Lookup;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The series a key pattern feeds, for any kind of metric: a record key that matches
/// (<c>{cpu}.p_{mode:cpu=total}</c> and <c>cpu1.p_user</c>) gives the series of its captured labels, found
/// without allocating once it exists, under the metric's cap, overflow policy and expiry.
/// </summary>
/// <remarks>
/// A flush sees the same few keys in every record, so each key seen is remembered with what it gave: its series
/// (or that it does not match), found again by one lookup of the key's bytes instead of matching the pattern,
/// rewriting the captures and looking the series up from its labels. Only what needs no counting is remembered:
/// a key whose series was dropped or folded at the cap, or had a label value replaced, takes the full path every
/// time. A remembered series that expiry removed is looked up again. The memory is bounded: at most
/// <see cref="SeriesLimits.MaxSeries"/> keys plus <see cref="RememberedMisses"/> keys that do not match.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class KeyPatternMetric<TChild>
    where TChild : ChildBase
{
    /// <summary>Keys that do not match, beyond the metric's cap, that are remembered as such.</summary>
    internal const int RememberedMisses = 256;

    // What a key gave: _noMatch, or a slot holding its series. An instance field: a static of a generic class
    // shared across reference types costs a dictionary lookup per read in NativeAOT.
    private readonly Slot _noMatch = new(null);

    private readonly LabeledMetric<TChild> _series;
    private readonly KeyPatternMatcher _matcher;
    private readonly int[] _captureOrder;
    private readonly Utf8KeyTable<Slot> _keys = new();
    private readonly int _maxKeys;

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

        _maxKeys = series.Limits.MaxSeries + RememberedMisses;
    }

    /// <summary>The keys remembered, matching or not.</summary>
    internal int RememberedKeys => _keys.Count;

    /// <summary>
    /// Whether <paramref name="key"/> matches the pattern; if it does, <paramref name="child"/> is its series, or
    /// null when the metric's cap drops it (then skip the value). A key that does not match costs no allocation
    /// and leaves the value unread.
    /// </summary>
    public bool TryMatch(scoped ReadOnlySpan<byte> key, out TChild? child)
    {
        Slot? slot = _keys.Find(key);
        if (slot == _noMatch)
        {
            child = null;
            return false;
        }

        if (slot?.Series is { Removed: false } kept)
        {
            child = _series.Use(kept);
            return true;
        }

        return MatchAndRemember(key, slot, out child);
    }

    private bool MatchAndRemember(scoped ReadOnlySpan<byte> key, Slot? slot, out TChild? child)
    {
        var series = new SeriesKey(stackalloc byte[256]);
        if (!_matcher.TryAddLabelValues(key, _captureOrder, ref series))
        {
            child = null;
            Remember(key, _noMatch);
            return false;
        }

        child = _series.Get(in series, out LabeledMetric<TChild>.Series? reusable);
        if (reusable is not null)
        {
            if (slot is not null)
            {
                // Expiry removed the series this key had: keep the new one.
                slot.Series = reusable;
            }
            else
            {
                Remember(key, new Slot(reusable));
            }
        }

        return true;
    }

    private void Remember(scoped ReadOnlySpan<byte> key, Slot slot)
    {
        if (_keys.Count < _maxKeys)
        {
            _keys.GetOrAdd(key, _maxKeys, slot, static s => s);
        }
    }

    private sealed class Slot(LabeledMetric<TChild>.Series? series)
    {
        private LabeledMetric<TChild>.Series? _series = series;

        public LabeledMetric<TChild>.Series? Series
        {
            get => Volatile.Read(ref _series);
            set => Volatile.Write(ref _series, value);
        }
    }
}
