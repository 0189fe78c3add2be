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
        // '&', not '&&': every value is extracted whatever the others are.
        bool parsed = TryExtract(0, value0, out ReadOnlyMemory<byte> label0) & TryExtract(1, value1, out ReadOnlyMemory<byte> label1)
            & TryExtract(2, value2, out ReadOnlyMemory<byte> label2);
        var exemplar = new RecordExemplar(this, label0, label1, label2);
        if (!parsed)
        {
            return exemplar with { Invalid = true }; // a traceparent that does not parse
        }

        int length = _namesLength;
        bool any = false;
        for (int i = 0; i < _keys.Length; i++)
        {
            ReadOnlyMemory<byte> value = exemplar[i];
            if (value.IsEmpty)
            {
                continue;
            }

            if (!IsPrintableAscii(value.Span))
            {
                return exemplar with { Invalid = true };
            }

            any = true;
            length += value.Length;
        }

        // The clock is read once here for every update the record feeds, rather than once per series' gate.
        return length > MaxRunes ? exemplar with { Invalid = true } : any ? exemplar with { Present = true, Now = Environment.TickCount64 } : exemplar;
    }

    /// <summary>The prometheus-net exemplar of checked values; allocates the values' strings (pooled objects aside).</summary>
    internal Exemplar Create(RecordExemplar values)
    {
        Span<int> present = stackalloc int[MaxLabels];
        int count = 0;
        for (int i = 0; i < _keys.Length; i++)
        {
            if (!values[i].IsEmpty)
            {
                present[count++] = i;
            }
        }

        Exemplar.LabelPair Pair(int i) => _keys[i].WithValue(Encoding.ASCII.GetString(values[i].Span));
        return count switch
        {
            1 => Exemplar.From(Pair(present[0])),
            2 => Exemplar.From(Pair(present[0]), Pair(present[1])),
            _ => Exemplar.From(Pair(present[0]), Pair(present[1]), Pair(present[2])),
        };
    }

    /// <summary>The label value of declared label <paramref name="i"/> from its source; false for a traceparent that does not parse.</summary>
    private bool TryExtract(int i, ReadOnlyMemory<byte> source, out ReadOnlyMemory<byte> value)
    {
        value = default;
        if (i >= _parts.Length || source.IsEmpty)
        {
            return true;
        }

        switch (_parts[i])
        {
            case TraceParentPart.None:
                value = source;
                return true;
            case TraceParentPart.TraceId:
                return TraceParent.TryParse(source, out value, out _);
            case TraceParentPart.SpanId:
                return TraceParent.TryParse(source, out _, out value);
            default:
                throw new ArgumentOutOfRangeException(nameof(i), _parts[i], null);
        }
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> value) => value.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) < 0;
}

/// <summary>One record's exemplar values, checked: present (at least one value, all valid), invalid, or neither (none given).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct RecordExemplar(ExemplarLabels? Labels, ReadOnlyMemory<byte> Value0, ReadOnlyMemory<byte> Value1, ReadOnlyMemory<byte> Value2)
{
    /// <summary>Every value given is a valid label value, and there is at least one.</summary>
    public bool Present { get; init; }

    /// <summary>A value was given but cannot be an exemplar (not printable ASCII, too long, a traceparent that does not parse).</summary>
    public bool Invalid { get; init; }

    /// <summary>When the record was checked (<see cref="Environment.TickCount64"/>), for the series' gates; set when <see cref="Present"/>.</summary>
    internal long Now { get; init; }

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

        return Present && gate is not null && gate.TryOpen(Now, health.ExemplarIntervalMilliseconds) ? Labels!.Create(this) : null;
    }
}
