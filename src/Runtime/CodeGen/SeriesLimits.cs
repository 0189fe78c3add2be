using System;
using System.ComponentModel;

namespace FluentBit.Plugins.CodeGen;

/// <summary>How many dynamic series one metric may hold, what happens beyond that, and when idle series expire.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record SeriesLimits
{
    /// <summary>The default cap: 10,000 series per metric.</summary>
    public const int DefaultMaxSeries = PluginDefaults.MaxSeries;

    /// <param name="maxSeries">The series cap, at least 1. With <see cref="SeriesOverflow.FoldIntoOther"/> the all-"other" series may be one more.</param>
    /// <param name="overflow">What a new series beyond the cap does.</param>
    /// <param name="idleExpiry">Series not updated for this long leave the exposition; null (the default) keeps them.</param>
    public SeriesLimits(int maxSeries = DefaultMaxSeries, SeriesOverflow overflow = SeriesOverflow.Drop, TimeSpan? idleExpiry = null)
    {
        if (maxSeries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSeries), maxSeries, "a metric needs room for at least one series");
        }

        if (idleExpiry is { } expiry && expiry <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(idleExpiry), idleExpiry, "an idle expiry must be positive (null turns expiry off)");
        }

        MaxSeries = maxSeries;
        Overflow = overflow;
        IdleExpiry = idleExpiry;
    }

    /// <summary>The series cap.</summary>
    public int MaxSeries { get; }

    /// <summary>What a new series beyond the cap does.</summary>
    public SeriesOverflow Overflow { get; }

    /// <summary>How long a series may go without an update before it leaves the exposition; null: forever.</summary>
    public TimeSpan? IdleExpiry { get; }
}
