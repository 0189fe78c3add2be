using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using FluentBit.Plugins.Generator.Diagnostics;
using FluentBit.Plugins.Generator.Model;
using FluentBit.Plugins.Patterns;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>Turns a [FluentBitPlugin] class and its record type into a <see cref="PluginModel"/> and diagnostics.</summary>
internal sealed class PluginParser
{
    private static readonly Regex PluginNamePattern = new("^[a-z][a-z0-9_]*$");
    private static readonly Regex MetricNamePattern = new("^[a-zA-Z_:][a-zA-Z0-9_:]*$");

    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly List<MetricDeclaration> _declarations = new();
    private readonly Dictionary<string, List<KeyValuePair<string, string>>> _propertyLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Property, string Metric), LocationInfo?> _seriesLocations = new();

    private readonly KnownSymbols _known;

    private PluginParser(KnownSymbols known) => _known = known;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var parser = new PluginParser(KnownSymbols.From(context.SemanticModel.Compilation));
        return parser.ParsePlugin((INamedTypeSymbol)context.TargetSymbol, (ClassDeclarationSyntax)context.TargetNode, context.Attributes[0], cancellationToken);
    }

    private ParseResult ParsePlugin(INamedTypeSymbol plugin, ClassDeclarationSyntax syntax, AttributeData attribute, CancellationToken cancellationToken)
    {
        LocationInfo? attributeLocation = LocationInfo.From(attribute.ApplicationSyntaxReference);
        LocationInfo? classLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        string name = StringArgument(attribute, 0);
        string description = StringArgument(attribute, 1);
        int httpPort = NamedArgument(attribute, "DefaultHttpPort") is int port ? port : PluginDefaults.HttpPort;

        if (!PluginNamePattern.IsMatch(name))
        {
            Report(DiagnosticDescriptors.InvalidPluginName, attributeLocation, name);
        }

        bool isPartial = plugin.DeclaringSyntaxReferences.All(r =>
            r.GetSyntax(cancellationToken) is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!isPartial || plugin.ContainingType is not null || plugin.IsGenericType)
        {
            Report(DiagnosticDescriptors.PluginClassShape, classLocation, plugin.Name);
        }

        INamedTypeSymbol? record = FindRecordType(plugin);
        if (record is null)
        {
            Report(DiagnosticDescriptors.PluginBaseClass, classLocation, plugin.Name);
            return Result(name, attributeLocation, null);
        }

        bool hasPublicConstructor = record.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public);
        if (record.TypeKind != TypeKind.Class || record.IsAbstract || !hasPublicConstructor)
        {
            Report(DiagnosticDescriptors.RecordShape, classLocation, record.ToDisplayString());
            return Result(name, attributeLocation, null);
        }

        List<FieldModel> fields = ParseFields(record, cancellationToken);
        List<PatternModel> patterns = ParsePatterns(record);
        List<string> recordCounters = ParseRecordCounters(record);
        List<MetricModel> metrics = ReconcileMetrics();
        if (!HasErrors)
        {
            // Only meaningful once every metric's kind and labels agree.
            CheckDuplicateSeries(fields, metrics);
        }

        PluginModel? model = HasErrors
            ? null
            : new PluginModel(
                plugin.ContainingNamespace.IsGlobalNamespace ? null : plugin.ContainingNamespace.ToDisplayString(),
                plugin.Name,
                name,
                description,
                httpPort,
                record.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                fields.ToEquatableArray(),
                metrics.ToEquatableArray(),
                patterns.ToEquatableArray(),
                recordCounters.ToEquatableArray());
        return Result(name, attributeLocation, model);
    }

    private bool HasErrors => _diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);

    private ParseResult Result(string name, LocationInfo? location, PluginModel? model) =>
        new(new PluginSource(name, model), new PluginDiagnostics(name, location, _diagnostics.ToEquatableArray()));

    private INamedTypeSymbol? FindRecordType(INamedTypeSymbol plugin)
    {
        for (INamedTypeSymbol? type = plugin.BaseType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && SymbolEqualityComparer.Default.Equals(type.ConstructedFrom, _known.ExporterBase))
            {
                return type.TypeArguments[0] as INamedTypeSymbol;
            }
        }

        return null;
    }

    private List<FieldModel> ParseFields(INamedTypeSymbol record, CancellationToken cancellationToken)
    {
        var fields = new List<FieldModel>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (IPropertySymbol property in AllProperties(record))
        {
            cancellationToken.ThrowIfCancellationRequested();
            PropertyAttributes attributes = PropertyAttributes.Of(property, _known);
            if (!attributes.Any)
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

            FieldType? type = ToFieldType(property.Type);
            if (type is null)
            {
                Report(DiagnosticDescriptors.UnsupportedPropertyType, location, property.Name, property.Type.ToDisplayString());
                continue;
            }

            string key = attributes.Key is { } keyAttribute ? StringArgument(keyAttribute, 0) : property.Name;
            if (keys.TryGetValue(key, out string? other))
            {
                Report(DiagnosticDescriptors.DuplicateKey, location, other, property.Name, key);
                continue;
            }

            keys[key] = property.Name;
            List<KeyValuePair<string, string>> labels = ParseLabels(property, attributes.Labels);
            _propertyLabels[property.Name] = labels;
            var series = new List<SeriesModel>();
            foreach ((AttributeData metric, MetricKind kind) in attributes.Metrics)
            {
                string metricName = StringArgument(metric, 0);
                LocationInfo? metricLocation = LocationInfo.From(metric.ApplicationSyntaxReference);
                if (!CheckMetricName(metricName, metricLocation))
                {
                    continue;
                }

                _declarations.Add(new MetricDeclaration(metricName, StringArgument(metric, 1), kind, labels.Select(l => l.Key).ToList(), metricLocation));
                _seriesLocations[(property.Name, metricName)] = metricLocation;
                series.Add(new SeriesModel(metricName, kind, labels.Select(l => l.Value).ToEquatableArray()));
            }

            fields.Add(new FieldModel(property.Name, key, type.Value, series.ToEquatableArray()));
        }

        return fields;
    }

    private List<KeyValuePair<string, string>> ParseLabels(IPropertySymbol property, List<AttributeData> labelAttributes)
    {
        var labels = new List<KeyValuePair<string, string>>();
        foreach (AttributeData label in labelAttributes)
        {
            string labelName = StringArgument(label, 0);
            LocationInfo? location = LocationInfo.From(label.ApplicationSyntaxReference);
            if (!KeyPatternSyntax.IsLabelName(labelName))
            {
                Report(DiagnosticDescriptors.InvalidLabelName, location, labelName);
            }
            else if (labels.Any(l => l.Key == labelName))
            {
                Report(DiagnosticDescriptors.DuplicateLabel, location, labelName, property.Name);
            }
            else
            {
                labels.Add(new KeyValuePair<string, string>(labelName, StringArgument(label, 1)));
            }
        }

        return labels;
    }

    private List<PatternModel> ParsePatterns(INamedTypeSymbol record)
    {
        var patterns = new List<PatternModel>();
        foreach (AttributeData attribute in record.GetAttributes().Where(a => KnownSymbols.Is(a, _known.GaugeFromKeysAttribute)))
        {
            string metricName = StringArgument(attribute, 0);
            LocationInfo? location = LocationInfo.From(attribute.ApplicationSyntaxReference);
            if (!CheckMetricName(metricName, location))
            {
                continue;
            }

            string pattern = NamedArgument(attribute, "KeyPattern") as string ?? "";
            if (pattern.Length == 0)
            {
                Report(DiagnosticDescriptors.MissingKeyPattern, location, metricName);
                continue;
            }

            KeyPatternSyntax? syntax = KeyPatternSyntax.Parse(pattern, out string error);
            if (syntax is null)
            {
                Report(DiagnosticDescriptors.InvalidKeyPattern, location, pattern, metricName, error);
                continue;
            }

            _declarations.Add(new MetricDeclaration(metricName, StringArgument(attribute, 1), MetricKind.Gauge, syntax.Labels.ToList(), location));
            patterns.Add(new PatternModel(metricName, pattern));
        }

        return patterns;
    }

    private List<string> ParseRecordCounters(INamedTypeSymbol record)
    {
        var counters = new List<string>();
        foreach (AttributeData attribute in record.GetAttributes().Where(a => KnownSymbols.Is(a, _known.RecordCounterAttribute)))
        {
            string metricName = StringArgument(attribute, 0);
            LocationInfo? location = LocationInfo.From(attribute.ApplicationSyntaxReference);
            if (CheckMetricName(metricName, location))
            {
                _declarations.Add(new MetricDeclaration(metricName, StringArgument(attribute, 1), MetricKind.Counter, new List<string>(), location));
                counters.Add(metricName);
            }
        }

        return counters;
    }

    /// <summary>Checks that every declaration of a metric agrees with the first one, which fixes the label order.</summary>
    private List<MetricModel> ReconcileMetrics()
    {
        var metrics = new List<MetricModel>();
        foreach (IGrouping<string, MetricDeclaration> group in _declarations.GroupBy(d => d.Name))
        {
            MetricDeclaration first = group.First();
            string help = group.Select(d => d.Help).FirstOrDefault(h => h.Length > 0) ?? "";
            foreach (MetricDeclaration other in group.Skip(1))
            {
                if (other.Kind != first.Kind)
                {
                    Report(DiagnosticDescriptors.MetricKindConflict, other.Location, other.Name, KindName(other.Kind), KindName(first.Kind));
                }
                else if (!new HashSet<string>(other.LabelNames).SetEquals(first.LabelNames) || other.LabelNames.Count != first.LabelNames.Count)
                {
                    Report(DiagnosticDescriptors.MetricLabelConflict, other.Location, other.Name, string.Join(", ", other.LabelNames), string.Join(", ", first.LabelNames));
                }

                if (other.Help.Length > 0 && other.Help != help)
                {
                    Report(DiagnosticDescriptors.HelpConflict, other.Location, other.Name, other.Help, help);
                }
            }

            metrics.Add(new MetricModel(first.Name, help, first.Kind, first.LabelNames.ToEquatableArray()));
        }

        return metrics;
    }

    /// <summary>Reorders each series' label values into its metric's label order and rejects a series fed twice.</summary>
    private void CheckDuplicateSeries(List<FieldModel> fields, List<MetricModel> metrics)
    {
        Dictionary<string, MetricModel> byName = metrics.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int f = 0; f < fields.Count; f++)
        {
            FieldModel field = fields[f];
            Dictionary<string, string> labelValues = _propertyLabels[field.PropertyName].ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
            var ordered = new List<SeriesModel>();
            foreach (SeriesModel series in field.Series)
            {
                MetricModel metric = byName[series.MetricName];
                EquatableArray<string> values = metric.LabelNames.Select(n => labelValues.TryGetValue(n, out string? v) ? v : "").ToEquatableArray();
                string identity = series.MetricName + "{" + string.Join(",", metric.LabelNames.Select((n, i) => $"{n}=\"{values[i]}\"")) + "}";
                if (seen.TryGetValue(identity, out string? other))
                {
                    Report(DiagnosticDescriptors.DuplicateSeries, _seriesLocations[(field.PropertyName, series.MetricName)], other, field.PropertyName, identity);
                }

                seen[identity] = field.PropertyName;
                ordered.Add(series with { LabelValues = values });
            }

            fields[f] = field with { Series = ordered.ToEquatableArray() };
        }
    }

    private bool CheckMetricName(string name, LocationInfo? location)
    {
        if (MetricNamePattern.IsMatch(name))
        {
            return true;
        }

        Report(DiagnosticDescriptors.InvalidMetricName, location, name);
        return false;
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

    private static FieldType? ToFieldType(ITypeSymbol type) => type.SpecialType switch
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
        _ => null,
    };

    private static string KindName(MetricKind kind) => kind == MetricKind.Gauge ? "gauge" : "counter";

    private static string StringArgument(AttributeData attribute, int index) =>
        attribute.ConstructorArguments.Length > index && attribute.ConstructorArguments[index].Value is string value ? value : "";

    private static object? NamedArgument(AttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value;

    private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        _diagnostics.Add(new DiagnosticInfo(descriptor, location, arguments.ToEquatableArray()));

    /// <summary>The framework attributes found on one property.</summary>
    private sealed class PropertyAttributes
    {
        public AttributeData? Key { get; private set; }

        public List<AttributeData> Labels { get; } = new();

        public List<(AttributeData Attribute, MetricKind Kind)> Metrics { get; } = new();

        public bool Any => Key is not null || Labels.Count > 0 || Metrics.Count > 0;

        public static PropertyAttributes Of(IPropertySymbol property, KnownSymbols known)
        {
            var found = new PropertyAttributes();
            foreach (AttributeData attribute in property.GetAttributes())
            {
                if (KnownSymbols.Is(attribute, known.KeyAttribute))
                {
                    found.Key = attribute;
                }
                else if (KnownSymbols.Is(attribute, known.LabelAttribute))
                {
                    found.Labels.Add(attribute);
                }
                else if (KnownSymbols.Is(attribute, known.GaugeAttribute))
                {
                    found.Metrics.Add((attribute, MetricKind.Gauge));
                }
                else if (KnownSymbols.Is(attribute, known.CounterAttribute))
                {
                    found.Metrics.Add((attribute, MetricKind.Counter));
                }
            }

            return found;
        }
    }
}
