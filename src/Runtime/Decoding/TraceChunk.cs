using System;
using MessagePack;

namespace FluentBit.Plugins.Decoding;

/// <summary>What a flush knows of one span besides its map: where it came from and the fields read for every span.</summary>
internal readonly ref struct SpanFacts(
    ReadOnlyMemory<byte> resourceAttributes, ReadOnlySpan<byte> scopeName, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> statusCode, ulong startNanos, ulong endNanos)
{
    /// <summary>The resource's <c>attributes</c> map as raw MessagePack; empty when it has none.</summary>
    public ReadOnlyMemory<byte> ResourceAttributes { get; } = resourceAttributes;

    public ReadOnlySpan<byte> ScopeName { get; } = scopeName;

    /// <summary>The kind as OpenTelemetry spells it, UTF-8.</summary>
    public ReadOnlySpan<byte> Kind { get; } = kind;

    /// <summary>The status code as OpenTelemetry spells it, UTF-8.</summary>
    public ReadOnlySpan<byte> StatusCode { get; } = statusCode;

    public ulong StartNanos { get; } = startNanos;

    public ulong EndNanos { get; } = endNanos;

    /// <summary>End minus start in seconds; NaN when the end is before the start.</summary>
    public double DurationSeconds => EndNanos >= StartNanos ? (EndNanos - StartNanos) / 1e9 : double.NaN;
}

/// <summary>
/// What a walk over a trace chunk does with each span. A class rather than a generic struct argument: the walk is then
/// compiled once, not once per visitor, which the .so's size budget feels (20 KB against 10).
/// </summary>
internal abstract class SpanVisitor
{
    /// <summary>One span: <paramref name="span"/> is on its map; the walk steps over the map whatever the visitor read.</summary>
    public abstract void Visit(ref ChunkReader span, in SpanFacts facts);
}

/// <summary>
/// A chunk of traces as Fluent Bit hands it to an output registered for them: one or more ctraces MessagePack
/// documents (lib/ctraces/src/ctr_encode_msgpack.c), each <c>{"resourceSpans": [{"resource": {"attributes": {...}},
/// "scope_spans": [{"scope": {"name": ...}, "spans": [{"trace_id", "span_id", "name", "kind", "start_time_unix_nano",
/// "end_time_unix_nano", "attributes", "status": {"code", "message"}, ...}]}]}]}</c>. One walk both validates and
/// applies: <see cref="TryValidate"/> walks without a visitor, so a chunk is refused whole, before any span of it is
/// applied, for exactly what the applying walk would stumble on. Keys may come in any order; unknown keys are
/// skipped, as newer ctraces may add some.
/// </summary>
internal static class TraceChunk
{
    private static readonly byte[] ResourceSpansKey = "resourceSpans"u8.ToArray();

    // The kinds and status codes, as OpenTelemetry's protobuf enums name them (trace.proto): the label values the
    // OpenTelemetry Collector's spanmetrics connector uses too, so dashboards and alerts carry over.
    private static readonly byte[][] Kinds =
    [
        "SPAN_KIND_UNSPECIFIED"u8.ToArray(), "SPAN_KIND_INTERNAL"u8.ToArray(), "SPAN_KIND_SERVER"u8.ToArray(),
        "SPAN_KIND_CLIENT"u8.ToArray(), "SPAN_KIND_PRODUCER"u8.ToArray(), "SPAN_KIND_CONSUMER"u8.ToArray(),
    ];

    private static readonly byte[][] StatusCodes = ["STATUS_CODE_UNSET"u8.ToArray(), "STATUS_CODE_OK"u8.ToArray(), "STATUS_CODE_ERROR"u8.ToArray()];

    /// <summary>Whether the chunk is a well-formed sequence of trace documents; the spans it holds.</summary>
    public static bool TryValidate(ReadOnlyMemory<byte> chunk, out int spans, out ChunkDamage damage) =>
        TryWalk(chunk, null, out spans, out damage);

    /// <summary>Visits every span of a chunk <see cref="TryValidate"/> accepted.</summary>
    public static void Walk(ReadOnlyMemory<byte> chunk, SpanVisitor visitor)
    {
        if (!TryWalk(chunk, visitor, out _, out ChunkDamage damage))
        {
            throw new MalformedChunkException($"{damage.Problem} at byte {damage.Offset}");
        }
    }

