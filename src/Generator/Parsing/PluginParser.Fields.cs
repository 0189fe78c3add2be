using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Generator.Diagnostics;
using FluentBit.Plugins.Generator.Model;
using FluentBit.Plugins.Patterns;
using Microsoft.CodeAnalysis;

namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>The record's properties: where each is read from, its type, the label it may be, the metrics it feeds.</summary>
internal sealed partial class PluginParser
{
    private List<ParsedField> ParseFields(INamedTypeSymbol record, CancellationToken cancellationToken)
    {
        var fields = new List<ParsedField>();
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var recordLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (IPropertySymbol property in AllProperties(record))
        {
            cancellationToken.ThrowIfCancellationRequested();
            AttributeData[] attributes = property.GetAttributes().Where(IsFrameworkAttribute).ToArray();
            if (attributes.Length == 0)
            {
                continue;
            }

            LocationInfo? location = LocationInfo.From(property.Locations.FirstOrDefault());
            if (property.IsStatic || property.DeclaredAccessibility != Accessibility.Public
                || property.GetMethod?.DeclaredAccessibility != Accessibility.Public
                || property.SetMethod is null || property.SetMethod.IsInitOnly || property.SetMethod.DeclaredAccessibility != Accessibility.Public)
            {
                Report(DiagnosticDescriptors.PropertyNotReadWrite, location, property.Name);
                continue;
            }

            (FieldType Type, string TypeName, List<string> Members)? type = ToFieldType(property.Type);
            if (type is null)
            {
                Report(DiagnosticDescriptors.UnsupportedPropertyType, location, property.Name, property.Type.ToDisplayString());
                continue;
            }

            var field = new ParsedField(property.Name, type.Value.Type, type.Value.TypeName, type.Value.Members) { Location = location };
            if (!ParseSource(field, property, attributes, location, paths))
            {
                continue;
            }

            ParsePropertyLabels(field, attributes, location, recordLabels);
            ParsePropertyMetrics(field, attributes, property);
            ParseExemplars(field, attributes, location);
            fields.Add(field);
        }

        return fields;
    }

    /// <summary>Sets where the field is read from; false (reported) when its attributes disagree or its path does not parse.</summary>
    private bool ParseSource(ParsedField field, IPropertySymbol property, AttributeData[] attributes, LocationInfo? location, Dictionary<string, string> paths)
    {
        AttributeData[] sources = attributes.Where(a => KnownSymbols.Is(a, _known.Key) || KnownSymbols.Is(a, _known.Metadata) || KnownSymbols.Is(a, _known.Tag)
            || KnownSymbols.Is(a, _known.EventTime) || KnownSymbols.Is(a, _known.EventDelay) || KnownSymbols.Is(a, _known.Computed)
            || IsSpanSource(a)).ToArray();
        if (sources.Length > 1)
        {
            Report(DiagnosticDescriptors.ConflictingAttributes, location, $"Property '{property.Name}'", $"[{ShortName(sources[0])}] and [{ShortName(sources[1])}] both say where it comes from; keep one");
            return false;
        }

        AttributeData? source = sources.FirstOrDefault();
        if (source is not null && IsSpanSource(source))
        {
            return ParseSpanSource(field, source, location, paths);
        }

        if (source is null || KnownSymbols.Is(source, _known.Key) || KnownSymbols.Is(source, _known.Metadata))
        {
            bool metadata = source is not null && KnownSymbols.Is(source, _known.Metadata);
            string text = source is null ? property.Name : StringArgument(source, 0);
            RecordAccessorSyntax? accessor = RecordAccessorSyntax.Parse(text, out string error);
            if (accessor is null)
            {
                Report(DiagnosticDescriptors.InvalidRecordAccessor, LocationInfo.From(source?.ApplicationSyntaxReference) ?? location, text, property.Name, error);
                return false;
            }

            List<PathSegment> path = accessor.Segments.Select(s => new PathSegment(s.Key, s.Index)).ToList();
            string identity = (metadata ? "metadata " : "") + string.Join("/", path.Select(s => s.Key ?? $"[{s.Index}]"));
            if (paths.TryGetValue(identity, out string? other))
            {
                Report(DiagnosticDescriptors.DuplicateKey, location, other, property.Name, text);
                return false;
            }

            // A value and a path through it cannot both be read: reading the value consumes what the path would descend into.
            string? overlap = paths.Keys.FirstOrDefault(p => p.StartsWith(identity + "/", StringComparison.Ordinal) || identity.StartsWith(p + "/", StringComparison.Ordinal));
            if (overlap is not null)
            {
                Report(DiagnosticDescriptors.ConflictingAttributes, location, $"Property '{property.Name}'", $"'{text}' and the path of '{paths[overlap]}' lead through the same value; read the nested values only, each with its own record accessor");
                return false;
            }

            paths[identity] = property.Name;
            field.Source = metadata ? FieldSource.Metadata : FieldSource.Body;
            field.SourceText = text;
            field.Path = path;
            return true;
        }

        if (KnownSymbols.Is(source, _known.Tag))
        {
            bool part = source.ConstructorArguments.Length == 1;
            field.Source = part ? FieldSource.TagPart : FieldSource.Tag;
            field.TagPart = part ? (int)source.ConstructorArguments[0].Value! : 0;
            field.SourceText = part ? $"tag part {field.TagPart}" : "the tag";
            return RequireType(field, location, field.Type == FieldType.String, "read from the tag", "declare it as string");
        }

        bool time = KnownSymbols.Is(source, _known.EventTime);
        if (time || KnownSymbols.Is(source, _known.EventDelay))
        {
            field.Source = time ? FieldSource.EventTime : FieldSource.EventDelay;
            field.SourceText = time ? "the event time" : "the event delay";
            return RequireType(field, location, field.Type == FieldType.Double, $"read from {field.SourceText}", "declare it as double (seconds)");
        }

        field.Source = FieldSource.Computed;
        field.SourceText = "the OnRecord hook";
        return true;
    }

