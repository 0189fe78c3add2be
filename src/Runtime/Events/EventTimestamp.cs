using System;

namespace FluentBit.Plugins;

/// <summary>An event's time as Fluent Bit sends it: whole seconds and nanoseconds since the Unix epoch.</summary>
public readonly record struct EventTimestamp(long Seconds, uint Nanoseconds)
{
    /// <summary>The timestamp as a <see cref="DateTimeOffset"/> (to 100 ns).</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Nanoseconds / 100);

    /// <summary>Seconds since the Unix epoch, with the nanoseconds as a fraction (microsecond precision for today's dates).</summary>
    public double ToUnixSeconds() => Seconds + (Nanoseconds / 1e9);

    /// <summary>A timestamp from float seconds since the epoch, as older Fluent Bit versions send.</summary>
    public static EventTimestamp FromDouble(double seconds)
    {
        double whole = Math.Floor(seconds);
        return new EventTimestamp((long)whole, (uint)Math.Round((seconds - whole) * 1e9));
    }
}
