namespace FluentBit.Plugins;

/// <summary>The fields of a span a property can be, and the type each is declared as.</summary>
// Compiled into the runtime (public: plugin authors name it) and into the generator (internal: it reads the
// attribute argument as this enum), as SeriesOverflow is.
#if BUILDING_SOURCE_GENERATOR
internal
#else
public
#endif
enum SpanField
{
    /// <summary>The span's name, such as <c>GET /api/items</c> (<c>string</c> or <c>ReadOnlyMemory&lt;byte&gt;</c>).</summary>
    Name,

    /// <summary>
    /// The span's kind as OpenTelemetry spells it: <c>SPAN_KIND_UNSPECIFIED</c>, <c>SPAN_KIND_INTERNAL</c>,
    /// <c>SPAN_KIND_SERVER</c>, <c>SPAN_KIND_CLIENT</c>, <c>SPAN_KIND_PRODUCER</c>, <c>SPAN_KIND_CONSUMER</c> (<c>string</c>).
    /// </summary>
    Kind,

    /// <summary>The span's status code: <c>STATUS_CODE_UNSET</c>, <c>STATUS_CODE_OK</c>, <c>STATUS_CODE_ERROR</c> (<c>string</c>).</summary>
    StatusCode,

    /// <summary>The status message, set with an error (<c>string</c>).</summary>
    StatusMessage,

    /// <summary>End time minus start time, in seconds (<c>double</c>); unset when the end is before the start.</summary>
    DurationSeconds,

    /// <summary>The trace id, 32 lower-case hex digits: the natural exemplar (<c>ReadOnlyMemory&lt;byte&gt;</c> or <c>string</c>).</summary>
    TraceId,

    /// <summary>The span id, 16 lower-case hex digits.</summary>
    SpanId,

    /// <summary>The parent span's id; unset for a root span.</summary>
    ParentSpanId,

    /// <summary>The name of the instrumentation scope that made the span (<c>string</c>).</summary>
    ScopeName,
}
