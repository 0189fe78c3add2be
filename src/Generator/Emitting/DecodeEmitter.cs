using System.Collections.Generic;
using System.Linq;
using System.Text;
using FluentBit.Plugins.Generator.Model;

namespace FluentBit.Plugins.Generator.Emitting;

/// <summary>
/// Writes the decoding half of <c>ApplyRecord</c>: every field reset, then one pass over the body map (and the
/// metadata map) that descends only where a record accessor leads, matching keys as UTF-8 bytes (by length, then
/// bytes) straight from the chunk, then the tag and time sources. Key patterns see the body's top-level keys.
/// </summary>
internal static class DecodeEmitter
{
    private const string CodeGen = PluginEmitter.CodeGen;

    public static void Write(SourceWriter w, PluginModel plugin, MemberNames names)
    {
        // A key absent from this event must not feed its metrics with the previous event's value.
        foreach (FieldModel field in plugin.Fields)
        {
            w.Line($"record.{PluginEmitter.Identifier(field.PropertyName)} = default;");
            if (field.Used && field.Source != FieldSource.Computed)
            {
                w.Line($"byte {names.State(field)} = 0;");
            }

            if (NeedsReplacedFlag(field))
            {
                w.Line($"bool {names.Replaced(field)} = false;");
            }
        }

        w.Line();
        w.Open($"if (!global::FluentBit.Plugins.Decoding.ChunkReader.TryReadBodyMapHeader(ref reader, out int count))");
        w.Line("return;");
        w.Close();
        w.Line();
        PathNode body = PathNode.Build(plugin.Fields.Where(f => f.Source == FieldSource.Body));
        WriteMapLoop(w, plugin, names, body, "reader", "count", 0, topLevel: true);

        PathNode metadata = PathNode.Build(plugin.Fields.Where(f => f.Source == FieldSource.Metadata));
        if (metadata.Keys.Count > 0)
        {
            w.Line();
            w.Line("global::MessagePack.MessagePackReader metadata = new(context.Metadata);");
            w.Open("if (!metadata.End && metadata.NextMessagePackType == global::MessagePack.MessagePackType.Map)");
            w.Line("int metadataCount = metadata.ReadMapHeader();");
            WriteMapLoop(w, plugin, names, metadata, "metadata", "metadataCount", 1, topLevel: false);
            w.Close();
        }

        foreach (FieldModel field in plugin.Fields.Where(f => f.Source is FieldSource.Tag or FieldSource.TagPart or FieldSource.EventTime or FieldSource.EventDelay))
        {
            w.Line();
            WriteContextField(w, field, names);
        }
    }

    private static void WriteContextField(SourceWriter w, FieldModel field, MemberNames names)
    {
        string property = $"record.{PluginEmitter.Identifier(field.PropertyName)}";
        string present = field.Used ? $"{names.State(field)} = 1;" : "";
        switch (field.Source)
        {
            case FieldSource.Tag:
                w.Open("if (!context.Tag.IsEmpty)");
                w.Line($"{property} = {PluginEmitter.Helpers}.{field.PropertyName}Strings.Get(context.Tag);");
                Present(w, present);
                w.Close();
                break;
            case FieldSource.TagPart:
                w.Open($"if (context.TagPart({field.TagPart}, out global::System.ReadOnlySpan<byte> tagPart{field.PropertyName}))");
                w.Line($"{property} = {PluginEmitter.Helpers}.{field.PropertyName}Strings.Get(tagPart{field.PropertyName});");
                Present(w, present);
                w.Close();
                break;
            case FieldSource.EventTime:
                w.Line($"{property} = context.Timestamp.ToUnixSeconds();");
                Present(w, present);
                break;
            default:
                w.Line($"{property} = context.FlushTime.SecondsSince(context.Timestamp);");
                Present(w, present);
                break;
        }
    }

    private static void Present(SourceWriter w, string statement)
    {
        if (statement.Length > 0)
        {
            w.Line(statement);
        }
    }

    /// <summary>Loops over the entries of a map whose header was read into <paramref name="count"/>.</summary>
    private static void WriteMapLoop(SourceWriter w, PluginModel plugin, MemberNames names, PathNode node, string reader, string count, int depth, bool topLevel)
    {
        string i = depth == 0 ? "i" : $"i{depth}";
        string key = depth == 0 ? "key" : $"key{depth}";
        w.Open($"for (int {i} = 0; {i} < {count}; {i}++)");
        w.Open($"if (!global::FluentBit.Plugins.Decoding.ChunkReader.TryReadKey(ref {reader}, out global::System.ReadOnlySpan<byte> {key}))");
        w.Line("continue;");
        w.Close();
        w.Line();
        if (node.Keys.Count > 0)
        {
            WriteKeySwitch(w, plugin, names, node, reader, key, depth);
            w.Line();
        }

        if (topLevel)
        {
            for (int p = 0; p < plugin.Patterns.Length; p++)
            {
                WritePattern(w, plugin, names, p, reader, key);
            }
        }

        w.Line($"{reader}.Skip();");
        w.Close();
    }

