using System;

namespace FluentBit.Plugins;

/// <summary>An event's time as Fluent Bit sends it: whole seconds and nanoseconds since the Unix epoch.</summary>
public readonly record struct EventTimestamp(long Seconds, uint Nanoseconds)
{
    /// <summary>The timestamp as a <see cref="DateTimeOffset"/> (to 100 ns).</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Nanoseconds / 100);

    /// <summary>Seconds since the Unix epoch (a double keeps sub-microsecond precision for today's dates).</summary>
    public double ToUnixSeconds() => Seconds + (Nanoseconds / 1e9);

    /// <summary>The seconds from <paramref name="earlier"/> to this time, negative if it is later: e.g. an event's delay, <c>flushTime.SecondsSince(eventTime)</c>.</summary>
    public double SecondsSince(EventTimestamp earlier) =>
        (Seconds - earlier.Seconds) + (((long)Nanoseconds - earlier.Nanoseconds) / 1e9);

    /// <summary>A timestamp from float seconds since the epoch, as older Fluent Bit versions send.</summary>
    public static EventTimestamp FromDouble(double seconds)
    {
        double whole = Math.Floor(seconds);
        return new EventTimestamp((long)whole, (uint)Math.Round((seconds - whole) * 1e9));
    }

    /// <summary>The time of <paramref name="time"/>, to the 100 ns a <see cref="DateTimeOffset"/> holds.</summary>
    public static EventTimestamp FromDateTimeOffset(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        return new EventTimestamp(seconds, (uint)(remainder * 100));
    }

    /// <summary>The current wall-clock time.</summary>
    public static EventTimestamp Now() => FromDateTimeOffset(DateTimeOffset.UtcNow);
}
