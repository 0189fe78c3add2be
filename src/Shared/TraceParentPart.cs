namespace FluentBit.Plugins;

/// <summary>The part of a W3C <c>traceparent</c> an <see cref="ExemplarAttribute"/> takes.</summary>
// Compiled into the runtime (public: plugin authors name it) and into the generator (internal), as GaugeAction.
#if BUILDING_SOURCE_GENERATOR
internal
#else
public
#endif
enum TraceParentPart
{
    /// <summary>The value as it is, not a traceparent.</summary>
    None,

    /// <summary>The 32 hexadecimal digits of the trace id.</summary>
    TraceId,

    /// <summary>The 16 hexadecimal digits of the parent (span) id.</summary>
    SpanId,
}
