namespace FluentBit.Plugins;

/// <summary>
/// What happens to a new series when its metric already has as many series as its cap allows
/// (<see cref="PluginDefaults.MaxSeries"/>, 10,000, by default). Either way the metric's memory stays bounded, whatever the records hold, and
/// what was dropped or folded is counted per metric.
/// </summary>
// Compiled into the runtime (public: plugin authors name it) and into the generator (internal: it reads the
// attribute argument as this enum), as System.Text.Json's Common/ files are.
#if BUILDING_SOURCE_GENERATOR
internal
#else
public
#endif
enum SeriesOverflow
{
    /// <summary>
    /// The record's update to that metric is skipped; series that already exist keep being updated.
    /// Best when a flood of new label values is a fault to notice rather than traffic to measure.
    /// </summary>
    Drop,

    /// <summary>
    /// The update goes to one extra series whose label values are all <c>"other"</c>, so totals stay
    /// right while the labels that overflowed are lost (the series it makes is the one cap + 1).
    /// </summary>
    FoldIntoOther,
}
