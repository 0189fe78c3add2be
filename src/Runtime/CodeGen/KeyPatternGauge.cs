using System;
using System.ComponentModel;
using FluentBit.Plugins.Metrics;
using MessagePack;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The series of a <see cref="GaugeFromKeysAttribute"/> metric: one child per matching key, created the
/// first time the key is seen and found again from the key's bytes without allocating.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class KeyPatternGauge
{
    /// <summary>Keys beyond this many distinct series are ignored, so hostile input cannot exhaust memory.</summary>
    public const int MaxSeries = 10_000;

    private readonly Gauge _gauge;
    private readonly KeyPatternMatcher _matcher;
    private readonly int[] _labelSlots;
    private readonly Utf8KeyTable<Gauge.Child> _series = new();

    /// <summary>Feeds <paramref name="gauge"/> from keys matching <paramref name="pattern"/>, which captures exactly its labels.</summary>
    public KeyPatternGauge(Gauge gauge, string pattern)
    {
        _gauge = gauge;
        _matcher = new KeyPatternMatcher(pattern);
        _labelSlots = Array.ConvertAll(gauge.LabelNames, name => Array.IndexOf(_matcher.Labels, name));
        if (Array.IndexOf(_labelSlots, -1) >= 0 || _labelSlots.Length != _matcher.Labels.Length)
        {
            throw new ArgumentException($"pattern '{pattern}' must capture exactly the labels of {gauge.Name}: {string.Join(", ", gauge.LabelNames)}");
        }
    }

    /// <summary>Number of keys ignored because <see cref="MaxSeries"/> was reached.</summary>
    public long DroppedKeys => System.Threading.Interlocked.Read(ref _droppedKeys);

    private long _droppedKeys;

    /// <summary>
    /// If <paramref name="key"/> matches, reads the value and sets its series; otherwise leaves the value
    /// unread and returns false.
    /// </summary>
    public bool TryApply(scoped ReadOnlySpan<byte> key, ref MessagePackReader reader)
    {
        Gauge.Child? child = _series.Find(key) ?? AddSeries(key);
        if (child is null)
        {
            return false;
        }

        if (ValueReader.TryReadDouble(ref reader, out double value))
        {
            child.Set(value);
        }

        return true;
    }

    private Gauge.Child? AddSeries(ReadOnlySpan<byte> key)
    {
        string[]? captured = _matcher.Match(key);
        if (captured is null)
        {
            return null;
        }

        if (_series.Count >= MaxSeries)
        {
            System.Threading.Interlocked.Increment(ref _droppedKeys);
            return null;
        }

        return _series.Add(key, _gauge.WithLabels(InLabelOrder(captured)));
    }

    // Kept out of AddSeries: a lambda capturing `captured` there would allocate its closure on every call,
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
