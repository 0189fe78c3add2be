using System;
using System.Collections.Generic;

namespace FluentBit.Plugins.TestKit;

/// <summary>
/// One OpenTelemetry span to feed a span plugin (a record with <c>[SpanField]</c>s) through <see cref="TraceChunkBuilder"/>
/// or <c>PluginHarness.SendSpans</c>: what an OTLP client sends, as Fluent Bit's <c>opentelemetry</c> input hands it on.
/// </summary>
/// <param name="Name">The span's name, such as <c>GET /api/items</c>.</param>
public sealed record TestSpan(string Name)
{
    /// <summary>The resource's <c>service.name</c>; null leaves it out.</summary>
    public string? ServiceName { get; init; } = "test-service";

    /// <summary>Further resource attributes (<c>deployment.environment.name</c> ...), beside <see cref="ServiceName"/>.</summary>
    public IReadOnlyDictionary<string, object?> ResourceAttributes { get; init; } = new Dictionary<string, object?>();

    /// <summary>The instrumentation scope's name; null: the span has no scope.</summary>
    public string? ScopeName { get; init; } = "test-scope";

    /// <summary>The span's kind; server unless set.</summary>
    public TestSpanKind Kind { get; init; } = TestSpanKind.Server;

    /// <summary>The span's status code; unset unless set.</summary>
    public TestSpanStatus Status { get; init; } = TestSpanStatus.Unset;

    /// <summary>The status message; null leaves it nil.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>When the span started.</summary>
    public DateTimeOffset Start { get; init; } = DateTimeOffset.UnixEpoch.AddSeconds(1_800_000_000);

    /// <summary>How long it took: the end is <see cref="Start"/> plus this (to the 100 ns of a tick).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMilliseconds(42);

    /// <summary>32 lower-case hex digits, as ctraces writes a trace id.</summary>
    public string TraceId { get; init; } = "4bf92f3577b34da6a3ce929d0e0e4736";

    /// <summary>16 lower-case hex digits.</summary>
    public string SpanId { get; init; } = "00f067aa0ba902b7";

    /// <summary>The parent's span id; null for a root span.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary>The span's attributes (<c>http.route</c> ...): strings, numbers, booleans, nested lists and maps.</summary>
    public IReadOnlyDictionary<string, object?> Attributes { get; init; } = new Dictionary<string, object?>();
}

/// <summary>OTLP's span kinds, by their protobuf values.</summary>
public enum TestSpanKind
{
    /// <summary>0: the plugin reads <c>SPAN_KIND_UNSPECIFIED</c>.</summary>
    Unspecified,

    /// <summary>1: <c>SPAN_KIND_INTERNAL</c>.</summary>
    Internal,

    /// <summary>2: <c>SPAN_KIND_SERVER</c>.</summary>
    Server,

    /// <summary>3: <c>SPAN_KIND_CLIENT</c>.</summary>
    Client,

    /// <summary>4: <c>SPAN_KIND_PRODUCER</c>.</summary>
    Producer,

    /// <summary>5: <c>SPAN_KIND_CONSUMER</c>.</summary>
    Consumer,
}

/// <summary>OTLP's status codes, by their protobuf values.</summary>
public enum TestSpanStatus
{
    /// <summary>0: the plugin reads <c>STATUS_CODE_UNSET</c>.</summary>
    Unset,

    /// <summary>1: <c>STATUS_CODE_OK</c>.</summary>
    Ok,

    /// <summary>2: <c>STATUS_CODE_ERROR</c>.</summary>
    Error,
}