    private static void WriteKeySwitch(SourceWriter w, PluginModel plugin, MemberNames names, PathNode node, string reader, string key, int depth)
    {
        // Dispatch on the key's length first: most keys are rejected or found with one comparison.
        w.Open($"switch ({key}.Length)");
        foreach (IGrouping<int, KeyValuePair<string, PathNode>> group in node.Keys.GroupBy(k => Encoding.UTF8.GetByteCount(k.Key)).OrderBy(g => g.Key))
        {
            w.Line($"case {group.Key}:");
            w.Open();
            foreach (KeyValuePair<string, PathNode> child in group)
            {
                w.Open($"if (global::System.MemoryExtensions.SequenceEqual({key}, {SourceWriter.Literal(child.Key)}u8))");
                WriteNode(w, plugin, names, child.Value, reader, depth + 1);
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
    private static void WriteNode(SourceWriter w, PluginModel plugin, MemberNames names, PathNode node, string reader, int depth)
    {
        if (node.Field is { } field)
        {
            WriteRead(w, field, names, reader);
            return;
        }

        string count = $"count{depth}";
        if (node.Keys.Count > 0)
        {
            w.Open($"if ({reader}.NextMessagePackType == global::MessagePack.MessagePackType.Map)");
            w.Line($"int {count} = {reader}.ReadMapHeader();");
            WriteMapLoop(w, plugin, names, node, reader, count, depth, topLevel: false);
            w.Line();
            w.Line("continue;");
            w.Close();
            w.Line();
        }

        if (node.Indexes.Count > 0)
        {
            string i = $"i{depth}";
            w.Open($"if ({reader}.NextMessagePackType == global::MessagePack.MessagePackType.Array)");
            w.Line($"int {count} = {reader}.ReadArrayHeader();");
            w.Open($"for (int {i} = 0; {i} < {count}; {i}++)");
            w.Open($"switch ({i})");
            foreach (KeyValuePair<int, PathNode> child in node.Indexes.OrderBy(c => c.Key))
            {
                w.Line($"case {child.Key}:");
                w.Open();
                WriteNode(w, plugin, names, child.Value, reader, depth + 1);
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

    private static void WriteRead(SourceWriter w, FieldModel field, MemberNames names, string reader)
    {
        string property = $"record.{PluginEmitter.Identifier(field.PropertyName)}";
        string value = $"{char.ToLowerInvariant(field.PropertyName[0])}{field.PropertyName.Substring(1)}Value";
        string read = field.Type switch
        {
            FieldType.String when NeedsReplacedFlag(field) => $"{CodeGen}.ValueReader.TryReadString(ref {reader}, {PluginEmitter.Helpers}.{field.PropertyName}Strings, out string? {value}, out {names.Replaced(field)})",
            FieldType.String => $"{CodeGen}.ValueReader.TryReadString(ref {reader}, {PluginEmitter.Helpers}.{field.PropertyName}Strings, out string? {value})",
            FieldType.Utf8 => $"{CodeGen}.ValueReader.TryReadUtf8(ref {reader}, out global::System.ReadOnlyMemory<byte> {value})",
            FieldType.Enum => $"{CodeGen}.ValueReader.TryReadUtf8(ref {reader}, out global::System.ReadOnlyMemory<byte> {value}Text) && {PluginEmitter.Helpers}.TryParse{field.PropertyName}({value}Text.Span, out {field.TypeName} {value})",
            _ => $"{CodeGen}.ValueReader.TryRead{field.Type}(ref {reader}, out {ClrType(field.Type)} {value})",
        };
        w.Open($"if ({read})");
        w.Line($"{property} = {value}{(field.Type == FieldType.String ? "!" : "")};");
        if (field.Used)
        {
            w.Line($"{names.State(field)} = 1;");
            w.Close();
            w.Open("else");
            w.Line($"{names.State(field)} = 2;");
        }

        w.Close();
        w.Line();
    }

    private static void WritePattern(SourceWriter w, PluginModel plugin, MemberNames names, int index, string reader, string key)
    {
        PatternModel pattern = plugin.Patterns[index];
        MetricModel metric = InstrumentsEmitter.Metric(plugin, pattern.MetricName);
        string child = $"patternSeries{index}";
        string value = $"patternValue{index}";
        string health = $"instruments.{names.Health(metric.Name)}";
        w.Open($"if (instruments.{names.Pattern(index)}.TryMatch({key}, out global::Prometheus.{PluginEmitter.KindType(metric.Kind)}.Child? {child}))");
        w.Open($"if (!{CodeGen}.ValueReader.TryReadDouble(ref {reader}, out double {value}))");
        w.Line($"{health}.Skip({CodeGen}.SkipReason.InvalidValue);");
        w.Close();
        w.Open($"else if ({child} is not null && !{UpdateEmitter.Apply(metric.Kind, pattern.Action, child, value)})");
        w.Line($"{health}.Skip({CodeGen}.SkipReason.InvalidValue);");
        w.Close();
        w.Line();
        w.Line("continue;");
        w.Close();
        w.Line();
    }

    /// <summary>A string read from the event and used as a label: whether invalid UTF-8 was replaced in it, so it is counted.</summary>
    internal static bool NeedsReplacedFlag(FieldModel field) =>
        field.Used && field.Type == FieldType.String && field.Source is FieldSource.Body or FieldSource.Metadata;

    internal static string ClrType(FieldType type) => type switch
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
        _ => "bool",
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
