using System.Collections.Generic;
using System.Linq;
using System.Text;
using FluentBit.Plugins.Generator.Model;
using static FluentBit.Plugins.Generator.Emitting.KnownTypeNames;

namespace FluentBit.Plugins.Generator.Emitting;

/// <summary>
/// Writes the decoding half of <c>ApplyRecord</c>: every field reset, then one pass over the body map (and the
/// metadata map) that descends only where a record accessor leads, matching keys as UTF-8 bytes (by length, then
/// bytes) straight from the chunk, then the tag and time sources. Key patterns see the body's top-level keys.
/// </summary>
internal sealed partial class Emitter
{
    private void WriteDecode(SourceWriter w)
    {
        // A key absent from this event must not feed its metrics with the previous event's value.
        foreach (FieldModel field in _plugin.Fields)
        {
            w.Line($"{Property(field)} = default;");
            if (field.Used && field.Source != FieldSource.Computed)
            {
                w.Line($"byte {_names.State(field)} = 0;");
            }

            if (field.NeedsReplacedFlag)
            {
                w.Line($"bool {_names.Replaced(field)} = false;");
            }
        }

        w.Line();
        w.Open("if (!reader.TryReadBodyMapHeader(out int count))");
        w.Line("return;");
        w.Close();
        w.Line();
        PathNode body = PathNode.Build(_plugin.Fields.Where(f => f.Source == FieldSource.Body));
        WriteMapLoop(w, body, "reader", "count", 0, topLevel: true);

        PathNode metadata = PathNode.Build(_plugin.Fields.Where(f => f.Source == FieldSource.Metadata));
        if (metadata.Keys.Count > 0)
        {
            w.Line();
            w.Line($"{ChunkReader} metadata = new(context.Metadata);");
            w.Open("if (!metadata.End && metadata.TryReadMapHeader(out int metadataCount))");
            WriteMapLoop(w, metadata, "metadata", "metadataCount", 1, topLevel: false);
            w.Close();
        }

        foreach (FieldModel field in _plugin.Fields)
        {
            WriteContextField(w, field);
        }
    }

    /// <summary>A field whose value comes from the event's context: its tag, a part of it, or its timestamp.</summary>
    private void WriteContextField(SourceWriter w, FieldModel field)
    {
        // Under which condition the context has the value (null: always), and the value.
        (string? When, string Value)? read = field.Source switch
        {
            // Read by the map loops, or set by the record itself.
            FieldSource.Body or FieldSource.Metadata or FieldSource.Computed => null,
            FieldSource.Tag => ("!context.Tag.IsEmpty", $"{Strings(field)}.Get(context.Tag)"),
            FieldSource.TagPart => ($"context.TagPart({field.TagPart}, out {ReadOnlySpan}<byte> tagPart{field.PropertyName})", $"{Strings(field)}.Get(tagPart{field.PropertyName})"),
            FieldSource.EventTime => (null, "context.Timestamp.ToUnixSeconds()"),
            FieldSource.EventDelay => (null, "context.FlushTime.SecondsSince(context.Timestamp)"),
            FieldSource.SpanKind => ("!context.SpanKind.IsEmpty", $"{Strings(field)}.Get(context.SpanKind)"),
            FieldSource.SpanStatusCode => ("!context.SpanStatusCode.IsEmpty", $"{Strings(field)}.Get(context.SpanStatusCode)"),
            FieldSource.ScopeName => ("!context.ScopeName.IsEmpty", $"{Strings(field)}.Get(context.ScopeName)"),
            FieldSource.SpanDuration => ("!double.IsNaN(context.SpanDurationSeconds)", "context.SpanDurationSeconds"),
            _ => throw new System.ArgumentOutOfRangeException(nameof(field), field.Source, null),
        };
        if (read is not { } source)
        {
            return;
        }

        (string? when, string value) = source;

        w.Line();
        if (when is not null)
        {
            w.Open($"if ({when})");
        }

        w.Line($"{Property(field)} = {value};");
        if (field.Used)
        {
            w.Line($"{_names.State(field)} = 1;");
        }

        if (when is not null)
        {
            w.Close();
        }
    }

