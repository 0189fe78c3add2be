using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using MessagePack;

namespace FluentBit.Plugins.TestKit;

/// <summary>
/// Builds a chunk of traces as Fluent Bit hands one to a plugin registered for them (4.2 and later): ctraces'
/// MessagePack documents one after another (lib/ctraces/src/ctr_encode_msgpack.c), each
/// <c>{"resourceSpans": [{"resource": {...}, "schema_url": nil, "scope_spans": [{"scope": {...}, "spans": [...],
/// "schema_url": nil}]}]}</c> with every span's sixteen keys written as ctraces writes them.
/// </summary>
/// <example>
/// <code>
/// var chunk = new TraceChunkBuilder()
///     .Add(new TestSpan("GET /api/items") { ServiceName = "checkout", Duration = TimeSpan.FromMilliseconds(120) })
///     .Add(new TestSpan("GET /api/items") { Status = TestSpanStatus.Error });
/// plugin.SendChunk(chunk.ToArray());
/// </code>
/// </example>
public sealed class TraceChunkBuilder
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The spans added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a document with these spans, grouped by resource and scope as an OTLP request groups them.</summary>
    public TraceChunkBuilder Add(params TestSpan[] spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var writer = new MessagePackWriter(_buffer);
        writer.WriteMapHeader(1);
        writer.Write("resourceSpans");
        var resources = spans.GroupBy(s => Resource(s)).ToArray();
        writer.WriteArrayHeader(resources.Length);
        foreach (var resource in resources)
        {
            TestSpan first = resource.First();
            writer.WriteMapHeader(3);
            writer.Write("resource");
            writer.WriteMapHeader(2);
            writer.Write("attributes");
            MessagePackBody.Write(ref writer, ResourceAttributes(first));
            writer.Write("dropped_attributes_count");
            writer.Write(0u);
            writer.Write("schema_url");
            writer.WriteNil();
            writer.Write("scope_spans");
            var scopes = resource.GroupBy(s => s.ScopeName ?? "").ToArray();
            writer.WriteArrayHeader(scopes.Length);
            foreach (var scope in scopes)
            {
                writer.WriteMapHeader(3);
                writer.Write("scope");
                WriteScope(ref writer, scope.First().ScopeName);
                writer.Write("spans");
                writer.WriteArrayHeader(scope.Count());
                foreach (TestSpan span in scope)
                {
                    WriteSpan(ref writer, span);
                    Count++;
                }

                writer.Write("schema_url");
                writer.WriteNil();
            }
        }

        writer.Flush();
        return this;
    }

    /// <summary>Appends <paramref name="bytes"/> as they are: a damaged or hostile document, which the plugin refuses with the whole chunk.</summary>
    public TraceChunkBuilder AddBytes(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>The chunk's bytes, as a flush receives them.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private static string Resource(TestSpan span) =>
        string.Join("\u0000", ResourceAttributes(span).Select(a => $"{a.Key}={a.Value}"));

    private static Dictionary<string, object?> ResourceAttributes(TestSpan span)
    {
        var attributes = new Dictionary<string, object?>();
        if (span.ServiceName is not null)
        {
            attributes["service.name"] = span.ServiceName;
        }

        foreach ((string key, object? value) in span.ResourceAttributes)
        {
            attributes[key] = value;
        }

        return attributes;
    }

    private static void WriteScope(ref MessagePackWriter writer, string? name)
    {
        if (name is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteMapHeader(4);
        writer.Write("name");
        writer.Write(name);
        writer.Write("version");
        writer.WriteNil();
        writer.Write("attributes");
        writer.WriteNil();
        writer.Write("dropped_attributes_count");
        writer.Write(0u);
    }

    private static void WriteSpan(ref MessagePackWriter writer, TestSpan span)
    {
        ulong start = UnixNanos(span.Start);
        writer.WriteMapHeader(16);
        writer.Write("trace_id");
        writer.Write(span.TraceId);
        writer.Write("span_id");
        writer.Write(span.SpanId);
        writer.Write("parent_span_id");
        if (span.ParentSpanId is null)
        {
            writer.WriteNil();
        }
        else
        {
            writer.Write(span.ParentSpanId);
        }

        writer.Write("trace_state");
        writer.WriteNil();
        writer.Write("name");
        writer.Write(span.Name);
        writer.Write("kind");
        writer.Write((uint)span.Kind);
        writer.Write("start_time_unix_nano");
        writer.Write(start);
        writer.Write("end_time_unix_nano");
        writer.Write((ulong)((long)start + (span.Duration.Ticks * 100)));
        writer.Write("attributes");
        MessagePackBody.Write(ref writer, span.Attributes);
        writer.Write("dropped_attributes_count");
        writer.Write(0u);
        writer.Write("dropped_events_count");
        writer.Write(0u);
        writer.Write("dropped_links_count");
        writer.Write(0u);
        writer.Write("events");
        writer.WriteArrayHeader(0);
        writer.Write("links");
        writer.WriteArrayHeader(0);
        writer.Write("schema_url");
        writer.WriteNil();
        writer.Write("status");
        writer.WriteMapHeader(2);
        writer.Write("code");
        writer.Write((int)span.Status);
        writer.Write("message");
        if (span.StatusMessage is null)
        {
            writer.WriteNil();
        }
        else
        {
            writer.Write(span.StatusMessage);
        }
    }

    private static ulong UnixNanos(DateTimeOffset time) => (ulong)((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100);
}