    private bool IsSpanSource(AttributeData a) =>
        KnownSymbols.Is(a, _known.SpanField) || KnownSymbols.Is(a, _known.SpanAttribute) || KnownSymbols.Is(a, _known.ResourceAttribute);

    /// <summary>
    /// A span's part: its attributes and the fields of its map are paths into the span's map (the body), the resource's
    /// attributes a key of the resource's map (the metadata), and the fields every span needs read by the flush itself
    /// (kind, status code, scope name, duration) come from the event's context.
    /// </summary>
    private bool ParseSpanSource(ParsedField field, AttributeData source, LocationInfo? location, Dictionary<string, string> paths)
    {
        field.FromSpan = true;
        if (!KnownSymbols.Is(source, _known.SpanField))
        {
            bool resource = KnownSymbols.Is(source, _known.ResourceAttribute);
            string key = StringArgument(source, 0);
            return SpanPath(field, resource ? FieldSource.Metadata : FieldSource.Body, resource ? $"resource attribute '{key}'" : $"span attribute '{key}'",
                resource ? [key] : ["attributes", key], location, paths);
        }

        var kind = (SpanField)(source.ConstructorArguments.Length > 0 && source.ConstructorArguments[0].Value is int value ? value : -1);
        string text = $"the span's {kind}";
        switch (kind)
        {
            case SpanField.Name:
                return SpanPath(field, FieldSource.Body, text, ["name"], location, paths) && RequireText(field, location, text);
            case SpanField.StatusMessage:
                return SpanPath(field, FieldSource.Body, text, ["status", "message"], location, paths) && RequireText(field, location, text);
            case SpanField.TraceId:
                return SpanPath(field, FieldSource.Body, text, ["trace_id"], location, paths) && RequireText(field, location, text);
            case SpanField.SpanId:
                return SpanPath(field, FieldSource.Body, text, ["span_id"], location, paths) && RequireText(field, location, text);
            case SpanField.ParentSpanId:
                return SpanPath(field, FieldSource.Body, text, ["parent_span_id"], location, paths) && RequireText(field, location, text);
            case SpanField.Kind or SpanField.StatusCode or SpanField.ScopeName:
                field.Source = kind == SpanField.Kind ? FieldSource.SpanKind : kind == SpanField.StatusCode ? FieldSource.SpanStatusCode : FieldSource.ScopeName;
                field.SourceText = text;
                return RequireType(field, location, field.Type == FieldType.String, $"read from {text}", "declare it as string");
            case SpanField.DurationSeconds:
                field.Source = FieldSource.SpanDuration;
                field.SourceText = text;
                return RequireType(field, location, field.Type == FieldType.Double, $"read from {text}", "declare it as double (seconds)");
            default:
                Report(DiagnosticDescriptors.ConflictingAttributes, location, $"Property '{field.PropertyName}'", "[SpanField] names no field of a span; use one of SpanField's members");
                return false;
        }
    }

    private bool RequireText(ParsedField field, LocationInfo? location, string text) =>
        RequireType(field, location, field.Type is FieldType.String or FieldType.Utf8, $"read from {text}", "declare it as string or ReadOnlyMemory<byte>");

