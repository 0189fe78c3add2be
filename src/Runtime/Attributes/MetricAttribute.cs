using System;

namespace FluentBit.Plugins;

/// <summary>
/// What every metric attribute shares. On a record property the property's value feeds the metric; on the
/// record class the metric is fed by every key matching <see cref="KeyPattern"/> (or, for
/// <see cref="RecordCounterAttribute"/>, by every record).
/// </summary>
public abstract class MetricAttribute : Attribute
{
    /// <param name="name">The metric name, e.g. <c>http_request_duration_seconds</c>.</param>
    /// <param name="help">The HELP text; may be omitted where another declaration of the same metric gives it.</param>
    protected MetricAttribute(string name, string help)
    {
        Name = name;
        Help = help;
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>The HELP text, or empty.</summary>
    public string Help { get; }

    /// <summary>
    /// The labels whose values come from the record, in exposition order: each names a property marked
    /// <c>[Label("name")]</c>. Constant labels (<c>[Label("name", "value")]</c>) are added to these.
    /// </summary>
    public string[] Labels { get; set; } = [];

    /// <summary>
    /// On the record class: literal text and <c>{label}</c> or <c>{label:from=to}</c> captures; every matching
    /// key feeds one series whose labels come from the key (<c>"{cpu}.p_{mode}"</c>: <c>cpu1.p_user</c> is
    /// <c>{cpu="cpu1",mode="user"}</c>). Keys that a property reads are never matched.
    /// </summary>
    public string KeyPattern { get; set; } = "";

    /// <summary>The most series the metric may have (default 10,000); see <see cref="Overflow"/>.</summary>
    public int MaxSeries { get; set; } = PluginDefaults.MaxSeries;

    /// <summary>What happens to a new series beyond <see cref="MaxSeries"/> (default: dropped, and counted).</summary>
    public SeriesOverflow Overflow { get; set; } = SeriesOverflow.Drop;

    /// <summary>
    /// Seconds after which a series that received no update disappears from the exposition; 0 (the default)
    /// keeps series forever. The <c>series_expiry</c> key overrides it per instance.
    /// </summary>
    public double ExpireAfterSeconds { get; set; }
}