    private static bool TryWalk(ReadOnlyMemory<byte> chunk, SpanVisitor? visitor, out int spans, out ChunkDamage damage)
    {
        spans = 0;
        damage = default;

        // Each document's bytes are bounded before it is walked: no read can then run past the chunk's end, however
        // the values nest; a document cut short is damage after the spans of the ones before it.
        ReadOnlySpan<byte> bytes = chunk.Span;
        var reader = new ChunkReader(chunk);
        while (!reader.End)
        {
            long start = reader.Consumed;
            if (MessagePackFormat.ValueLength(bytes[(int)start..]) < 0)
            {
                damage = new ChunkDamage(start, "a trace document runs past the end of the chunk");
                return false;
            }

            string? problem = Document(ref reader, visitor, ref spans);
            if (problem is not null)
            {
                damage = new ChunkDamage(start, problem);
                return false;
            }
        }

        return true;
    }

    private static string? Document(ref ChunkReader reader, SpanVisitor? visitor, ref int spans)
    {
        if (!reader.TryReadMapHeader(out int keys))
        {
            return "a trace document is not a map";
        }

        for (int k = 0; k < keys; k++)
        {
            if (!reader.TryReadKey(out ReadOnlySpan<byte> key))
            {
                continue;
            }

            if (!key.SequenceEqual(ResourceSpansKey))
            {
                reader.Skip();
                continue;
            }

            if (!reader.TryReadArrayHeader(out int resources))
            {
                return "resourceSpans is not an array";
            }

            for (int r = 0; r < resources; r++)
            {
                if (ResourceSpans(ref reader, visitor, ref spans) is string problem)
                {
                    return $"resourceSpans[{r}]: {problem}";
                }
            }
        }

        return null;
    }

    private static string? ResourceSpans(ref ChunkReader reader, SpanVisitor? visitor, ref int spans)
    {
        if (!reader.TryReadMapHeader(out int keys))
        {
            return "not a map";
        }

        // The resource may come after its scope spans: find both, then walk the spans knowing the resource.
        ChunkReader resource = default;
        ChunkReader scopes = default;
        bool hasResource = false, hasScopes = false;
        for (int k = 0; k < keys; k++)
        {
            if (!reader.TryReadKey(out ReadOnlySpan<byte> key))
            {
                continue;
            }

            if (key.SequenceEqual("resource"u8))
            {
                resource = reader;
                hasResource = true;
            }
            else if (key.SequenceEqual("scope_spans"u8))
            {
                scopes = reader;
                hasScopes = true;
            }

            reader.Skip();
        }

        ReadOnlyMemory<byte> attributes = default;
        if (hasResource && !IsNil(ref resource))
        {
            if (!resource.TryReadMapHeader(out int resourceKeys))
            {
                return "resource is not a map";
            }

            for (int k = 0; k < resourceKeys; k++)
            {
                if (!resource.TryReadKey(out ReadOnlySpan<byte> key))
                {
                    continue;
                }

                if (key.SequenceEqual("attributes"u8) && !IsNil(ref resource))
                {
                    if (resource.NextMessagePackType != MessagePackType.Map)
                    {
                        return "resource attributes are not a map";
                    }

                    int start = resource.Consumed;
                    resource.Skip();
                    attributes = resource.MemorySince(start);
                    continue;
                }

                resource.Skip();
            }
        }

        if (!hasScopes || IsNil(ref scopes))
        {
            return null;
        }

        if (!scopes.TryReadArrayHeader(out int count))
        {
            return "scope_spans is not an array";
        }

        for (int s = 0; s < count; s++)
        {
            if (ScopeSpans(ref scopes, attributes, visitor, ref spans) is string problem)
            {
                return $"scope_spans[{s}]: {problem}";
            }
        }

        return null;
    }

    private static string? ScopeSpans(ref ChunkReader reader, ReadOnlyMemory<byte> resourceAttributes, SpanVisitor? visitor, ref int spans)
    {
        if (!reader.TryReadMapHeader(out int keys))
        {
            return "not a map";
        }

        ChunkReader scope = default;
        ChunkReader list = default;
        bool hasScope = false, hasSpans = false;
        for (int k = 0; k < keys; k++)
        {
            if (!reader.TryReadKey(out ReadOnlySpan<byte> key))
            {
                continue;
            }

            if (key.SequenceEqual("scope"u8))
            {
                scope = reader;
                hasScope = true;
            }
            else if (key.SequenceEqual("spans"u8))
            {
                list = reader;
                hasSpans = true;
            }

            reader.Skip();
        }

        ReadOnlySpan<byte> scopeName = default;
        if (hasScope && !IsNil(ref scope))
        {
            if (!scope.TryReadMapHeader(out int scopeKeys))
            {
                return "scope is not a map";
            }

            for (int k = 0; k < scopeKeys; k++)
            {
                if (!scope.TryReadKey(out ReadOnlySpan<byte> key))
                {
                    continue;
                }

                if (key.SequenceEqual("name"u8) && !IsNil(ref scope))
                {
                    if (!scope.TryReadStringSpan(out scopeName))
                    {
                        return "the scope's name is not a string";
                    }

                    continue;
                }

                scope.Skip();
            }
        }

        if (!hasSpans || IsNil(ref list))
        {
            return null;
        }

        if (!list.TryReadArrayHeader(out int count))
        {
            return "spans is not an array";
        }

        for (int i = 0; i < count; i++)
        {
            if (Span(ref list, resourceAttributes, scopeName, visitor) is string problem)
            {
                return $"spans[{i}]: {problem}";
            }

            spans++;
        }

        return null;
    }

