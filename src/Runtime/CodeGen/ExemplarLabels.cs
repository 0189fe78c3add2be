using System;
using System.ComponentModel;
using System.Text;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The exemplar labels a plugin declares (<see cref="ExemplarAttribute"/>, at most three), and the check of one
/// record's values against OpenMetrics' rules: printable ASCII (prometheus-net writes nothing else faithfully),
/// names and values together at most <see cref="MaxRunes"/> characters, a <c>traceparent</c> well formed.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ExemplarLabels
{
    /// <summary>OpenMetrics' limit on an exemplar's label names and values together.</summary>
    public const int MaxRunes = 128;

    /// <summary>At most this many labels (prometheus-net takes up to six; trace and span id are what logs carry).</summary>
    public const int MaxLabels = 3;

    /// <summary>What generated code passes for a value present in the record but not a string (a number, a map): invalid.</summary>
    public static readonly ReadOnlyMemory<byte> Unreadable = new byte[] { 0 };

    private readonly Exemplar.LabelKey[] _keys;
    private readonly TraceParentPart[] _parts;
    private readonly int _namesLength;

    /// <param name="names">The labels, in declaration order.</param>
    /// <param name="parts">For each, the part of a traceparent it takes, or <see cref="TraceParentPart.None"/>.</param>
    public ExemplarLabels(string[] names, TraceParentPart[] parts)
    {
        if (names.Length is 0 or > MaxLabels || parts.Length != names.Length)
        {
            throw new ArgumentException($"1 to {MaxLabels} exemplar labels, each with its part");
        }

        _keys = Array.ConvertAll(names, Exemplar.Key);
        _parts = parts;
        foreach (string name in names)
        {
            _namesLength += name.Length;
        }
    }

    /// <summary>One record's exemplar values, checked once and offered to each counter and histogram it feeds.</summary>
    /// <param name="value0">The first label's source value; empty when the record has none.</param>
    /// <param name="value1">The second's, if declared.</param>
    /// <param name="value2">The third's, if declared.</param>
    public RecordExemplar Check(ReadOnlyMemory<byte> value0, ReadOnlyMemory<byte> value1 = default, ReadOnlyMemory<byte> value2 = default)
    {
        var exemplar = new RecordExemplar(this, Extract(0, value0), Extract(1, value1), Extract(2, value2));
        int length = _namesLength;
        bool any = false;
        for (int i = 0; i < _keys.Length; i++)
        {
            ReadOnlyMemory<byte> value = exemplar[i];
            if (value.IsEmpty)
            {
                if (_parts[i] != TraceParentPart.None && !SourceOf(i, value0, value1, value2).IsEmpty)
                {
                    return exemplar with { Invalid = true }; // a traceparent that does not parse
                }

                continue;
            }

            if (!IsPrintableAscii(value.Span))
            {
                return exemplar with { Invalid = true };
            }

            any = true;
            length += value.Length;
        }

        return length > MaxRunes ? exemplar with { Invalid = true } : exemplar with { Present = any };
    }

    /// <summary>The prometheus-net exemplar of checked values; allocates the values' strings (pooled objects aside).</summary>
    internal Exemplar Create(RecordExemplar values)
    {
        Exemplar.LabelPair Pair(int i) => _keys[i].WithValue(Encoding.ASCII.GetString(values[i].Span));
        int first = -1, second = -1, third = -1;
        for (int i = 0; i < _keys.Length; i++)
        {
            if (values[i].IsEmpty)
            {
                continue;
            }

            if (first < 0)
            {
                first = i;
            }
            else if (second < 0)
            {
                second = i;
            }
            else
            {
                third = i;
            }
        }

        return third >= 0 ? Exemplar.From(Pair(first), Pair(second), Pair(third))
            : second >= 0 ? Exemplar.From(Pair(first), Pair(second))
            : Exemplar.From(Pair(first));
    }

    private static ReadOnlyMemory<byte> SourceOf(int i, ReadOnlyMemory<byte> v0, ReadOnlyMemory<byte> v1, ReadOnlyMemory<byte> v2) =>
        i switch { 0 => v0, 1 => v1, _ => v2 };

    private ReadOnlyMemory<byte> Extract(int i, ReadOnlyMemory<byte> value)
    {
        if (i >= _parts.Length || value.IsEmpty)
        {
            return default;
        }

        return _parts[i] switch
        {
            TraceParentPart.None => value,
            TraceParentPart.TraceId => TraceParent.TryParse(value, out ReadOnlyMemory<byte> traceId, out _) ? traceId : default,
            TraceParentPart.SpanId => TraceParent.TryParse(value, out _, out ReadOnlyMemory<byte> spanId) ? spanId : default,
            _ => default,
        };
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> value)
    {
        foreach (byte b in value)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One record's exemplar values, checked: present (at least one value, all valid), invalid, or neither (none given).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct RecordExemplar(ExemplarLabels? Labels, ReadOnlyMemory<byte> Value0, ReadOnlyMemory<byte> Value1, ReadOnlyMemory<byte> Value2)
{
    /// <summary>Every value given is a valid label value, and there is at least one.</summary>
    public bool Present { get; init; }

    /// <summary>A value was given but cannot be an exemplar (not printable ASCII, too long, a traceparent that does not parse).</summary>
    public bool Invalid { get; init; }

    internal ReadOnlyMemory<byte> this[int index] => index switch { 0 => Value0, 1 => Value1, _ => Value2 };

    /// <summary>
    /// The exemplar to record with one update, or null: when the record has none, when its values are invalid (counted
    /// as <see cref="SkipReason.InvalidExemplar"/> against the metric, the update itself still applies), or when the
    /// series took one less than <see cref="ExemplarGate.MinInterval"/> ago.
    /// </summary>
    public Exemplar? Offer(ExemplarGate? gate, MetricHealth health)
    {
        if (Invalid)
        {
            health.Skip(SkipReason.InvalidExemplar);
            return null;
        }

        return Present && gate is not null && gate.TryOpen() ? Labels!.Create(this) : null;
    }
}
