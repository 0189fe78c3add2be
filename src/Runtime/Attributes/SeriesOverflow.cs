namespace FluentBit.Plugins;

/// <summary>What happens to a new series when its metric already has <see cref="MetricAttribute.MaxSeries"/> series.</summary>
public enum SeriesOverflow
{
    /// <summary>The record's update to that metric is skipped and counted.</summary>
    Drop,

    /// <summary>The update goes to one series whose record-sourced label values are all <c>other</c>, and is counted.</summary>
    FoldIntoOther,
}