    /// <summary>Loops over the entries of a map whose header was read into <paramref name="count"/>.</summary>
    private void WriteMapLoop(SourceWriter w, PathNode node, string reader, string count, int depth, bool topLevel)
    {
        string i = depth == 0 ? "i" : $"i{depth}";
        string key = depth == 0 ? "key" : $"key{depth}";
        w.Open($"for (int {i} = 0; {i} < {count}; {i}++)");
        w.Open($"if (!{reader}.TryReadKey(out {ReadOnlySpan}<byte> {key}))");
        w.Line("continue;");
        w.Close();
        w.Line();
        if (node.Keys.Count > 0)
        {
            WriteKeySwitch(w, node, reader, key, depth);
            w.Line();
        }

        if (topLevel)
        {
            for (int p = 0; p < _plugin.Patterns.Length; p++)
            {
                WritePattern(w, p, reader, key);
            }
        }

        w.Line($"{reader}.Skip();");
        w.Close();
    }

    private void WriteKeySwitch(SourceWriter w, PathNode node, string reader, string key, int depth)
    {
        // Dispatch on the key's length first: most keys are rejected or found with one comparison.
        w.Open($"switch ({key}.Length)");
        foreach (IGrouping<int, KeyValuePair<string, PathNode>> group in node.Keys.GroupBy(k => Encoding.UTF8.GetByteCount(k.Key)).OrderBy(g => g.Key))
        {
            w.Line($"case {group.Key}:");
            w.Open();
            foreach (KeyValuePair<string, PathNode> child in group)
            {
                w.Open($"if ({MemoryExtensions}.SequenceEqual({key}, {SourceWriter.Literal(child.Key)}u8))");
                WriteNode(w, child.Value, reader, depth + 1);
                w.Line("continue;");
                w.Close();
                w.Line();
            }

            w.Line("break;");
            w.Close();
        }

        w.Close();
    }

    /// <summary>The reader is on the value a path leads to: read a field, or descend into a map or array.</summary>
    private void WriteNode(SourceWriter w, PathNode node, string reader, int depth)
    {
        if (node.Field is { } field)
        {
            WriteRead(w, field, reader);
            return;
        }

        string count = $"count{depth}";
        if (node.Keys.Count > 0)
        {
            w.Open($"if ({reader}.TryReadMapHeader(out int {count}))");
            WriteMapLoop(w, node, reader, count, depth, topLevel: false);
            w.Line();
            w.Line("continue;");
            w.Close();
            w.Line();
        }

        if (node.Indexes.Count > 0)
        {
            string i = $"i{depth}";
            // Named apart from the map's count: a path may lead into both, and both are declared in this scope.
            string length = $"length{depth}";
            w.Open($"if ({reader}.TryReadArrayHeader(out int {length}))");
            w.Open($"for (int {i} = 0; {i} < {length}; {i}++)");
            w.Open($"switch ({i})");
            foreach (KeyValuePair<int, PathNode> child in node.Indexes.OrderBy(c => c.Key))
            {
                w.Line($"case {child.Key}:");
                w.Open();
                WriteNode(w, child.Value, reader, depth + 1);
                w.Line("continue;");
                w.Close();
            }

            w.Close();
            w.Line();
            w.Line($"{reader}.Skip();");
            w.Close();
            w.Line();
            w.Line("continue;");
            w.Close();
            w.Line();
        }

        w.Line($"{reader}.Skip();");
    }

