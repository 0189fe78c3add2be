using System;
using System.ComponentModel;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// Why one record's update to one metric was skipped. A skip never affects the record's other metrics
/// nor the rest of the chunk. Records refused by the series cap are not a skip reason: they are counted by
/// <see cref="MetricHealth.DroppedSeries"/> (or <see cref="MetricHealth.FoldedSeries"/>, which are not skipped).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum SkipReason
{
    /// <summary><c>missing_value</c>: the record has no field for the metric's value.</summary>
    MissingValue,

    /// <summary>
    /// <c>invalid_value</c>: the value is there but cannot feed the metric: a type that does not convert
    /// (a map, nil, a non-numeric string), a number out of the property's range, a non-finite number, or a
    /// negative counter increment.
    /// </summary>
    InvalidValue,

    /// <summary>
    /// <c>missing_label</c>: a label's source is absent: a field or nested key the record lacks, a tag part
    /// beyond the tag's parts, a metadata key the event lacks.
    /// </summary>
    MissingLabel,

    /// <summary>
    /// <c>invalid_label</c>: a label's source is there but cannot be a label value (a map, an array, nil, or a value
    /// longer than <see cref="LabeledMetric{TChild}.MaxLabelValueLength"/> bytes).
    /// </summary>
    InvalidLabel,

    /// <summary><c>filtered</c>: the plugin's per-record hook chose to skip the record.</summary>
    Filtered,

    /// <summary>
    /// <c>invalid_exemplar</c>: the record's exemplar value cannot be one (not printable ASCII, over OpenMetrics' 128
    /// characters with the label names, a <c>traceparent</c> that does not parse). Only the exemplar is skipped: the
    /// value still updates the metric.
    /// </summary>
    InvalidExemplar,
}

/// <summary>The names <see cref="SkipReason"/> values take in the exposition.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SkipReasons
{
    private static readonly string[] Names = ["missing_value", "invalid_value", "missing_label", "invalid_label", "filtered", "invalid_exemplar"];

    private static readonly SkipReason[] Reasons = [SkipReason.MissingValue, SkipReason.InvalidValue, SkipReason.MissingLabel, SkipReason.InvalidLabel, SkipReason.Filtered, SkipReason.InvalidExemplar];

    /// <summary>Every reason, in declaration order.</summary>
    public static ReadOnlySpan<SkipReason> All => Reasons;

    /// <summary>The snake_case label value of <paramref name="reason"/> (<c>missing_value</c>, ...); no allocation.</summary>
    public static string ExpositionName(this SkipReason reason) => Names[(int)reason];

    internal static int Count => Names.Length;
}
