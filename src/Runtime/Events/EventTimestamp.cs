using System;

namespace FluentBit.Plugins;

/// <summary>An event's time as Fluent Bit sends it: whole seconds and nanoseconds since the Unix epoch.</summary>
public readonly record struct EventTimestamp(long Seconds, uint Nanoseconds)
{
    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Nanoseconds / 100);

    public static EventTimestamp FromDouble(double seconds)
    {
        double whole = Math.Floor(seconds);
        return new EventTimestamp((long)whole, (uint)Math.Round((seconds - whole) * 1e9));
    }
}