    private static string? Span(ref ChunkReader reader, ReadOnlyMemory<byte> resourceAttributes, ReadOnlySpan<byte> scopeName, SpanVisitor? visitor)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            return "a span is not a map";
        }

        // The fields every span needs read here (and their types checked), the rest by the plugin's generated code.
        ChunkReader span = reader;
        ChunkReader scan = reader;
        scan.TryReadMapHeader(out int keys);
        int kind = 0, status = 0;
        ulong start = 0, end = 0;
        for (int k = 0; k < keys; k++)
        {
            if (!scan.TryReadKey(out ReadOnlySpan<byte> key))
            {
                continue;
            }

            string? problem = key switch
            {
                _ when key.SequenceEqual("kind"u8) => ReadSmall(ref scan, "kind", out kind),
                _ when key.SequenceEqual("start_time_unix_nano"u8) => ReadNanos(ref scan, "start_time_unix_nano", out start),
                _ when key.SequenceEqual("end_time_unix_nano"u8) => ReadNanos(ref scan, "end_time_unix_nano", out end),
                _ when key.SequenceEqual("status"u8) => ReadStatus(ref scan, out status),
                _ when key.SequenceEqual("attributes"u8) => Expect(ref scan, MessagePackType.Map, "attributes are not a map"),
                _ when key.SequenceEqual("name"u8) || key.SequenceEqual("trace_id"u8) || key.SequenceEqual("span_id"u8)
                    || key.SequenceEqual("parent_span_id"u8) => Expect(ref scan, MessagePackType.String, "an id or the name is not a string"),
                _ => Skipped(ref scan),
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        var facts = new SpanFacts(
            resourceAttributes, scopeName, Kinds[kind < Kinds.Length ? kind : 0], StatusCodes[status < StatusCodes.Length ? status : 0], start, end);
        visitor?.Visit(ref span, in facts);
        reader = scan;
        return null;
    }

    private static string? ReadStatus(ref ChunkReader reader, out int code)
    {
        code = 0;
        if (IsNil(ref reader))
        {
            return null;
        }

        if (!reader.TryReadMapHeader(out int keys))
        {
            return "status is not a map";
        }

        for (int k = 0; k < keys; k++)
        {
            if (!reader.TryReadKey(out ReadOnlySpan<byte> key))
            {
                continue;
            }

            string? problem = key.SequenceEqual("code"u8) ? ReadSmall(ref reader, "status code", out code)
                : key.SequenceEqual("message"u8) ? Expect(ref reader, MessagePackType.String, "the status message is not a string")
                : Skipped(ref reader);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>A kind or status code: a small non-negative integer (an unknown one reads as unspecified or unset).</summary>
    private static string? ReadSmall(ref ChunkReader reader, string what, out int value)
    {
        value = 0;
        if (reader.NextMessagePackType != MessagePackType.Integer)
        {
            return $"{what} is not an integer";
        }

        if (reader.NextCode == MessagePackCode.UInt64)
        {
            reader.Skip();
            return null;
        }

        long read = reader.ReadInt64();
        value = read is >= 0 and <= 16 ? (int)read : 0;
        return null;
    }

    private static string? ReadNanos(ref ChunkReader reader, string what, out ulong value)
    {
        value = 0;
        if (reader.NextMessagePackType != MessagePackType.Integer)
        {
            return $"{what} is not an integer";
        }

        if (reader.NextCode == MessagePackCode.UInt64)
        {
            value = reader.ReadUInt64();
            return null;
        }

        long read = reader.ReadInt64();
        if (read < 0)
        {
            return $"{what} is negative";
        }

        value = (ulong)read;
        return null;
    }

    /// <summary>Steps over a value of <paramref name="type"/> or nil; the problem otherwise.</summary>
    private static string? Expect(ref ChunkReader reader, MessagePackType type, string problem)
    {
        MessagePackType next = reader.NextMessagePackType;
        if (next != type && next != MessagePackType.Nil)
        {
            return problem;
        }

        reader.Skip();
        return null;
    }

    private static string? Skipped(ref ChunkReader reader)
    {
        reader.Skip();
        return null;
    }

    /// <summary>Whether the next value is nil, which ctraces writes for an absent part; a nil is stepped over.</summary>
    private static bool IsNil(ref ChunkReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Nil)
        {
            return false;
        }

        reader.Skip();
        return true;
    }
}