    private bool SpanPath(ParsedField field, FieldSource source, string text, string[] keys, LocationInfo? location, Dictionary<string, string> paths)
    {
        string identity = (source == FieldSource.Metadata ? "metadata " : "") + string.Join("/", keys);
        if (paths.TryGetValue(identity, out string? other))
        {
            Report(DiagnosticDescriptors.DuplicateKey, location, other, field.PropertyName, text);
            return false;
        }

        paths[identity] = field.PropertyName;
        field.Source = source;
        field.SourceText = text;
        field.Path = keys.Select(k => new PathSegment(k, 0)).ToList();
        return true;
    }

    /// <summary>
    /// A record reads spans or log events, never both (FBP035): Fluent Bit registers one event type per plugin, and a
    /// flush does not say which its chunk holds.
    /// </summary>
    private void CheckOneEventKind(List<ParsedField> fields, string recordName)
    {
        ParsedField? span = fields.FirstOrDefault(f => f.FromSpan);
        if (span is null)
        {
            return;
        }

        foreach (ParsedField log in fields.Where(f => !f.FromSpan && f.Source != FieldSource.Computed))
        {
            string from = log.Source == FieldSource.Body ? $"the log key '{log.SourceText}'"
                : log.Source == FieldSource.Metadata ? $"the metadata key '{log.SourceText}'"
                : log.SourceText;
            Report(DiagnosticDescriptors.LogAndSpanSources, log.Location, log.PropertyName, from, recordName, span.PropertyName);
        }
    }

    private void ParsePropertyLabels(ParsedField field, AttributeData[] attributes, LocationInfo? location, Dictionary<string, string> recordLabels)
    {
        foreach (AttributeData label in attributes.Where(a => KnownSymbols.Is(a, _known.Label)))
        {
            string labelName = StringArgument(label, 0);
            LocationInfo? labelLocation = LocationInfo.From(label.ApplicationSyntaxReference);
            if (!CheckLabelName(labelName, labelLocation))
            {
                continue;
            }

            if (label.ConstructorArguments.Length >= 2)
            {
                if (field.ConstantLabels.Any(l => l.Key == labelName))
                {
                    Report(DiagnosticDescriptors.DuplicateLabel, labelLocation, labelName, field.PropertyName);
                    continue;
                }

                field.ConstantLabels.Add(new KeyValuePair<string, string>(labelName, StringArgument(label, 1)));
                continue;
            }

            if (recordLabels.TryGetValue(labelName, out string? other))
            {
                Report(DiagnosticDescriptors.ConflictingAttributes, labelLocation, $"Label '{labelName}'", $"properties '{other}' and '{field.PropertyName}' both claim to be its value; keep [Label(\"{labelName}\")] on one of them");
                continue;
            }

            recordLabels[labelName] = field.PropertyName;
            field.RecordLabel = labelName;
        }
    }

    private void ParsePropertyMetrics(ParsedField field, AttributeData[] attributes, IPropertySymbol property)
    {
        foreach (AttributeData attribute in attributes)
        {
            MetricKind? kind = MetricKindOf(attribute);
            if (kind is null || KnownSymbols.Is(attribute, _known.RecordCounter))
            {
                continue;
            }

            LocationInfo? location = LocationInfo.From(attribute.ApplicationSyntaxReference);
            MetricDeclaration? declaration = ReadDeclaration(attribute, kind.Value, location);
            if (declaration is null)
            {
                continue;
            }

            if (declaration.Pattern is not null)
            {
                Report(DiagnosticDescriptors.ConflictingAttributes, location, $"Metric '{declaration.Name}'", "KeyPattern belongs on a metric declared on the record class; on a property, the property's value feeds the metric");
                continue;
            }

            if (!field.Type.IsNumeric())
            {
                Report(DiagnosticDescriptors.TypeNotUsable, location, property.Name, field.TypeName, $"the value of {kind.Value.Name()} '{declaration.Name}'", "use a numeric type or bool");
                continue;
            }

            declaration.ValueProperty = field.PropertyName;
            declaration.ConstantLabels.AddRange(field.ConstantLabels);
            declaration.LabelNames.AddRange(field.ConstantLabels.Select(l => l.Key));
            _declarations.Add(declaration);
        }
    }

    private bool RequireType(ParsedField field, LocationInfo? location, bool ok, string what, string fix)
    {
        if (!ok)
        {
            Report(DiagnosticDescriptors.TypeNotUsable, location, field.PropertyName, field.TypeName, what, fix);
        }

        return ok;
    }

