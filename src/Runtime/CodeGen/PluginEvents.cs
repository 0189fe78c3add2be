using System.ComponentModel;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The events a plugin registers for with Fluent Bit. One kind per plugin: Fluent Bit's proxy definition carries one
/// <c>event_type</c> per registered plugin and a flush does not say which kind its chunk holds, while log chunks and
/// trace chunks are encoded differently; a plugin that took both would have to guess each chunk's kind from its bytes.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum PluginEvents
{
    /// <summary>Log events (records): every Fluent Bit version.</summary>
    Logs,

    /// <summary>Traces, as ctraces encodes them (Fluent Bit 4.2 and later, whose definition has <c>event_type</c>).</summary>
    Spans,
}
