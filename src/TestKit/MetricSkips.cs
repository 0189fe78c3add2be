namespace FluentBit.Plugins.TestKit;

/// <summary>
/// What went wrong feeding one metric, as the instance counts it for its self-metrics. Each count is a number of
/// record updates: a record whose value or label was missing or bad skips that metric's update only.
/// </summary>
public sealed class MetricSkips
{
    /// <summary>The metric's name.</summary>
    public required string Metric { get; init; }

    /// <summary><c>missing_value</c>: records without the field that feeds the metric.</summary>
    public long MissingValue { get; init; }

    /// <summary><c>invalid_value</c>: a value that cannot feed the metric (wrong type, out of range, non-finite, a negative counter increment).</summary>
    public long InvalidValue { get; init; }

    /// <summary><c>missing_label</c>: a label's source absent from the record (a field, a tag part, a metadata key).</summary>
    public long MissingLabel { get; init; }

    /// <summary><c>invalid_label</c>: a label's source that cannot be a label value (a map, an array, nil).</summary>
    public long InvalidLabel { get; init; }

    /// <summary><c>filtered</c>: records the plugin's <c>OnRecord</c> hook skipped.</summary>
    public long Filtered { get; init; }

    /// <summary><c>invalid_exemplar</c>: records whose exemplar value could not be one (the update itself applied, without it).</summary>
    public long InvalidExemplar { get; init; }

    /// <summary>Updates refused because the metric was at its series cap (<c>SeriesOverflow.Drop</c>).</summary>
    public long DroppedSeries { get; init; }

    /// <summary>Updates sent to the all-<c>"other"</c> series at the cap (<c>SeriesOverflow.FoldIntoOther</c>); not skipped.</summary>
    public long FoldedSeries { get; init; }

    /// <summary>Label values that were not valid UTF-8, exported with U+FFFD in place of the bad bytes.</summary>
    public long ReplacedLabelValues { get; init; }

    /// <summary>The dynamic series the metric holds now.</summary>
    public int SeriesCount { get; init; }

    /// <summary>Every skipped update, whatever its reason (<see cref="FoldedSeries"/>, <see cref="ReplacedLabelValues"/> and <see cref="InvalidExemplar"/> skip no update).</summary>
    public long Total => MissingValue + InvalidValue + MissingLabel + InvalidLabel + Filtered + DroppedSeries;

    /// <summary>Every count, for an assertion message.</summary>
    public override string ToString() =>
        $"{Metric}: missing_value={MissingValue} invalid_value={InvalidValue} missing_label={MissingLabel} invalid_label={InvalidLabel} "
        + $"filtered={Filtered} invalid_exemplar={InvalidExemplar} dropped={DroppedSeries} folded={FoldedSeries} replaced_labels={ReplacedLabelValues} series={SeriesCount}";
}
