using System;
using System.ComponentModel;
using System.Threading;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// Lets one series take a new exemplar at most once per <see cref="MinInterval"/>. OpenMetrics shows one exemplar per
/// series (per bucket of a histogram) and Prometheus reads it once a scrape, so more would only churn: a busy series
/// offered an exemplar by every record would replace it thousands of times a second. A record offered to a closed
/// gate costs a clock read and nothing else: its id is not even turned into a string.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public class ExemplarGate
{
    /// <summary>The least time between two exemplars of one series: a third of Prometheus's default 15 s scrape interval.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(DefaultIntervalMilliseconds);

    /// <summary><see cref="MinInterval"/> in milliseconds: what every metric uses unless its instance's test says otherwise.</summary>
    internal const long DefaultIntervalMilliseconds = 5_000;

    private long _next = long.MinValue;

    /// <summary>Whether an exemplar may be recorded now; if so, the gate closes for <see cref="MinInterval"/>.</summary>
    public bool TryOpen() => TryOpen(Environment.TickCount64, DefaultIntervalMilliseconds);

    /// <summary>
    /// <see cref="TryOpen()"/> at <paramref name="now"/> (<see cref="Environment.TickCount64"/> read once for a record's
    /// updates), closing for <paramref name="intervalMilliseconds"/>: the metric's own interval
    /// (<see cref="MetricHealth.ExemplarIntervalMilliseconds"/>), so one instance's setting never reaches another's.
    /// </summary>
    internal bool TryOpen(long now, long intervalMilliseconds)
    {
        long next = Volatile.Read(ref _next);
        return now >= next && Interlocked.CompareExchange(ref _next, now + intervalMilliseconds, next) == next;
    }
}