    private void WriteRead(SourceWriter w, FieldModel field, string reader)
    {
        string value = $"{char.ToLowerInvariant(field.PropertyName[0])}{field.PropertyName.Substring(1)}Value";
        string read = field.Type switch
        {
            FieldType.Double or FieldType.Single or FieldType.Int64 or FieldType.Int32 or FieldType.Int16 or FieldType.SByte
                or FieldType.UInt64 or FieldType.UInt32 or FieldType.UInt16 or FieldType.Byte or FieldType.Boolean
                => $"{ValueReader}.TryRead{field.Type}(ref {reader}, out {ClrType(field.Type)} {value})",
            FieldType.String when field.NeedsReplacedFlag => $"{ValueReader}.TryReadString(ref {reader}, {Strings(field)}, out string? {value}, out {_names.Replaced(field)})",
            FieldType.String => $"{ValueReader}.TryReadString(ref {reader}, {Strings(field)}, out string? {value})",
            FieldType.Utf8 => $"{ValueReader}.TryReadUtf8(ref {reader}, out {ReadOnlyMemory}<byte> {value})",
            FieldType.Enum => $"{ValueReader}.TryReadUtf8(ref {reader}, out {ReadOnlyMemory}<byte> {value}Text) && {FieldHelpers}.TryParse{field.PropertyName}({value}Text.Span, out {field.TypeName} {value})",
            _ => throw new System.ArgumentOutOfRangeException(nameof(field), field.Type, null),
        };
        w.Open($"if ({read})");
        w.Line($"{Property(field)} = {value}{(field.Type == FieldType.String ? "!" : "")};");
        if (field.Used)
        {
            w.Line($"{_names.State(field)} = 1;");
            w.Close();
            w.Open("else");
            w.Line($"{_names.State(field)} = 2;");
        }

        w.Close();
        w.Line();
    }

    private void WritePattern(SourceWriter w, int index, string reader, string key)
    {
        PatternModel pattern = _plugin.Patterns[index];
        MetricModel metric = _plugin.Metric(pattern.MetricName);
        string child = $"patternSeries{index}";
        string value = $"patternValue{index}";
        string health = $"instruments.{_names.Health(metric.Name)}";
        w.Open($"if (instruments.{_names.Pattern(index)}.TryMatch({key}, out {Collector(metric.Kind)}.Child? {child}))");
        w.Open($"if (!{ValueReader}.TryReadDouble(ref {reader}, out double {value}))");
        w.Line($"{health}.Skip({SkipReason}.InvalidValue);");
        w.Close();
        w.Open($"else if ({child} is not null && !{Apply(metric.Kind, pattern.Action, child, value)})");
        w.Line($"{health}.Skip({SkipReason}.InvalidValue);");
        w.Close();
        w.Line();
        w.Line("continue;");
        w.Close();
        w.Line();
    }

    /// <summary>The C# type a numeric (or bool) field is read as.</summary>
    private static string ClrType(FieldType type) => type switch
    {
        FieldType.Double => "double",
        FieldType.Single => "float",
        FieldType.Int64 => "long",
        FieldType.Int32 => "int",
        FieldType.Int16 => "short",
        FieldType.SByte => "sbyte",
        FieldType.UInt64 => "ulong",
        FieldType.UInt32 => "uint",
        FieldType.UInt16 => "ushort",
        FieldType.Byte => "byte",
        FieldType.Boolean => "bool",
        FieldType.String or FieldType.Utf8 or FieldType.Enum => throw new System.ArgumentOutOfRangeException(nameof(type), type, "not read as a number"),
        _ => throw new System.ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The record accessor paths of one source as a tree: each node a map (keys), an array (indexes) or a field.</summary>
    private sealed class PathNode
    {
        public Dictionary<string, PathNode> Keys { get; } = new();

        public Dictionary<int, PathNode> Indexes { get; } = new();

        public FieldModel? Field { get; private set; }

        public static PathNode Build(IEnumerable<FieldModel> fields)
        {
            var root = new PathNode();
            foreach (FieldModel field in fields)
            {
                PathNode node = root;
                foreach (PathSegment segment in field.Path)
                {
                    if (segment.Key is { } key)
                    {
                        node = node.Keys.TryGetValue(key, out PathNode? next) ? next : node.Keys[key] = new PathNode();
                    }
                    else
                    {
                        node = node.Indexes.TryGetValue(segment.Index, out PathNode? next) ? next : node.Indexes[segment.Index] = new PathNode();
                    }
                }

                node.Field = field;
            }

            return root;
        }
    }
}
