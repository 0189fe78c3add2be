using System;

namespace FluentBit.Plugins;

/// <summary>What a flush knows about the event being applied besides its body.</summary>
public readonly ref struct EventContext
{
    /// <summary>The context of one event of a flush.</summary>
    public EventContext(EventTimestamp timestamp, ReadOnlySpan<byte> tag)
    {
        Timestamp = timestamp;
        Tag = tag;
    }

    /// <summary>The event's timestamp.</summary>
    public EventTimestamp Timestamp { get; }

    /// <summary>The chunk's tag as UTF-8, without the terminating NUL.</summary>
    public ReadOnlySpan<byte> Tag { get; }
}