    private bool IsFrameworkAttribute(AttributeData a) =>
        KnownSymbols.Is(a, _known.Key) || KnownSymbols.Is(a, _known.Metadata) || KnownSymbols.Is(a, _known.Tag)
        || KnownSymbols.Is(a, _known.EventTime) || KnownSymbols.Is(a, _known.EventDelay) || KnownSymbols.Is(a, _known.Computed)
        || KnownSymbols.Is(a, _known.Label) || KnownSymbols.Is(a, _known.Exemplar) || MetricKindOf(a) is not null || IsSpanSource(a);

    private MetricKind? MetricKindOf(AttributeData a) =>
        KnownSymbols.Is(a, _known.Gauge) ? MetricKind.Gauge
        : KnownSymbols.Is(a, _known.Counter) || KnownSymbols.Is(a, _known.RecordCounter) ? MetricKind.Counter
        : KnownSymbols.Is(a, _known.Histogram) ? MetricKind.Histogram
        : KnownSymbols.Is(a, _known.Summary) ? MetricKind.Summary
        : null;

    private static string ShortName(AttributeData attribute)
    {
        string name = attribute.AttributeClass?.Name ?? "";
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    private (FieldType Type, string TypeName, List<string> Members)? ToFieldType(ITypeSymbol type)
    {
        string name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        // Over Roslyn's SpecialType, not a model enum: every type but these is unsupported, which is what the
        // default arm says (src/Generator/.editorconfig otherwise asks a switch to list every member).
#pragma warning disable IDE0072
        FieldType? simple = type.SpecialType switch
        {
            SpecialType.System_Double => FieldType.Double,
            SpecialType.System_Single => FieldType.Single,
            SpecialType.System_Int64 => FieldType.Int64,
            SpecialType.System_Int32 => FieldType.Int32,
            SpecialType.System_Int16 => FieldType.Int16,
            SpecialType.System_SByte => FieldType.SByte,
            SpecialType.System_UInt64 => FieldType.UInt64,
            SpecialType.System_UInt32 => FieldType.UInt32,
            SpecialType.System_UInt16 => FieldType.UInt16,
            SpecialType.System_Byte => FieldType.Byte,
            SpecialType.System_Boolean => FieldType.Boolean,
            SpecialType.System_String => FieldType.String,
            _ => null,
        };
#pragma warning restore IDE0072
        if (simple is not null)
        {
            return (simple.Value, type.ToDisplayString(), new List<string>());
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            var members = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(f => f.Name).ToList();
            return (FieldType.Enum, name, members);
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic
            && SymbolEqualityComparer.Default.Equals(generic.ConstructedFrom, _known.ReadOnlyMemory)
            && generic.TypeArguments[0].SpecialType == SpecialType.System_Byte)
        {
            return (FieldType.Utf8, "ReadOnlyMemory<byte>", new List<string>());
        }

        return null;
    }

    private static IEnumerable<IPropertySymbol> AllProperties(INamedTypeSymbol record)
    {
        var stack = new Stack<INamedTypeSymbol>();
        for (INamedTypeSymbol? type = record; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            stack.Push(type);
        }

        // Base class properties first, so keys and series read in declaration order from the top.
        while (stack.Count > 0)
        {
            foreach (IPropertySymbol property in stack.Pop().GetMembers().OfType<IPropertySymbol>())
            {
                yield return property;
            }
        }
    }

    /// <summary>A property while its declarations are being checked; <see cref="ToModel"/> freezes it.</summary>
    private sealed class ParsedField(string propertyName, FieldType type, string typeName, List<string> enumMembers)
    {
        public string PropertyName { get; } = propertyName;

        public FieldType Type { get; } = type;

        public string TypeName { get; } = typeName;

        public List<string> EnumMembers { get; } = enumMembers;

        public FieldSource Source { get; set; }

        public string SourceText { get; set; } = "";

        public List<PathSegment> Path { get; set; } = new();

        public int TagPart { get; set; }

        /// <summary>The label this property's value is, if it has [Label("name")].</summary>
        public string? RecordLabel { get; set; }

        public List<KeyValuePair<string, string>> ConstantLabels { get; } = new();

        /// <summary>Whether an [Exemplar] reads it.</summary>
        public bool Exemplar { get; set; }

        /// <summary>Whether it is a part of a span ([SpanField], [SpanAttribute], [ResourceAttribute]).</summary>
        public bool FromSpan { get; set; }

        public LocationInfo? Location { get; set; }

        public FieldModel ToModel(List<UpdateModel> updates) => new(
            PropertyName,
            Source,
            SourceText,
            Path.ToEquatableArray(),
            TagPart,
            Type,
            TypeName,
            EnumMembers.ToEquatableArray(),
            Exemplar || updates.Any(u => u.ValueProperty == PropertyName || u.Labels.Any(l => l.Property == PropertyName)));
    }
}
